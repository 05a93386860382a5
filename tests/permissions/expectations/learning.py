"""Pilots and lessons (docs/learning.md, "Pilots and lessons").

Pilots and published lessons are public. The broker of Dorst (and Oosterhout's administrator)
manage the pilot in Dorst-Zuid: change it, record lessons, approve or reject its residents'
lessons, add follow-ups. The broker of Slotjes starts pilots and records lessons in Oosterhout
too, but not in Dorst: the pilot's pending lesson is not his to see (404). Residents (anyone
logged in without a role) send lessons through the short form; the applicant's pending lesson
is seen by her and by the officials who moderate it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijkwerk.learning import services
from wijkwerk.learning.models import Perspective, PilotStatus

from ..framework import Case, World, everyone, logged_in


def pilot(world: World) -> None:
    today = timezone.localdate()
    made = services.pilot_create(
        actor=world.users["broker_this"],
        municipality=world.municipality,
        data=services.PilotData(
            title="Bewoners beheren het groen",
            goal="Bewoners beheren zelf het groen in hun straat.",
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=60),
            areas=[world.neighbourhood],
            officials=[world.users["broker_this"]],
            people="Bewoners van de Vijf Eikenweg",
            status=PilotStatus.RUNNING,
        ),
    )
    world.extra["pilot"] = made
    world.extra["published"] = services.lesson_record(
        actor=world.users["broker_this"],
        municipality=world.municipality,
        data=services.LessonData(
            title="Vraag eerst de buren",
            text="Een plan dat de buren al kennen, loopt beter.",
            perspective=Perspective.MUNICIPALITY,
            pilot=made,
            tags=["groen"],
        ),
    )
    world.extra["pending"] = services.lesson_send(
        actor=world.users["applicant"],
        municipality=world.municipality,
        data=services.LessonData(
            title="Samen snoeien werkt", text="Twaalf buren hielpen.", pilot=made
        ),
    )


def pk(name: str) -> Any:
    return lambda world: {"pk": world.extra[name].pk}


def place(world: World) -> dict[str, Any]:
    return {"municipality": world.municipality.slug}


# the pilot's managers
MANAGERS = logged_in(403, broker_this=200, admin=200)
# officials who may start pilots and record lessons somewhere in Oosterhout
STARTERS = logged_in(403, broker_other=200, broker_this=200, admin=200)
# residents: logged in without a role
RESIDENTS = logged_in(200, broker_other=403, broker_this=403, alderman=403, clerk=403, admin=403)
PENDING_SEEN = everyone(404, applicant=200, broker_this=200, admin=200)


def _as_400(expect: dict[str, int]) -> dict[str, int]:
    return {k: 400 if v == 200 else v for k, v in expect.items()}


CASES = [
    Case("learning:pilots", everyone(200), setup=pilot),
    Case(
        "learning:pilots",
        everyone(400),
        data=lambda w: {"status": "bogus"},
        setup=pilot,
        label="unknown status",
    ),
    Case("learning:pilot", everyone(200), kwargs=pk("pilot"), setup=pilot),
    Case("learning:pilot_edit", MANAGERS, kwargs=pk("pilot"), setup=pilot),
    Case(
        "learning:pilot_edit",
        _as_400(MANAGERS),
        kwargs=pk("pilot"),
        setup=pilot,
        method="post",
        data=lambda w: {
            "title": "Groen",
            "goal": "Doel",
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
            "areas": [w.neighbourhood.pk],
            "status": "running",
        },
        label="ends before start",
    ),
    Case("learning:lessons", everyone(200), setup=pilot),
    Case(
        "learning:lessons",
        everyone(400),
        data=lambda w: {"perspectief": "council"},
        setup=pilot,
        label="unknown perspective",
    ),
    Case("learning:lesson", everyone(200), kwargs=pk("published"), setup=pilot),
    Case(
        "learning:lesson",
        PENDING_SEEN,
        kwargs=pk("pending"),
        setup=pilot,
        label="pending",
        also={"outsider": 404, "oss_admin": 404},
    ),
    Case("learning:lesson_follow_up", MANAGERS, kwargs=pk("published"), setup=pilot),
    Case(
        "learning:lesson_follow_up",
        logged_in(404, applicant=403, broker_this=403, admin=403),
        kwargs=pk("pending"),
        setup=pilot,
        label="pending",
    ),
    Case(
        "learning:lesson_moderate",
        logged_in(404, applicant=403, broker_this=200, admin=200),
        kwargs=pk("pending"),
        setup=pilot,
        also={"outsider": 404, "oss_admin": 404},
    ),
    Case(
        "learning:lesson_moderate",
        logged_in(404, applicant=403, broker_this=400, admin=400),
        kwargs=pk("pending"),
        setup=pilot,
        method="post",
        data=lambda w: {"decision": "reject", "reason": ""},
        label="reject without reason",
    ),
    # once the broker of Dorst has approved it, it is public, and nobody moderates it again
    Case(
        "learning:lesson_moderate",
        logged_in(403, resident=404, council_member=404, broker_other=404, broker_this=302),
        kwargs=pk("pending"),
        setup=pilot,
        method="post",
        data=lambda w: {"decision": "approve"},
        label="approve",
    ),
    Case(
        "learning:moderation",
        logged_in(403, broker_other=200, broker_this=200, admin=200),
        setup=pilot,
        also={"oss_admin": 200, "outsider": 403},
    ),
    Case("learning:pilot_create", STARTERS, kwargs=place, also={"oss_admin": 403}),
    Case(
        "learning:pilot_create",
        _as_400(STARTERS),
        kwargs=place,
        method="post",
        data=lambda w: {"title": "<script>alert(1)</script>"},
        label="invalid",
    ),
    Case("learning:lesson_record", STARTERS, kwargs=place, setup=pilot),
    Case(
        "learning:lesson_record",
        _as_400(STARTERS),
        kwargs=place,
        method="post",
        data=lambda w: {"perspective": "residents", "title": "Les", "text": "Tekst"},
        label="neither pilot nor area",
    ),
    Case("learning:lesson_send", RESIDENTS, kwargs=place, setup=pilot),
    Case(
        "learning:lesson_send",
        _as_400(RESIDENTS),
        kwargs=place,
        method="post",
        data=lambda w: {"title": "Les", "text": "<script>alert(1)</script>"},
        label="neither pilot nor area",
    ),
]
