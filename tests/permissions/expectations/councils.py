"""Councils: everyone sees a council, its meetings, decisions and published minutes; the chair,
the secretary and the area's broker, coordinator and administrator run the meetings; the
documents of a closed meeting are for the council's members and those who run it."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wijkwerk.councils import services
from wijkwerk.funds.models import Fund
from wijkwerk.initiatives import services as initiative_services

from ..framework import Case, World, everyone, logged_in


def council(world: World) -> None:
    """Dorpsraad Dorst with its fund, a public meeting that has started with an initiative on
    its agenda and a document, and a closed meeting with a document."""
    cast = world.cast
    broker = world.users["broker_this"]
    fund = Fund.objects.create(
        municipality=world.municipality,
        scheme=cast.scheme,
        name="Leefbaarheidsbudget Dorpsraad Dorst",
        year=timezone.localdate().year,
        amount_cents=500_000,
        council=cast.council,
    )
    fund.areas.add(world.area)
    start = timezone.now() - datetime.timedelta(hours=1)
    meetings = {}
    titles = {"meeting": "Dorpsraadvergadering", "closed": "Besloten vergadering"}
    for name, public in (("meeting", True), ("closed", False)):
        meetings[name] = services.meeting_create(
            actor=broker,
            council=cast.council,
            data=services.MeetingData(
                title=titles[name],
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
                place_name="De Wissel",
                is_public=public,
            ),
        )
        world.extra[f"{name}_document"] = services.document_add(
            actor=broker,
            meeting=meetings[name],
            title="Stukken",
            upload=SimpleUploadedFile("stukken.pdf", b"%PDF-1.4\n0000", "application/pdf"),
        )
    initiative = initiative_services.initiative_submit(
        actor=cast.applicant, initiative=cast.draft()
    )
    world.extra["initiative"] = initiative
    services.initiative_hand_to_council(actor=broker, initiative=initiative, council=cast.council)
    world.extra["item"] = services.agenda_item_add(
        actor=broker, meeting=meetings["meeting"], title="", initiative=initiative
    )
    world.extra.update(meetings)


def waiting(world: World) -> None:
    """An initiative waiting for a decision, not yet handed to a council."""
    cast = world.cast
    world.extra["initiative"] = initiative_services.initiative_submit(
        actor=cast.applicant, initiative=cast.draft()
    )


def council_pk(world: World) -> dict[str, int]:
    return {"pk": world.cast.council.pk}


def meeting_pk(world: World) -> dict[str, int]:
    return {"pk": world.extra["meeting"].pk}


def closed_pk(world: World) -> dict[str, int]:
    return {"pk": world.extra["closed"].pk}


def item_pk(world: World) -> dict[str, int]:
    return {"pk": world.extra["item"].pk}


def document_kwargs(world: World) -> dict[str, int]:
    return {"pk": world.extra["meeting"].pk, "document": world.extra["meeting_document"].pk}


# The chair and secretary are not among the matrix's visitors; of them, the broker of Dorst and
# the administrator run the meetings; the cast's council member is an ordinary member.
MANAGE = logged_in(403, broker_this=200, admin=200)
MANAGE_FAILED = logged_in(403, broker_this=400, admin=400)
# the council's quorum: its chair (not among the visitors), the clerk and the administrator
QUORUM = logged_in(403, clerk=200, admin=200)
CLOSED_DOCUMENT = everyone(404, council_member=200, broker_this=200, admin=200)

CASES = [
    Case("councils:detail", everyone(200), kwargs=council_pk, setup=council),
    Case("councils:detail", everyone(200), kwargs=council_pk, label="no meetings yet"),
    Case("councils:meeting", everyone(200), kwargs=meeting_pk, setup=council),
    Case("councils:meeting", everyone(200), kwargs=closed_pk, setup=council, label="closed"),
    Case("councils:meeting_create", MANAGE, kwargs=council_pk),
    Case(
        "councils:meeting_create",
        MANAGE_FAILED,
        kwargs=council_pk,
        method="post",
        data=lambda w: {"title": "", "place_name": "De Wissel"},
        label="invalid post",
    ),
    Case("councils:quorum", QUORUM, kwargs=council_pk, also={"oss_admin": 403}),
    Case(
        "councils:quorum",
        logged_in(403, clerk=400, admin=400),
        kwargs=council_pk,
        method="post",
        data=lambda w: {"rule": "number", "number": "0"},
        label="invalid post",
    ),
    Case("councils:agenda_add", MANAGE, kwargs=meeting_pk, setup=council),
    Case("councils:document_add", MANAGE, kwargs=meeting_pk, setup=council),
    Case(
        "councils:document",
        everyone(200),
        kwargs=lambda w: {"pk": w.extra["meeting"].pk, "document": w.extra["meeting_document"].pk},
        setup=council,
        label="public meeting",
    ),
    Case(
        "councils:document",
        CLOSED_DOCUMENT,
        kwargs=lambda w: {"pk": w.extra["closed"].pk, "document": w.extra["closed_document"].pk},
        setup=council,
        label="closed meeting",
        also={"oss_admin": 404},
    ),
    Case("councils:agenda_edit", MANAGE, kwargs=item_pk, setup=council),
    Case(
        "councils:agenda_edit",
        MANAGE_FAILED,
        kwargs=item_pk,
        setup=council,
        method="post",
        data=lambda w: {"title": "Anders", "description": ""},
        label="after the start",
    ),
    Case("councils:agenda_remove", MANAGE, kwargs=item_pk, setup=council),
    Case(
        "councils:agenda_move",
        MANAGE_FAILED,
        kwargs=item_pk,
        setup=council,
        method="post",
        data=lambda w: {"direction": "up"},
        label="after the start",
    ),
    Case("councils:document_edit", MANAGE, kwargs=document_kwargs, setup=council),
    Case(
        "councils:document_edit",
        MANAGE_FAILED,
        kwargs=document_kwargs,
        setup=council,
        method="post",
        data=lambda w: {"title": ""},
        label="invalid post",
    ),
    Case("councils:document_remove", MANAGE, kwargs=document_kwargs, setup=council),
    Case("councils:minutes", MANAGE, kwargs=meeting_pk, setup=council),
    Case(
        "councils:minutes",
        MANAGE_FAILED,
        kwargs=meeting_pk,
        setup=council,
        method="post",
        data=lambda w: {"step": "publish"},
        label="publish before approval",
    ),
    Case(
        "councils:decide",
        MANAGE,
        kwargs=lambda w: {"pk": w.extra["item"].pk},
        setup=council,
        also={"oss_admin": 403},
    ),
    Case(
        "councils:decide",
        MANAGE_FAILED,
        kwargs=lambda w: {"pk": w.extra["item"].pk},
        setup=council,
        method="post",
        data=lambda w: {"reasons": "", "amount": "10,00"},
        label="without reasons",
    ),
    Case(
        "councils:hand_to_council",
        MANAGE,
        kwargs=lambda w: {"pk": w.extra["initiative"].pk},
        setup=waiting,
    ),
]
