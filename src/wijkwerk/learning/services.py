"""Writes about pilots and lessons: one transaction each, the policy's check, an audit event,
mail queued on commit. A refused write saves nothing (`LearningRefused`, `RateLimited`,
`PermissionDenied`)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.accounts.models import RoleAssignment
from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core import audit, notifications, ratelimit
from wijkwerk.follows.services import notify_followers

from . import policy
from .audit_actions import LearningAction
from .models import (
    AREAS_PER_PILOT,
    FOLLOW_UP_MAX,
    GOAL_MAX,
    LESSON_TEXT_MAX,
    PEOPLE_MAX,
    REASON_MAX,
    TAG_MAX,
    TAGS_PER_LESSON,
    TITLE_MAX,
    Lesson,
    LessonStatus,
    Perspective,
    Pilot,
    PilotStatus,
    Tag,
)
from .notifications import LESSON_APPROVED, LESSON_REJECTED, PILOT_STARTED
from .refusals import LearningRefused

# "<b", "</p", "<script", "<!--": text that reads as HTML. Pilots and lessons are plain text:
# refused here, and shown escaped wherever they are shown.
_MARKUP = re.compile(r"<\s*[/!]?\s*[a-zA-Z!]")
_TAG = re.compile(r"^[^\W_]+(?:[ -][^\W_]+)*$")


def _plain(*texts: str) -> None:
    if any(_MARKUP.search(text or "") for text in texts):
        raise LearningRefused(
            _("Write plain text, without HTML such as <script> or <b>."), code="markup"
        )


def _text(value: str, *, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise LearningRefused(_("Fill in the %(label)s.") % {"label": label}, code="required")
    if len(value) > limit:
        raise LearningRefused(
            _("The %(label)s has %(length)d characters; at most %(max)d fit.")
            % {"label": label, "length": len(value), "max": limit},
            code="too_long",
        )
    return value


def normalise_tag(text: str) -> str:
    return " ".join(text.lower().split())


def normalise_tags(texts: Iterable[str]) -> list[str]:
    """Normalised, without doubles, in the order given; refuses tags that cannot be one."""
    tags: list[str] = []
    for text in texts:
        tag = normalise_tag(text)
        if not tag or tag in tags:
            continue
        if len(tag) > TAG_MAX or not _TAG.match(tag):
            raise LearningRefused(
                _(
                    "The tag “%(tag)s” cannot be used: a tag has at most %(max)d letters, digits, "
                    "spaces or hyphens."
                )
                % {"tag": tag[:40], "max": TAG_MAX},
                code="bad_tag",
            )
        tags.append(tag)
    if len(tags) > TAGS_PER_LESSON:
        raise LearningRefused(
            _("Give at most %(max)d tags.") % {"max": TAGS_PER_LESSON}, code="too_many_tags"
        )
    return tags


def _audit_names(items: Iterable[Any]) -> str:
    return ", ".join(sorted(str(item) for item in items))


# --- pilots --------------------------------------------------------------------------------


@dataclass
class PilotData:
    title: str
    goal: str
    starts_on: datetime.date
    ends_on: datetime.date
    areas: Sequence[Area]
    officials: Sequence[Any] = ()
    people: str = ""
    status: str = PilotStatus.PLANNED


def _check_pilot(actor: Any, municipality: Municipality, data: PilotData) -> PilotData:
    title = _text(data.title, label=_("title"), limit=TITLE_MAX)
    goal = _text(data.goal, label=_("goal"), limit=GOAL_MAX)
    people = _text(data.people, label=_("residents and partners"), limit=PEOPLE_MAX, required=False)
    _plain(title, goal, people)
    if data.starts_on is None or data.ends_on is None:
        raise LearningRefused(_("Give the pilot's start and end."), code="required")
    if data.ends_on <= data.starts_on:
        raise LearningRefused(_("The pilot must end after it starts."), code="ends_before_start")
    if data.status not in PilotStatus.values:
        raise LearningRefused(_("Choose one of the statuses."), code="required")
    areas = list(dict.fromkeys(data.areas))
    if not areas:
        raise LearningRefused(_("Choose at least one area."), code="no_areas")
    if len(areas) > AREAS_PER_PILOT:
        raise LearningRefused(
            _("Choose at most %(max)d areas.") % {"max": AREAS_PER_PILOT}, code="too_many_areas"
        )
    if any(area.municipality_id != municipality.pk for area in areas):
        raise LearningRefused(
            _("Choose areas of %(municipality)s.") % {"municipality": municipality.name},
            code="area_elsewhere",
        )
    if not policy._manages(actor, areas, municipality.pk):
        raise LearningRefused(_("Choose at least one area you work for."), code="area_elsewhere")
    officials = list(dict.fromkeys(data.officials))
    if officials:
        with_role = set(
            RoleAssignment.objects.filter(
                user__in=[person.pk for person in officials], municipality=municipality
            ).values_list("user_id", flat=True)
        )
        if any(person.pk not in with_role for person in officials):
            raise LearningRefused(
                _("Name only officials who work for %(municipality)s.")
                % {"municipality": municipality.name},
                code="not_an_official",
            )
    return PilotData(
        title=title,
        goal=goal,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        areas=areas,
        officials=officials,
        people=people,
        status=data.status,
    )


def _pilot_snapshot(pilot: Pilot, data: PilotData) -> dict[str, Any]:
    state = audit.snapshot(pilot, ["title", "starts_on", "ends_on", "status"])
    state["areas"] = _audit_names(data.areas)
    state["officials"] = _audit_names(data.officials)
    return state


def _load_areas(pilot: Pilot) -> list[Area]:
    return list(pilot.areas.select_related("parent__parent"))


def pilot_create(*, actor: Any, municipality: Municipality, data: PilotData) -> Pilot:
    """Start a pilot (an official of one of its areas, or an administrator); the followers of
    its areas hear of it."""
    if not actor.has_perm("learning.create_pilot", municipality):
        raise PermissionDenied
    data = _check_pilot(actor, municipality, data)
    with transaction.atomic():
        pilot = Pilot.objects.create(
            municipality=municipality,
            title=data.title,
            goal=data.goal,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            people=data.people,
            status=data.status,
            created_by=actor,
        )
        pilot.areas.set(data.areas)
        pilot.officials.set(data.officials)
        audit.record(
            actor=actor,
            action=LearningAction.PILOT_CREATE,
            instance=pilot,
            after=_pilot_snapshot(pilot, data),
        )
        notify_followers(PILOT_STARTED, pilot, context={"pilot": pilot}, exclude=[actor])
    return pilot


def pilot_change(*, actor: Any, pilot: Pilot, data: PilotData) -> Pilot:
    """Change a pilot: its text, period, areas, people or status."""
    if not actor.has_perm("learning.change_pilot", pilot):
        raise PermissionDenied
    data = _check_pilot(actor, pilot.municipality, data)
    with transaction.atomic():
        pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
        before = _pilot_snapshot(
            pilot,
            PilotData(
                title=pilot.title,
                goal=pilot.goal,
                starts_on=pilot.starts_on,
                ends_on=pilot.ends_on,
                areas=list(pilot.areas.all()),
                officials=list(pilot.officials.all()),
            ),
        )
        for name in ("title", "goal", "starts_on", "ends_on", "people", "status"):
            setattr(pilot, name, getattr(data, name))
        pilot.save()
        pilot.areas.set(data.areas)
        pilot.officials.set(data.officials)
        audit.record(
            actor=actor,
            action=LearningAction.PILOT_CHANGE,
            instance=pilot,
            before=before,
            after=_pilot_snapshot(pilot, data),
        )
    return pilot


# --- lessons -------------------------------------------------------------------------------


@dataclass
class LessonData:
    title: str
    text: str
    perspective: str = Perspective.RESIDENTS
    pilot: Pilot | None = None
    area: Area | None = None
    tags: Sequence[str] = field(default_factory=list)
    learned_on: datetime.date | None = None
    on_behalf: bool = False


def _check_lesson(municipality: Municipality, data: LessonData) -> tuple[LessonData, list[str]]:
    title = _text(data.title, label=_("title"), limit=TITLE_MAX)
    text = _text(data.text, label=_("lesson"), limit=LESSON_TEXT_MAX)
    _plain(title, text, *data.tags)
    if data.pilot is None and data.area is None:
        raise LearningRefused(
            _("Choose the pilot or the area the lesson is about."), code="no_pilot_or_area"
        )
    if data.pilot is not None and data.pilot.municipality_id != municipality.pk:
        raise LearningRefused(
            _("Choose a pilot of %(municipality)s.") % {"municipality": municipality.name},
            code="pilot_elsewhere",
        )
    if data.area is not None and data.area.municipality_id != municipality.pk:
        raise LearningRefused(
            _("Choose an area of %(municipality)s.") % {"municipality": municipality.name},
            code="area_elsewhere",
        )
    if data.perspective not in Perspective.values:
        raise LearningRefused(
            _("Choose whose lesson it is: the municipality's or the residents'."),
            code="bad_perspective",
        )
    if data.on_behalf and data.perspective != Perspective.RESIDENTS:
        raise LearningRefused(
            _("Only a residents' lesson is recorded on their behalf."),
            code="on_behalf_municipality",
        )
    today = timezone.localdate()
    learned_on = data.learned_on or today
    if learned_on > today:
        raise LearningRefused(
            _("A lesson is learned today or before, not after."), code="learned_in_future"
        )
    tags = normalise_tags(data.tags)
    cleaned = LessonData(
        title=title,
        text=text,
        perspective=data.perspective,
        pilot=data.pilot,
        area=data.area,
        tags=tags,
        learned_on=learned_on,
        on_behalf=data.on_behalf,
    )
    return cleaned, tags


def _set_tags(lesson: Lesson, tags: list[str]) -> None:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=tags)}
    for name in tags:
        if name not in existing:
            existing[name], _created = Tag.objects.get_or_create(name=name)
    lesson.tags.set([existing[name] for name in tags])


def _lesson_snapshot(lesson: Lesson, tags: Iterable[str]) -> dict[str, Any]:
    state = audit.snapshot(
        lesson, ["pilot", "area", "perspective", "title", "learned_on", "on_behalf", "status"]
    )
    state["tags"] = ", ".join(tags)
    return state


def _new_lesson(
    actor: Any, municipality: Municipality, data: LessonData, tags: list[str], status: str
) -> Lesson:
    assert data.learned_on is not None  # _check_lesson set it
    lesson = Lesson.objects.create(
        municipality=municipality,
        pilot=data.pilot,
        area=data.area,
        perspective=data.perspective,
        title=data.title,
        text=data.text,
        learned_on=data.learned_on,
        author=actor,
        on_behalf=data.on_behalf,
        status=status,
    )
    _set_tags(lesson, tags)
    return lesson


def lesson_record(*, actor: Any, municipality: Municipality, data: LessonData) -> Lesson:
    """An official records a lesson of either perspective, published at once (a residents'
    lesson noted from a meeting is marked as recorded on their behalf)."""
    data, tags = _check_lesson(municipality, data)
    if data.pilot is not None:
        allowed = actor.has_perm("learning.record_lesson", data.pilot)
    else:
        assert data.area is not None
        allowed = policy._manages(actor, [data.area], municipality.pk)
    if not allowed:
        raise PermissionDenied
    with transaction.atomic():
        lesson = _new_lesson(actor, municipality, data, tags, LessonStatus.PUBLISHED)
        audit.record(
            actor=actor,
            action=LearningAction.LESSON_RECORD,
            instance=lesson,
            after=_lesson_snapshot(lesson, tags),
        )
    return lesson


def lesson_send(*, actor: Any, municipality: Municipality, data: LessonData) -> Lesson:
    """A resident sends a lesson, seen from the residents; it waits for an official of its area
    to approve or reject it (rate-limited: `lesson`)."""
    if not actor.has_perm("learning.send_lesson_in", municipality):
        raise PermissionDenied
    data.perspective = Perspective.RESIDENTS
    data.on_behalf = False
    data, tags = _check_lesson(municipality, data)
    ratelimit.limit(actor, "lesson")
    with transaction.atomic():
        lesson = _new_lesson(actor, municipality, data, tags, LessonStatus.PENDING)
        audit.record(
            actor=actor,
            action=LearningAction.LESSON_SEND,
            instance=lesson,
            after=_lesson_snapshot(lesson, tags),
        )
    return lesson


def lesson_moderate(*, actor: Any, lesson: Lesson, approve: bool, reason: str = "") -> Lesson:
    """Approve a resident's lesson (published) or reject it with a reason mailed to them."""
    if not actor.has_perm("learning.moderate_lesson", lesson):
        raise PermissionDenied
    if not approve:
        reason = _text(reason, label=_("reason"), limit=REASON_MAX, required=False)
        if not reason:
            raise LearningRefused(
                _("Give the reason the lesson is not published: the resident reads it."),
                code="reason_required",
            )
        _plain(reason)
    with transaction.atomic():
        locked = Lesson.objects.select_for_update().get(pk=lesson.pk)
        if locked.status != LessonStatus.PENDING:
            raise LearningRefused(
                _("This lesson has been approved or rejected already."), code="not_pending"
            )
        lesson.status = LessonStatus.PUBLISHED if approve else LessonStatus.REJECTED
        lesson.rejection_reason = "" if approve else reason
        lesson.moderated_by = actor
        lesson.moderated_at = timezone.now()
        lesson.save(
            update_fields=[
                "status",
                "rejection_reason",
                "moderated_by",
                "moderated_at",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            action=LearningAction.LESSON_APPROVE if approve else LearningAction.LESSON_REJECT,
            instance=lesson,
            before={"status": LessonStatus.PENDING},
            after={"status": lesson.status, "rejection_reason": lesson.rejection_reason},
        )
        notifications.notify(
            LESSON_APPROVED if approve else LESSON_REJECTED,
            recipients=[lesson.author_id],
            context={"lesson": lesson},
        )
    return lesson


def lesson_follow_up(
    *, actor: Any, lesson: Lesson, text: str, on: datetime.date | None = None
) -> Lesson:
    """Record (or correct) what changed because of a published lesson, with its date."""
    if not actor.has_perm("learning.follow_up_lesson", lesson):
        raise PermissionDenied
    text = _text(text, label=_("follow-up"), limit=FOLLOW_UP_MAX)
    _plain(text)
    today = timezone.localdate()
    on = on or today
    if on > today or on < lesson.learned_on:
        raise LearningRefused(
            _("Date the follow-up between the day the lesson was learned and today."),
            code="follow_up_date",
        )
    with transaction.atomic():
        before = audit.snapshot(lesson, ["follow_up", "follow_up_on"])
        lesson.follow_up = text
        lesson.follow_up_on = on
        lesson.save(update_fields=["follow_up", "follow_up_on", "updated_at"])
        audit.record(
            actor=actor,
            action=LearningAction.LESSON_FOLLOW_UP,
            instance=lesson,
            before=before,
            after=audit.snapshot(lesson, ["follow_up", "follow_up_on"]),
        )
    return lesson
