"""When an event's time or place changes, or it is cancelled, everyone signed up (with an
account or a confirmed address) and everyone waiting gets a mail saying what changed, old → new,
with the updated calendar file (SEQUENCE raised), over the real local SMTP server."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from wijkwerk.events import services
from wijkwerk.events.models import Event, Rsvp, RsvpStatus

from ..cast import Cast
from .factories import TEST, make_event

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = datetime.datetime(2026, 12, 10, 19, 30, tzinfo=AMSTERDAM)
NEW_START = datetime.datetime(2026, 12, 11, 20, 0, tzinfo=AMSTERDAM)


def event_with_people(cast: Cast) -> tuple[Event, Rsvp]:
    """Buurtavond on Thursday 10 December 2026 with one place: the neighbour has it, the
    applicant waits, a guest confirmed by mail waits too, and a guest never confirmed."""
    event = make_event(cast.district, capacity=1)
    Event.objects.filter(pk=event.pk).update(
        starts_at=START, ends_at=START + datetime.timedelta(minutes=90)
    )
    event.refresh_from_db()
    services.rsvp_sign_up(actor=cast.neighbour, event=event)
    services.rsvp_sign_up(actor=cast.applicant, event=event)
    guest = services.rsvp_request(
        event=event, name="Piet Gast", email="piet@example.org", language="nl"
    )
    services.rsvp_confirm(rsvp=guest, token=services.rsvp_token(guest))
    services.rsvp_request(
        event=event, name="Nooit Bevestigd", email="nooit@example.org", language="nl"
    )
    event.refresh_from_db()
    return event, guest


def change(event: Event, **data: Any) -> Event:
    return services.event_change(actor=TEST, event=event, data=data)


def calendar_of(message: Any) -> icalendar.Event:
    (attachment,) = [
        a for a in message.iter_attachments() if a.get_content_type() == "text/calendar"
    ]
    assert attachment.get_filename() == "buurtavond.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    (vevent,) = calendar.walk("VEVENT")
    return vevent


def test_a_new_time_and_place_reach_everyone_signed_up_with_the_calendar_file(
    cast: Cast, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event, guest = event_with_people(cast)
    sequence = event.sequence
    with django_capture_on_commit_callbacks(execute=True):
        changed = change(
            event,
            starts_at=NEW_START,
            ends_at=NEW_START + datetime.timedelta(hours=2),
            place_name="Gemeenschapshuis De Wissel",
            address="Kerkstraat 5, Dorst",
        )
    assert changed.change_mailed == 3
    mails = {
        address: smtp_server.to(address)
        for address in (
            cast.neighbour.email,
            cast.applicant.email,
            "piet@example.org",
            "nooit@example.org",
        )
    }
    assert [len(found) for found in mails.values()] == [1, 1, 1, 0]
    message = mails[cast.neighbour.email][0]
    assert message["Subject"] == "[wijkwerk] Gewijzigd: “Buurtavond”"
    body = smtp_server.body(message)
    assert (
        "Wanneer: donderdag 10 december 2026, 19:30–21:00 → vrijdag 11 december 2026, "
        "20:00–22:00" in body
    )
    assert (
        "Waar: Dorpshuis De Kroon, Dorpsstraat 1, Dorst → Gemeenschapshuis De Wissel, "
        "Kerkstraat 5, Dorst" in body
    )
    vevent = calendar_of(message)
    assert int(vevent["SEQUENCE"]) == sequence + 1
    assert str(vevent["UID"]) == f"{event.uid}@wijkwerk"
    assert vevent.decoded("DTSTART") == NEW_START
    assert str(vevent["LOCATION"]) == "Gemeenschapshuis De Wissel, Kerkstraat 5, Dorst"
    assert str(vevent["STATUS"]) == "CONFIRMED"
    # the guest without an account gets the link to cancel
    guest_body = smtp_server.body(mails["piet@example.org"][0])
    assert services.manage_url(guest) in guest_body


def test_only_the_time_says_only_the_time_and_other_changes_mail_nobody(
    cast: Cast, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event, _guest = event_with_people(cast)
    with django_capture_on_commit_callbacks(execute=True):
        change(event, title="Buurtavond in de winter", description="Met soep.")
    assert smtp_server.to(cast.neighbour.email) == []
    event.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        change(event, ends_at=START + datetime.timedelta(hours=3))
    (message,) = smtp_server.to(cast.neighbour.email)
    body = smtp_server.body(message)
    assert "→ donderdag 10 december 2026, 19:30–22:30" in body
    assert "Waar:" not in body


def test_a_flurry_of_changes_mails_at_most_three_batches_an_hour(
    cast: Cast, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event, _guest = event_with_people(cast)
    held = []
    for hour in range(5):
        start = NEW_START + datetime.timedelta(hours=hour)
        with django_capture_on_commit_callbacks(execute=True):
            event = change(event, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
        held.append(event.change_mail_held)
    assert held == [False, False, False, True, True]
    assert len(smtp_server.to(cast.neighbour.email)) == 3
    event.refresh_from_db()
    assert event.starts_at == NEW_START + datetime.timedelta(hours=4)  # saved all the same


def test_a_cancellation_carries_the_struck_calendar_file(
    cast: Cast, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event, _guest = event_with_people(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=TEST, event=event, reason="De zaal is niet beschikbaar.")
    (message,) = smtp_server.to(cast.applicant.email)
    vevent = calendar_of(message)
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == event.sequence + 1


def test_the_organiser_is_told_who_was_mailed(
    cast: Cast, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event, _guest = event_with_people(cast)
    client = Client()
    client.force_login(cast.broker)
    form = {
        "title": "Buurtavond",
        "description": "Een avond voor de buurt.",
        "starts_at": "2026-12-11T20:00",
        "ends_at": "2026-12-11T22:00",
        "place_name": "Dorpshuis De Kroon",
        "address": "Dorpsstraat 1, Dorst",
        "capacity": "1",
        "rsvp_enabled": "on",
        "is_public": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:edit", args=[event.pk]), form, follow=True)
    page = response.content.decode()
    assert (
        "De 3 aangemelde mensen kregen de nieuwe tijd of plaats per e-mail, met het bijgewerkte "
        "agendabestand." in page
    ), page
    assert len(smtp_server.to("piet@example.org")) == 1
    assert Rsvp.objects.filter(status=RsvpStatus.WAITING).count() == 2
