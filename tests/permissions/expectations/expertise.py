"""Offers and questions (docs/expertise.md).

Offers: the applicant (a resident of Dorst-Zuid) offers something with each visibility. Who sees
it follows the resident's choice and nothing else: everyone; the officials of Oosterhout (its area
officials and administrator, not the clerk); or those officials and residents with a running
initiative in Dorst-Zuid (here the council member's). A paused offer only its owner sees. A
visitor who may not see an offer gets 404 on each of its pages; one who sees it but may not act
gets 403.

Search and invitations: Oosterhout's brokers and administrator, and initiators (the council
member). Questions are public; residents of the question's areas answer; Oosterhout's officials
close them and record the outcome.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijkwerk.expertise import services
from wijkwerk.expertise.models import Offer, Question
from wijkwerk.initiatives.models import Initiative

from ..framework import Case, World, everyone, logged_in

TITLES = {"everyone": "voor iedereen", "officials": "voor de gemeente", "initiators": "voor buren"}


def _offer(world: World, visibility: str) -> Offer:
    return services.offer_save(
        actor=world.users["applicant"],
        offer=None,
        data=services.OfferData(
            kind="skill",
            title=f"Timmerwerk {TITLES[visibility]}",
            description="Kleine reparaties aan bankjes en schuttingen.",
            tags=["timmeren"],
            areas=[world.neighbourhood],
            availability="Zaterdagochtend",
            visibility=visibility,
        ),
    )


def _initiator(world: World) -> Initiative:
    """The council member runs an initiative in Dorst-Zuid: an initiator in the offer's area."""
    return Initiative.objects.create(
        title="Buurtmoestuin",
        summary="Een moestuin voor de buurt.",
        area=world.neighbourhood,
        applicant=world.users["council_member"],
        status="submitted",
        consent_to_publish=True,
        requested_cents=50_000,
    )


def offers(world: World) -> None:
    _initiator(world)
    world.extra.update({v: _offer(world, v) for v in ("everyone", "officials", "initiators")})


def paused(world: World) -> None:
    offers(world)
    services.offer_pause(
        actor=world.users["applicant"], offer=world.extra["officials"], paused=True
    )


def invitation(world: World) -> None:
    offers(world)
    target = _initiator(world)
    target.title = "Speelplek"
    target.save()
    world.extra["invitation"] = services.invitation_send(
        actor=world.users["broker_this"],
        offer=world.extra["officials"],
        target=Initiative.objects.select_related("area__parent__parent").get(pk=target.pk),
        message="Wil je helpen met de speelplek?",
    )


def _question(world: World, *, closed: bool = False) -> Question:
    question = services.question_ask(
        actor=world.users["broker_this"],
        data=services.QuestionData(
            kind="knowledge",
            title="Wie weet iets over de watermolen?",
            body="Verhalen en foto's gezocht.",
            areas=[world.area],
            closes_on=timezone.localdate() + datetime.timedelta(days=14),
        ),
    )
    if closed:
        services.question_close(actor=world.users["broker_this"], question=question)
    return question


def question(world: World) -> None:
    world.extra["question"] = _question(world)


def closed_question(world: World) -> None:
    world.extra["question"] = _question(world, closed=True)


def pk(name: str) -> Any:
    return lambda world: {"pk": world.extra[name].pk}


# The officials of Oosterhout (area officials and the administrator; not the clerk).
OFFICIALS = {"broker_other": 200, "broker_this": 200, "alderman": 200, "admin": 200}
HIDDEN = everyone(404, applicant=200)
FOR_OFFICIALS = {**HIDDEN, **OFFICIALS}
FOR_INITIATORS = {**FOR_OFFICIALS, "council_member": 200}
# search and invite: Oosterhout's brokers and administrator, and initiators
INVITERS = {"broker_other": 200, "broker_this": 200, "admin": 200, "council_member": 200}
SEARCH = logged_in(403, **INVITERS)
# may see the offer but not invite: the owner, and (for some offers) the alderman
INVITE_EVERYONE_OFFER = logged_in(403, **INVITERS)
INVITE_OFFICIALS_OFFER = {
    **logged_in(404, applicant=403, alderman=403),
    **{k: v for k, v in INVITERS.items() if k != "council_member"},
}
OWNER_ONLY = logged_in(403, applicant=200)
# Oosterhout's officials who ask questions (not the clerk)
ASKERS = logged_in(403, broker_other=200, broker_this=200, alderman=200, admin=200)

CASES = [
    Case("expertise:index", everyone(200), setup=offers),
    Case("expertise:offer_create", logged_in(200)),
    Case(
        "expertise:offer_create",
        logged_in(400),
        method="post",
        data=lambda w: {"title": "<script>alert(1)</script>"},
        label="invalid",
    ),
    Case("expertise:search", SEARCH, setup=offers, also={"outsider": 403, "oss_admin": 200}),
    Case(
        "expertise:offer",
        everyone(200),
        kwargs=pk("everyone"),
        setup=offers,
        label="everyone",
        also={"outsider": 200, "oss_admin": 200},
    ),
    Case(
        "expertise:offer",
        FOR_OFFICIALS,
        kwargs=pk("officials"),
        setup=offers,
        label="officials only",
        also={"outsider": 404, "oss_admin": 404},
    ),
    Case(
        "expertise:offer",
        FOR_INITIATORS,
        kwargs=pk("initiators"),
        setup=offers,
        label="initiators in my area",
        also={"outsider": 404, "oss_admin": 404},
    ),
    Case("expertise:offer", HIDDEN, kwargs=pk("officials"), setup=paused, label="paused"),
    Case("expertise:offer_edit", OWNER_ONLY, kwargs=pk("everyone"), setup=offers),
    Case(
        "expertise:offer_edit",
        {**logged_in(404, applicant=200), **dict.fromkeys(OFFICIALS, 403)},
        kwargs=pk("officials"),
        setup=offers,
        label="officials only",
    ),
    Case("expertise:offer_pause", everyone(405), kwargs=pk("everyone"), setup=offers),
    # once the applicant has paused it, nobody after her in the list sees it
    Case(
        "expertise:offer_pause",
        logged_in(404, resident=403, applicant=302),
        kwargs=pk("everyone"),
        setup=offers,
        method="post",
        label="pause",
    ),
    Case("expertise:offer_remove", OWNER_ONLY, kwargs=pk("everyone"), setup=offers),
    # once the applicant has removed it, it is gone for everyone after her
    Case(
        "expertise:offer_remove",
        logged_in(404, resident=403, applicant=302),
        kwargs=pk("everyone"),
        setup=offers,
        method="post",
        label="remove",
    ),
    Case("expertise:invite", INVITE_EVERYONE_OFFER, kwargs=pk("everyone"), setup=offers),
    Case(
        "expertise:invite",
        INVITE_OFFICIALS_OFFER,
        kwargs=pk("officials"),
        setup=offers,
        label="officials only",
    ),
    Case(
        "expertise:invite",
        {
            **INVITE_OFFICIALS_OFFER,
            **{k: 400 for k, v in INVITE_OFFICIALS_OFFER.items() if v == 200},
        },
        kwargs=pk("officials"),
        setup=offers,
        method="post",
        data=lambda w: {"target": "initiative:999999", "message": "Doe je mee?"},
        label="a target not theirs",
    ),
    Case("expertise:invitations", logged_in(200), setup=invitation),
    Case(
        "expertise:invitation",
        logged_in(404, applicant=200, broker_this=200),
        kwargs=pk("invitation"),
        setup=invitation,
    ),
    Case(
        "expertise:invitation",
        logged_in(404, applicant=302, broker_this=403),
        kwargs=pk("invitation"),
        setup=invitation,
        method="post",
        data=lambda w: {"answer": "accept"},
        label="accept",
    ),
    Case("expertise:questions", everyone(200), setup=question),
    Case("expertise:question", everyone(200), kwargs=pk("question"), setup=question),
    Case(
        "expertise:question",
        everyone(200),
        kwargs=pk("question"),
        setup=closed_question,
        label="closed",
    ),
    Case("expertise:question_create", ASKERS),
    Case(
        "expertise:question_create",
        {**ASKERS, **{k: 400 for k, v in ASKERS.items() if v == 200}},
        method="post",
        data=lambda w: {"title": "Vraag", "closes_on": "2000-01-01"},
        label="invalid",
    ),
    Case("expertise:question_answer", everyone(405), kwargs=pk("question"), setup=question),
    # residents of Dorst (and Dorst-Zuid inside it) answer; officials live nowhere in the cast
    Case(
        "expertise:question_answer",
        logged_in(403, resident=302, applicant=302, council_member=302),
        kwargs=pk("question"),
        setup=question,
        method="post",
        data=lambda w: {"kind": "answer", "text": "Mijn opa was molenaar."},
        label="answer",
        also={"outsider": 403},
    ),
    Case(
        "expertise:question_answer",
        logged_in(400),
        kwargs=pk("question"),
        setup=closed_question,
        method="post",
        data=lambda w: {"kind": "answer", "text": "Te laat."},
        label="closed",
    ),
    # the first official closes it; the next ones find it closed already
    Case(
        "expertise:question_close",
        logged_in(403, broker_other=302, broker_this=400, alderman=400, admin=400),
        kwargs=pk("question"),
        setup=question,
        method="post",
    ),
    Case(
        "expertise:question_outcome",
        logged_in(403, broker_other=302, broker_this=302, alderman=302, admin=302),
        kwargs=pk("question"),
        setup=closed_question,
        method="post",
        data=lambda w: {"outcome": "We maken een tentoonstelling met de verhalen."},
    ),
    Case(
        "expertise:question_outcome",
        logged_in(403, broker_other=400, broker_this=400, alderman=400, admin=400),
        kwargs=pk("question"),
        setup=question,
        method="post",
        data=lambda w: {"outcome": "Nog niet."},
        label="still open",
    ),
]
