"""The events' services: who may organise, what an event may be, places and the waiting list,
sign-ups without an account, attendance, reminders, and what the audit trail keeps."""

from __future__ import annotations

import datetime
import unittest.mock
from typing import Any

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from wijkwerk.areas.models import CouncilMembership, CouncilPosition, GroupMembership
from wijkwerk.core.models import AuditEvent
from wijkwerk.core.ratelimit import RateLimited
from wijkwerk.events import services
from wijkwerk.events.models import Event, EventStatus, Rsvp, RsvpStatus
from wijkwerk.events.refusals import EventRefused

from ..cast import Cast
from .factories import at, make_event, past_event

pytestmark = pytest.mark.django_db


def data(**overrides: Any) -> dict[str, Any]:
    start = at(10)
    return {
        "title": "Buurtavond",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "place_name": "Dorpshuis",
        "address": "Dorpsstraat 1",
        "capacity": 2,
        "rsvp_enabled": True,
        **overrides,
    }


def codes(refused: EventRefused) -> list[str | None]:
    return refused.codes


# ----- Who may organise ---------------------------------------------------------------------------


def test_the_area_officials_and_the_administrator_announce_events(cast: Cast) -> None:
    for person in (cast.broker, cast.coordinator, cast.community_worker, cast.admin):
        event = services.event_create(actor=person, area=cast.district, data=data())
        assert event.created_by == person
    for person in (cast.neighbour, cast.council_member, cast.alderman, cast.other_broker):
        with pytest.raises(PermissionDenied):
            services.event_create(actor=person, area=cast.district, data=data())
    # a district's broker organises in its neighbourhoods too
    assert services.event_create(actor=cast.broker, area=cast.neighbourhood, data=data()).pk


def test_a_council_chair_or_secretary_organises_the_councils_events_only(cast: Cast) -> None:
    membership = CouncilMembership.objects.get(user=cast.council_member)
    with pytest.raises(PermissionDenied):
        services.event_create(
            actor=cast.council_member, area=cast.district, council=cast.council, data=data()
        )
    for position in (CouncilPosition.CHAIR, CouncilPosition.SECRETARY):
        membership.position = position
        membership.save()
        event = services.event_create(
            actor=cast.council_member, area=cast.district, council=cast.council, data=data()
        )
        assert event.council == cast.council
    # not the municipality's own events
    with pytest.raises(PermissionDenied):
        services.event_create(actor=cast.council_member, area=cast.district, data=data())


def test_a_group_contact_organises_the_groups_events(cast: Cast) -> None:
    from wijkwerk.areas.models import ResidentGroup

    group = ResidentGroup.objects.create(area=cast.district, name="Buurtpreventie Dorst")
    member = GroupMembership.objects.create(group=group, user=cast.neighbour)
    with pytest.raises(PermissionDenied):
        services.event_create(actor=cast.neighbour, area=cast.district, group=group, data=data())
    member.role = "contact"
    member.save()
    event = services.event_create(
        actor=cast.neighbour, area=cast.district, group=group, data=data()
    )
    assert event.group == group
    other = make_event(cast.district)
    with pytest.raises(PermissionDenied):
        services.event_change(actor=cast.neighbour, event=other, data={"title": "Anders"})


def test_a_council_of_another_area_is_refused(cast: Cast) -> None:
    with pytest.raises(EventRefused) as refused:
        services.event_create(
            actor=cast.broker, area=cast.neighbourhood, council=cast.council, data=data()
        )
    assert refused.value.code == "wrong_area"
    assert refused.value.messages == ["Deze raad hoort bij een ander gebied."]


# ----- What an event may be -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "code", "message"),
    [
        (
            {"ends_at": at(10, 18)},
            "ends_before_start",
            "De bijeenkomst moet eindigen na het begin.",
        ),
        (
            {"ends_at": at(10)},
            "ends_before_start",
            "De bijeenkomst moet eindigen na het begin.",
        ),
        (
            {"starts_at": at(-1), "ends_at": at(-1, 21)},
            "start_in_past",
            "Het begin ligt in het verleden. Kies een datum en tijd die nog moeten komen.",
        ),
        (
            {"capacity": 0},
            "capacity",
            "Het aantal plaatsen moet minstens 1 zijn. Laat het leeg voor geen grens.",
        ),
        (
            {"capacity": -3},
            "capacity",
            "Het aantal plaatsen moet minstens 1 zijn. Laat het leeg voor geen grens.",
        ),
        (
            {"title": "x" * 151},
            "too_long",
            "De titel mag hoogstens 150 tekens lang zijn (nu 151).",
        ),
        (
            {"description": "x" * 10_001},
            "too_long",
            "De beschrijving mag hoogstens 10000 tekens lang zijn (nu 10001).",
        ),
        ({"place_name": " "}, "incomplete", "Vul in waar de bijeenkomst is."),
        (
            {"latitude": 51.6},
            "incomplete",
            "Een punt op de kaart heeft een breedtegraad én een lengtegraad nodig.",
        ),
        (
            {"ends_at": at(10) + datetime.timedelta(days=40)},
            "too_far",
            "Een bijeenkomst duurt hoogstens 31 dagen.",
        ),
    ],
)
def test_bad_events_are_refused_with_a_clear_message(
    cast: Cast, overrides: dict[str, Any], code: str, message: str
) -> None:
    with pytest.raises(EventRefused) as refused:
        services.event_create(actor=cast.broker, area=cast.district, data=data(**overrides))
    assert refused.value.code == code
    assert refused.value.messages == [message]
    assert not Event.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="event.").exists()


def test_several_problems_are_all_named(cast: Cast) -> None:
    with pytest.raises(EventRefused) as refused:
        services.event_create(
            actor=cast.broker,
            area=cast.district,
            data=data(capacity=0, ends_at=at(10, 18), title=""),
        )
    assert refused.value.messages == [
        "Geef de bijeenkomst een titel.",
        "De bijeenkomst moet eindigen na het begin.",
        "Het aantal plaatsen moet minstens 1 zijn. Laat het leeg voor geen grens.",
    ]


def test_a_change_raises_the_sequence_keeps_a_past_start_and_is_audited(cast: Cast) -> None:
    event = make_event(cast.district, capacity=5)
    changed = services.event_change(
        actor=cast.broker, event=event, data={**data(capacity=5), "title": "Buurtfeest"}
    )
    assert changed.sequence == 1
    assert changed.title == "Buurtfeest"
    audit = AuditEvent.objects.get(action="event.change")
    assert audit.before["title"] == "Buurtavond"
    assert audit.after["title"] == "Buurtfeest"
    # nothing changed: no new sequence, no audit
    services.event_change(actor=cast.broker, event=changed, data={"title": "Buurtfeest"})
    assert Event.objects.get(pk=event.pk).sequence == 1
    assert AuditEvent.objects.filter(action="event.change").count() == 1


def test_the_capacity_cannot_fall_below_the_places_taken(cast: Cast) -> None:
    event = make_event(cast.district, capacity=3)
    for person in (cast.neighbour, cast.applicant):
        services.rsvp_sign_up(actor=person, event=event)
    with pytest.raises(EventRefused) as refused:
        services.event_change(actor=cast.broker, event=event, data={"capacity": 1})
    assert refused.value.messages == [
        "Er hebben al 2 mensen een plaats: het aantal plaatsen kan niet lager zijn dan dat."
    ]
    services.event_change(actor=cast.broker, event=event, data={"capacity": 2})


def test_cancelling_needs_a_reason_and_tells_everyone_signed_up(
    cast: Cast, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    event = make_event(cast.district, capacity=1)
    services.rsvp_sign_up(actor=cast.neighbour, event=event)
    services.rsvp_sign_up(actor=cast.applicant, event=event)
    with pytest.raises(EventRefused) as refused:
        services.event_cancel(actor=cast.broker, event=event, reason="  ")
    assert refused.value.code == "reason_required"
    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=cast.neighbour, event=event, reason="Nee")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.event_cancel(actor=cast.broker, event=event, reason="Zaal dicht.")
    assert cancelled.status == EventStatus.CANCELLED
    assert cancelled.sequence == 1
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [
            f"{cast.neighbour.display_name} <{cast.neighbour.email}>",
            f"{cast.applicant.display_name} <{cast.applicant.email}>",
        ]
    )
    assert "Zaal dicht." in mailoutbox[0].body
    with pytest.raises(EventRefused) as again:
        services.event_cancel(actor=cast.broker, event=event, reason="Nog eens")
    assert again.value.code == "cancelled"
    with pytest.raises(EventRefused) as sign_up:
        services.rsvp_sign_up(actor=cast.outsider, event=event)
    assert sign_up.value.messages == [
        "Deze bijeenkomst is afgelast: je kunt je niet meer aanmelden."
    ]


# ----- Places and the waiting list ----------------------------------------------------------------


def test_beyond_the_capacity_people_wait_in_order_and_move_up(cast: Cast) -> None:
    event = make_event(cast.district, capacity=2)
    people = [cast.neighbour, cast.applicant, cast.council_member, cast.outsider]
    rsvps = [services.rsvp_sign_up(actor=person, event=event) for person in people]
    assert [r.status for r in rsvps] == ["going", "going", "waiting", "waiting"]
    assert [services.waiting_position(r) for r in rsvps] == [None, None, 1, 2]
    services.rsvp_cancel(actor=cast.applicant, rsvp=rsvps[1])
    statuses = dict(Rsvp.objects.values_list("user_id", "status"))
    assert statuses == {
        cast.neighbour.pk: "going",
        cast.applicant.pk: "cancelled",
        cast.council_member.pk: "going",
        cast.outsider.pk: "waiting",
    }
    assert services.waiting_position(Rsvp.objects.get(user=cast.outsider)) == 1
    assert AuditEvent.objects.filter(action="rsvp.promote").count() == 1


def test_a_waiting_person_cancelling_frees_no_place(cast: Cast) -> None:
    event = make_event(cast.district, capacity=1)
    first = services.rsvp_sign_up(actor=cast.neighbour, event=event)
    second = services.rsvp_sign_up(actor=cast.applicant, event=event)
    third = services.rsvp_sign_up(actor=cast.outsider, event=event)
    services.rsvp_cancel(actor=cast.applicant, rsvp=second)
    first.refresh_from_db()
    third.refresh_from_db()
    assert (first.status, third.status) == ("going", "waiting")
    assert services.waiting_position(third) == 1


def test_raising_the_capacity_moves_the_first_waiting_up(cast: Cast) -> None:
    event = make_event(cast.district, capacity=1)
    for person in (cast.neighbour, cast.applicant, cast.outsider):
        services.rsvp_sign_up(actor=person, event=event)
    services.event_change(actor=cast.broker, event=event, data={"capacity": 2})
    going = set(Rsvp.objects.filter(status="going").values_list("user_id", flat=True))
    assert going == {cast.neighbour.pk, cast.applicant.pk}
    services.event_change(actor=cast.broker, event=event, data={"capacity": None})
    assert Rsvp.objects.filter(status="going").count() == 3


def test_signing_up_twice_past_closed_or_switched_off_is_refused(cast: Cast) -> None:
    event = make_event(cast.district, capacity=1)
    services.rsvp_sign_up(actor=cast.neighbour, event=event)
    services.rsvp_sign_up(actor=cast.applicant, event=event)
    with pytest.raises(EventRefused) as twice:
        services.rsvp_sign_up(actor=cast.neighbour, event=event)
    assert twice.value.messages == ["Je bent al aangemeld voor deze bijeenkomst."]
    with pytest.raises(EventRefused) as waiting:
        services.rsvp_sign_up(actor=cast.applicant, event=event)
    assert waiting.value.messages == ["Je staat al op de wachtlijst, als nummer 1."]
    held = past_event(cast.district)
    with pytest.raises(EventRefused) as past:
        services.rsvp_sign_up(actor=cast.neighbour, event=held)
    assert past.value.code == "event_past"
    assert past.value.messages == [
        "Deze bijeenkomst is al begonnen of voorbij: je kunt je niet meer aanmelden."
    ]
    closed = make_event(cast.district, rsvp_enabled=False)
    with pytest.raises(EventRefused) as off:
        services.rsvp_sign_up(actor=cast.neighbour, event=closed)
    assert off.value.code == "rsvp_closed"
    CouncilMembership.objects.filter(user=cast.council_member).update(position="chair")
    meeting = make_event(
        cast.district, council=cast.council, kind="council_meeting", is_public=False
    )
    with pytest.raises(EventRefused) as not_public:
        services.rsvp_sign_up(actor=cast.neighbour, event=meeting)
    assert not_public.value.messages == ["Deze vergadering is besloten: aanmelden kan niet."]


def test_signing_up_again_after_cancelling_queues_anew(cast: Cast) -> None:
    event = make_event(cast.district, capacity=1)
    first = services.rsvp_sign_up(actor=cast.neighbour, event=event)
    services.rsvp_sign_up(actor=cast.applicant, event=event)
    services.rsvp_cancel(actor=cast.neighbour, rsvp=first)
    again = services.rsvp_sign_up(actor=cast.neighbour, event=event)
    assert again.pk == first.pk
    assert again.status == "waiting"
    with pytest.raises(EventRefused) as twice:
        services.rsvp_cancel(actor=cast.applicant, rsvp=Rsvp.objects.get(user=cast.applicant))
        services.rsvp_cancel(actor=cast.applicant, rsvp=Rsvp.objects.get(user=cast.applicant))
    assert twice.value.code == "not_signed_up"


def test_only_the_person_cancels_their_own_sign_up(cast: Cast) -> None:
    event = make_event(cast.district)
    rsvp = services.rsvp_sign_up(actor=cast.neighbour, event=event)
    with pytest.raises(PermissionDenied):
        services.rsvp_cancel(actor=cast.applicant, rsvp=rsvp)


# ----- Without an account -------------------------------------------------------------------------


def test_a_sign_up_without_an_account_counts_once_confirmed(cast: Cast) -> None:
    event = make_event(cast.district, capacity=1)
    pending = services.rsvp_request(event=event, name="Piet", email="Piet@Example.org")
    assert pending is not None and pending.status == RsvpStatus.PENDING
    # a pending sign-up takes no place
    assert services.rsvp_sign_up(actor=cast.neighbour, event=event).status == "going"
    token = services.rsvp_token(pending)
    assert services.rsvp_from_token(token) == pending
    confirmed = services.rsvp_confirm(rsvp=pending, token=token)
    assert confirmed.status == "waiting"
    assert services.waiting_position(confirmed) == 1
    # the same address again: the same sign-up (case does not matter)
    again = services.rsvp_request(event=event, name="Piet", email="piet@example.org")
    assert again is not None and again.pk == pending.pk and again.status == "waiting"
    # confirming twice changes nothing
    assert services.rsvp_confirm(rsvp=confirmed, token=token).status == "waiting"


def test_an_old_forged_or_readdressed_link_does_not_confirm(cast: Cast) -> None:
    event = make_event(cast.district)
    rsvp = services.rsvp_request(event=event, name="Piet", email="piet@example.org")
    assert rsvp is not None
    token = services.rsvp_token(rsvp)
    assert services.rsvp_from_token(token + "x") is None
    assert services.rsvp_from_token("nep:token") is None
    assert services.rsvp_from_token(signing.dumps({"r": rsvp.pk, "a": "x"}, salt="other")) is None
    # four days later the link still names the sign-up (to cancel it) but no longer confirms
    four_days_later = timezone.now().timestamp() + datetime.timedelta(days=4).total_seconds()
    with unittest.mock.patch("time.time", return_value=four_days_later):
        assert services.rsvp_from_token(token) == rsvp
        assert not services.token_is_fresh(token)
        with pytest.raises(EventRefused) as expired:
            services.rsvp_confirm(rsvp=rsvp, token=token)
    assert expired.value.code == "link_expired"
    assert Rsvp.objects.get(pk=rsvp.pk).status == "pending"
    Rsvp.objects.filter(pk=rsvp.pk).update(email="ander@example.org")
    assert services.rsvp_from_token(token) is None


def test_signing_up_without_an_account_is_rate_limited_per_address(cast: Cast) -> None:
    event = make_event(cast.district)
    for number in range(3):
        services.rsvp_request(
            event=event, name="Piet", email="piet@example.org", client=f"{number}"
        )
    with pytest.raises(RateLimited):
        services.rsvp_request(event=event, name="Piet", email="piet@example.org", client="9")
    # per client address as well
    for number in range(10):
        services.rsvp_request(
            event=event, name="Iemand", email=f"iemand{number}@example.org", client="1.2.3.4"
        )
    with pytest.raises(RateLimited):
        services.rsvp_request(
            event=event, name="Iemand", email="nog.een@example.org", client="1.2.3.4"
        )


def test_the_audit_trail_keeps_no_name_or_address_of_a_sign_up(cast: Cast) -> None:
    event = make_event(cast.district, capacity=1)
    rsvp = services.rsvp_request(event=event, name="Piet Geheim", email="piet@geheim.example")
    assert rsvp is not None
    services.rsvp_confirm(rsvp=rsvp, token=services.rsvp_token(rsvp))
    services.rsvp_cancel(actor=None, rsvp=rsvp)
    actions = list(
        AuditEvent.objects.filter(object_type="events.rsvp")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["rsvp.request", "rsvp.confirm", "rsvp.cancel"]
    for audit in AuditEvent.objects.all():
        text = f"{audit.object_repr} {audit.before} {audit.after}"
        assert "Piet" not in text and "geheim" not in text
        assert audit.municipality_id == cast.municipality.pk


# ----- Attendance and reminders -------------------------------------------------------------------


def test_attendance_is_recorded_after_the_start_with_names_ticked(cast: Cast) -> None:
    event = make_event(cast.district, capacity=5)
    a = services.rsvp_sign_up(actor=cast.neighbour, event=event)
    b = services.rsvp_sign_up(actor=cast.applicant, event=event)
    with pytest.raises(EventRefused) as early:
        services.attendance_record(actor=cast.broker, event=event, count=3)
    assert early.value.code == "not_started"
    later = event.starts_at + datetime.timedelta(minutes=5)
    with pytest.raises(EventRefused) as too_few:
        services.attendance_record(
            actor=cast.broker, event=event, count=1, attended=[a.pk, b.pk], now=later
        )
    assert too_few.value.messages == [
        "Je vinkte 2 namen aan maar vulde 1 mensen in: het aantal dat kwam is minstens het "
        "aantal aangevinkte namen."
    ]
    with pytest.raises(EventRefused) as stranger:
        services.attendance_record(
            actor=cast.broker, event=event, count=5, attended=[999_999], now=later
        )
    assert stranger.value.code == "attendance"
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=cast.neighbour, event=event, count=5, now=later)
    services.attendance_record(actor=cast.broker, event=event, count=7, attended=[a.pk], now=later)
    assert Event.objects.get(pk=event.pk).attendance_count == 7
    assert list(Rsvp.objects.filter(attended=True).values_list("pk", flat=True)) == [a.pk]
    audit = AuditEvent.objects.get(action="event.attendance")
    assert audit.after["attendance_count"] == 7
    assert audit.after["names_ticked"] == 1


def test_reminders_go_the_day_before_once_each(
    cast: Cast, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    tomorrow = make_event(cast.district, days=1, capacity=1)
    later = make_event(cast.district, days=3)
    services.rsvp_sign_up(actor=cast.neighbour, event=tomorrow)
    services.rsvp_sign_up(actor=cast.applicant, event=tomorrow)  # waiting: no reminder
    services.rsvp_sign_up(actor=cast.neighbour, event=later)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[wijkwerk] Morgen: “Buurtavond”"
    assert Rsvp.objects.filter(reminded_at__isnull=False).count() == 1


def test_the_command_sends_the_reminders(cast: Cast) -> None:
    from django.core.management import call_command

    event = make_event(cast.district, days=1)
    services.rsvp_sign_up(actor=cast.neighbour, event=event)
    call_command("send_event_reminders", verbosity=0)
    assert Rsvp.objects.get().reminded_at is not None


def test_followers_of_the_area_or_council_hear_of_a_new_event_once(
    cast: Cast, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    from wijkwerk.follows.models import Frequency
    from wijkwerk.follows.services import follow

    follow(cast.neighbour, cast.district, frequency=Frequency.IMMEDIATE)
    follow(cast.applicant, cast.council, frequency=Frequency.IMMEDIATE)
    follow(cast.applicant, cast.district, frequency=Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_create(actor=cast.broker, area=cast.district, data=data())
    assert sorted(m.to[0].rsplit("<", 1)[-1].rstrip(">") for m in mailoutbox) == sorted(
        [cast.neighbour.email, cast.applicant.email]
    )
    assert mailoutbox[0].subject == "[wijkwerk] Nieuwe bijeenkomst: “Buurtavond”"
    mailoutbox.clear()
    CouncilMembership.objects.filter(user=cast.council_member).update(position="chair")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_create(
            actor=cast.council_member, area=cast.district, council=cast.council, data=data()
        )
    # the council's follower once (also following the area), the area's follower too
    assert sorted(m.to[0].rsplit("<", 1)[-1].rstrip(">") for m in mailoutbox) == sorted(
        [cast.neighbour.email, cast.applicant.email]
    )
