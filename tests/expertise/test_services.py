"""Offers, invitations and questions through the services: what is saved, audited and mailed,
and what is refused (with nothing saved)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from wijkwerk.areas.models import GroupMembership, ResidentGroup
from wijkwerk.core.models import AuditEvent
from wijkwerk.core.ratelimit import RateLimited
from wijkwerk.expertise import services
from wijkwerk.expertise.models import (
    Answer,
    Invitation,
    InvitationStatus,
    Offer,
    Question,
    Tag,
)
from wijkwerk.expertise.refusals import ExpertiseRefused
from wijkwerk.initiatives.models import Initiative

from . import factories

pytestmark = pytest.mark.django_db


def data(cast: Any, **overrides: Any) -> services.OfferData:
    values: dict[str, Any] = {
        "kind": "skill",
        "title": "Timmerwerk",
        "description": "Ik maak bankjes.",
        "tags": ["Timmeren ", "timmeren", "Hout  bewerken"],
        "areas": [cast.neighbourhood],
        "availability": "Zaterdag",
        "visibility": "officials",
    }
    values.update(overrides)
    return services.OfferData(**values)


def refused(code: str, call: Any) -> ExpertiseRefused:
    with pytest.raises(ExpertiseRefused) as caught:
        call()
    assert caught.value.code == code
    return caught.value


def initiative_of(cast: Any) -> Initiative:
    initiative = cast.submitted()
    return Initiative.objects.select_related("area__parent__parent").get(pk=initiative.pk)


def test_an_offer_is_saved_with_normalised_tags_and_audited(cast):
    offer = services.offer_save(actor=cast.neighbour, offer=None, data=data(cast))
    assert offer.municipality_id == cast.municipality.pk
    assert [t.name for t in offer.tags.all()] == ["hout bewerken", "timmeren"]
    assert offer.tags_text == "timmeren hout bewerken"
    event = AuditEvent.objects.get(action="offer.create")
    assert event.municipality_id == cast.municipality.pk
    assert event.after["tags"] == "timmeren, hout bewerken"
    assert event.after["areas"] == "Dorst-Zuid"
    # the same tag again is the same row
    services.offer_save(actor=cast.applicant, offer=None, data=data(cast, tags=["TIMMEREN"]))
    assert Tag.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"title": "<script>alert(1)</script>"}, "markup"),
        ({"description": "Kijk <b>hier</b>"}, "markup"),
        ({"tags": ["<x>"]}, "bad_tag"),
        ({"tags": ["a" * 31]}, "bad_tag"),
        ({"tags": [f"tag{n}" for n in range(9)]}, "too_many_tags"),
        ({"areas": []}, "no_areas"),
        ({"available_until": datetime.date(2000, 1, 1)}, "until_past"),
    ],
)
def test_bad_offers_are_refused_and_nothing_is_saved(cast, overrides, code):
    refused(
        code,
        lambda: services.offer_save(actor=cast.neighbour, offer=None, data=data(cast, **overrides)),
    )
    assert Offer.objects.count() == 0
    assert Tag.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="offer.").count() == 0


def test_areas_of_another_municipality_are_refused(cast):
    error = refused(
        "area_elsewhere",
        lambda: services.offer_save(
            actor=cast.neighbour, offer=None, data=data(cast, areas=[cast.lith])
        ),
    )
    assert error.messages == ["Kies gebieden van je eigen gemeente."]
    assert Offer.objects.count() == 0


def test_without_a_home_area_there_is_no_offer(cast):
    refused(
        "no_home_area",
        lambda: services.offer_save(actor=cast.broker, offer=None, data=data(cast)),
    )


def test_only_the_owner_changes_pauses_and_removes(cast):
    offer = factories.offer(cast.neighbour)
    for call in (
        lambda: services.offer_save(actor=cast.applicant, offer=offer, data=data(cast)),
        lambda: services.offer_pause(actor=cast.broker, offer=offer, paused=True),
        lambda: services.offer_remove(actor=cast.admin, offer=offer),
    ):
        with pytest.raises(PermissionDenied):
            call()
    services.offer_pause(actor=cast.neighbour, offer=offer, paused=True)
    assert Offer.objects.get(pk=offer.pk).status == "paused"


def test_removing_an_offer_removes_its_data_and_invitations(cast):
    offer = factories.offer(cast.neighbour, description="Mijn geheime tekst")
    services.invitation_send(
        actor=cast.broker, offer=offer, target=initiative_of(cast), message="Doe mee"
    )
    number = offer.pk
    services.offer_remove(actor=cast.neighbour, offer=offer)
    assert not Offer.objects.exists()
    assert not Invitation.objects.exists()
    event = AuditEvent.objects.get(action="offer.remove")
    assert event.object_repr == f"aanbod {number}"
    assert "geheime" not in str(event.before) + str(event.after)


def test_an_invitation_mails_the_resident_and_the_answer_the_inviter(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    offer = factories.offer(cast.neighbour, visibility="officials")
    initiative = initiative_of(cast)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_send(
            actor=cast.broker, offer=offer, target=initiative, message="Wil je 't doen?"
        )
    [mail] = smtp_server.to(cast.neighbour.email)
    body = smtp_server.body(mail)
    assert "Wil je 't doen?" in body
    assert initiative.title in body
    assert AuditEvent.objects.get(action="offer_invitation.send").municipality_id == (
        cast.municipality.pk
    )
    invitation = Invitation.objects.select_related("offer").get(pk=invitation.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_answer(actor=cast.neighbour, invitation=invitation, accept=True)
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.ACCEPTED
    [answer] = smtp_server.to(cast.broker.email)
    assert "heeft je uitnodiging voor Geveltuinen in de Kerkstraat aangenomen" in (
        smtp_server.body(answer)
    )
    refused(
        "already_answered",
        lambda: services.invitation_answer(
            actor=cast.neighbour, invitation=invitation, accept=False
        ),
    )
    with pytest.raises(PermissionDenied):
        services.invitation_answer(actor=cast.broker, invitation=invitation, accept=True)


def test_invitations_only_to_what_the_inviter_may_invite_to(cast):
    offer = factories.offer(cast.neighbour, visibility="everyone")
    initiative = initiative_of(cast)  # the applicant's, in Dorst-Zuid
    # the broker of Slotjes does not broker Dorst
    error = refused(
        "not_a_target",
        lambda: services.invitation_send(
            actor=cast.other_broker, offer=offer, target=initiative, message="Hoi"
        ),
    )
    assert "kies een van je eigen initiatieven" in error.messages[0]
    # the applicant (an initiator) invites to her own initiative
    services.invitation_send(
        actor=cast.applicant, offer=offer, target=initiative, message="Help je mee?"
    )
    refused(
        "already_invited",
        lambda: services.invitation_send(
            actor=cast.broker, offer=offer, target=initiative, message="Nog eens"
        ),
    )
    # a group: its contact person, or the area's broker; not a mere member
    group = ResidentGroup.objects.create(area=cast.neighbourhood, name="Buurtpreventie")
    GroupMembership.objects.create(group=group, user=cast.council_member, role="member")
    group = ResidentGroup.objects.select_related("area__parent__parent").get(pk=group.pk)
    assert services.may_invite_to(cast.broker, group)
    assert not services.may_invite_to(cast.other_broker, group)
    assert not services.may_invite_to(cast.council_member, group)
    GroupMembership.objects.filter(group=group).update(role="contact")
    assert services.may_invite_to(cast.council_member, group)
    # a question: an official of its municipality, while it is open
    question = factories.question(cast.broker, [cast.district])
    assert services.may_invite_to(cast.other_broker, question)
    assert not services.may_invite_to(cast.oss_admin, question)
    services.question_close(actor=cast.broker, question=question)
    assert not services.may_invite_to(cast.broker, question)
    assert Invitation.objects.count() == 1


def test_who_may_not_see_an_offer_may_not_invite(cast):
    offer = factories.offer(cast.neighbour, visibility="officials")
    initiative = initiative_of(cast)
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            actor=cast.applicant, offer=offer, target=initiative, message="Hoi"
        )
    services.offer_pause(actor=cast.neighbour, offer=offer, paused=True)
    with pytest.raises(PermissionDenied):
        services.invitation_send(actor=cast.broker, offer=offer, target=initiative, message="Hoi")
    assert not Invitation.objects.exists()


def test_invitations_are_rate_limited(cast, settings):
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "expertise_invite": "2/m"}
    offers = [factories.offer(cast.neighbour, title=f"Aanbod {n}") for n in range(3)]
    initiative = initiative_of(cast)
    for offer in offers[:2]:
        services.invitation_send(actor=cast.broker, offer=offer, target=initiative, message="Hoi")
    with pytest.raises(RateLimited):
        services.invitation_send(
            actor=cast.broker, offer=offers[2], target=initiative, message="Hoi"
        )
    assert Invitation.objects.count() == 2


def test_a_question_answered_closed_and_its_outcome(cast):
    question = factories.question(cast.broker, [cast.district, cast.other_district])
    assert question.is_open
    services.answer_add(
        actor=cast.neighbour, question=question, kind="answer", text="Mijn opa", show_publicly=True
    )
    mine = factories.offer(cast.outsider)
    services.answer_add(actor=cast.outsider, question=question, kind="help", text="", offer=mine)
    refused(
        "answered_already",
        lambda: services.answer_add(actor=cast.neighbour, question=question, kind="help", text=""),
    )
    refused(
        "not_your_offer",
        lambda: services.answer_add(
            actor=cast.applicant, question=question, kind="help", text="", offer=mine
        ),
    )
    refused(
        "answer_required",
        lambda: services.answer_add(
            actor=cast.applicant, question=question, kind="answer", text=" "
        ),
    )
    refused(
        "question_open",
        lambda: services.question_record_outcome(actor=cast.broker, question=question, outcome="x"),
    )
    services.question_close(actor=cast.alderman, question=question)
    refused(
        "question_closed",
        lambda: services.answer_add(actor=cast.applicant, question=question, kind="help", text=""),
    )
    refused(
        "question_closed", lambda: services.question_close(actor=cast.broker, question=question)
    )
    with pytest.raises(PermissionDenied):
        services.question_record_outcome(actor=cast.neighbour, question=question, outcome="x")
    services.question_record_outcome(
        actor=cast.admin, question=question, outcome="Een tentoonstelling in de bibliotheek."
    )
    question.refresh_from_db()
    assert question.outcome == "Een tentoonstelling in de bibliotheek."
    assert Answer.objects.filter(question=question).count() == 2
    assert list(
        AuditEvent.objects.filter(action__startswith="municipal_question.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "municipal_question.ask",
        "municipal_question.answer",
        "municipal_question.answer",
        "municipal_question.close",
        "municipal_question.outcome",
    ]


def test_only_residents_of_the_areas_answer(cast):
    question = factories.question(cast.broker, [cast.district])
    with pytest.raises(PermissionDenied):  # lives in Slotjes
        services.answer_add(actor=cast.outsider, question=question, kind="help", text="")
    with pytest.raises(PermissionDenied):  # an official without a home here
        services.answer_add(actor=cast.broker, question=question, kind="help", text="")
    # Dorst-Zuid lies in Dorst
    services.answer_add(actor=cast.applicant, question=question, kind="help", text="")


def test_bad_questions_are_refused(cast):
    def ask(actor: Any = None, **overrides: Any) -> Question:
        values: dict[str, Any] = {
            "kind": "think_along",
            "title": "Wie denkt mee over het plein?",
            "body": "We richten het plein opnieuw in.",
            "areas": [cast.district],
            "closes_on": timezone.localdate(),
        }
        values.update(overrides)
        return services.question_ask(
            actor=actor or cast.broker, data=services.QuestionData(**values)
        )

    error = refused(
        "closing_in_past",
        lambda: ask(closes_on=timezone.localdate() - datetime.timedelta(days=1)),
    )
    assert error.messages == ["De sluitingsdatum is al voorbij: kies vandaag of een latere datum."]
    refused("area_elsewhere", lambda: ask(areas=[cast.district, cast.lith]))
    refused("area_elsewhere", lambda: ask(actor=cast.oss_admin))
    refused("markup", lambda: ask(body="<img src=x onerror=alert(1)>"))
    refused("no_areas", lambda: ask(areas=[]))
    with pytest.raises(PermissionDenied):
        ask(actor=cast.neighbour)
    assert not Question.objects.exists()
    assert ask().is_open  # closing today: open all day


def test_the_followers_of_the_areas_hear_of_a_question_once(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    from wijkwerk.follows import services as follows

    follows.follow(cast.neighbour, cast.district, frequency="immediate")
    follows.follow(cast.neighbour, cast.other_district, frequency="immediate")
    follows.follow(cast.outsider, cast.lith, frequency="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        factories.question(cast.broker, [cast.district, cast.other_district])
    [mail] = smtp_server.to(cast.neighbour.email)
    assert (
        mail["Subject"] == "[wijkwerk] De gemeente vraagt: ‘Wie weet iets over de oude watermolen?’"
    )
    assert "We zoeken verhalen en foto's voor het dorpsarchief." in smtp_server.body(mail)
    assert smtp_server.to(cast.outsider.email) == []
    assert smtp_server.to(cast.broker.email) == []
