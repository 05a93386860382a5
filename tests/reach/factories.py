"""Activities for reach tests, made straight in the database (reach only reads them): a sign-up,
a survey or poll response, a submitted initiative, a support, a comment, a follow, ballots.

Each takes `when` (an aware datetime) and puts it where the other app keeps its moment."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wijkwerk.budgeting.models import Ballot, BudgetProcess
from wijkwerk.comments.models import Comment
from wijkwerk.events.models import Event, Rsvp
from wijkwerk.follows.models import Follow
from wijkwerk.initiatives.models import Initiative, Support
from wijkwerk.reach.models import Population
from wijkwerk.surveys.models import Response, Survey

from ..areas.factories import AreaFactory
from ..initiatives.factories import InitiativeFactory

CHANNELS = ("attendance", "poll", "survey", "initiative", "support", "comment", "follow")


def moment(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def event(area: Any, when: datetime.datetime, **fields: Any) -> Event:
    return Event.objects.create(
        area=area,
        title="Buurtavond",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        place_name="Dorpshuis",
        **fields,
    )


def rsvp(event: Event, user: Any = None, *, email: str = "", **fields: Any) -> Rsvp:
    fields.setdefault("status", "going")
    return Rsvp.objects.create(event=event, user=user, email=email, **fields)


def survey(area: Any, *, kind: str = "survey", **fields: Any) -> Survey:
    return Survey.objects.create(
        municipality=area.municipality,
        area=area,
        kind=kind,
        title="Peiling" if kind == "poll" else "Enquête",
        status="published",
        **fields,
    )


def response(survey: Survey, when: datetime.datetime, user: Any = None, **keys: Any) -> Response:
    made = Response.objects.create(survey=survey, user=user, **keys)
    Response.objects.filter(pk=made.pk).update(created_at=when)
    return made


def submitted(area: Any, applicant: Any, when: datetime.datetime) -> Initiative:
    return InitiativeFactory(area=area, applicant=applicant, submitted_at=when)


def support(initiative: Initiative, user: Any, when: datetime.datetime) -> Support:
    made = Support.objects.create(initiative=initiative, user=user)
    Support.objects.filter(pk=made.pk).update(created_at=when)
    return made


def comment(initiative: Initiative, author: Any, when: datetime.datetime) -> Comment:
    made = Comment.objects.create(
        content_type=ContentType.objects.get_for_model(initiative),
        object_id=initiative.pk,
        municipality=initiative.area.municipality,
        area=initiative.area,
        author=author,
        body="Goed plan!",
    )
    Comment.objects.filter(pk=made.pk).update(created_at=when)
    return made


def follow(user: Any, target: Any, when: datetime.datetime) -> Follow:
    made = Follow.objects.create(
        user=user, content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    )
    Follow.objects.filter(pk=made.pk).update(created_at=when)
    return made


def ballots(process: BudgetProcess, area: Any, count: int) -> None:
    Ballot.objects.bulk_create(
        Ballot(process=process, area=area, choices=[]) for _number in range(count)
    )


def population(area: Any, year: int, inhabitants: int, households: int | None = None) -> Any:
    return Population.objects.create(
        area=area, year=year, inhabitants=inhabitants, households=households
    )


def neighbourhood(parent: Any, name: str, code: str) -> Any:
    return AreaFactory(
        municipality=parent.municipality,
        parent=parent,
        kind="neighbourhood",
        name=name,
        slug=name.lower(),
        cbs_code=code,
    )
