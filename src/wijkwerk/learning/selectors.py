"""Reads for the pilots and lessons pages and for the quarterly report (a fixed number of
queries whatever the rows; `None` or empty, never `Http404`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core.quarters import Quarter

from .models import Lesson, LessonStatus, Perspective, Pilot, Tag


@dataclass
class PilotLessons:
    """A pilot with its published lessons split by perspective (the two columns "Gemeente" and
    "Bewoners" of the pilot page and the quarterly report)."""

    pilot: Pilot
    areas: list[Area]
    municipality: list[Lesson] = field(default_factory=list)
    residents: list[Lesson] = field(default_factory=list)

    @property
    def lessons(self) -> list[Lesson]:
        return [*self.municipality, *self.residents]


def _lesson_rows() -> QuerySet[Lesson]:
    return Lesson.objects.select_related("pilot", "area", "author").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )


def _split(pilot: Pilot, lessons: Iterable[Lesson]) -> PilotLessons:
    entry = PilotLessons(pilot=pilot, areas=list(pilot.areas.all()))
    for lesson in lessons:
        if lesson.perspective == Perspective.RESIDENTS:
            entry.residents.append(lesson)
        else:
            entry.municipality.append(lesson)
    return entry


def pilots_for_report(municipality: Municipality, quarter: Quarter) -> list[PilotLessons]:
    """The municipality's pilots for the quarterly report to the council: every pilot whose period
    overlaps the quarter or that has a lesson learned in it, each with the published lessons
    learned in the quarter split by perspective (`municipality`, `residents`; oldest first).
    Lessons carry their tags, author and follow-up. Four queries whatever the rows."""
    in_quarter = Q(
        lessons__status=LessonStatus.PUBLISHED,
        lessons__learned_on__gte=quarter.first_day,
        lessons__learned_on__lte=quarter.last_day,
    )
    overlaps = Q(starts_on__lte=quarter.last_day, ends_on__gte=quarter.first_day)
    lessons = _lesson_rows().filter(
        status=LessonStatus.PUBLISHED,
        learned_on__gte=quarter.first_day,
        learned_on__lte=quarter.last_day,
    )
    pilots = (
        Pilot.objects.filter(pk__in=Pilot.objects.filter(overlaps | in_quarter).values("pk"))
        .filter(municipality=municipality)
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.order_by("name")),
            Prefetch(
                "lessons", queryset=lessons.order_by("learned_on", "id"), to_attr="quarter_lessons"
            ),
        )
        .order_by("starts_on", "title", "id")
    )
    return [_split(pilot, pilot.quarter_lessons) for pilot in pilots]


def area_lessons_for_report(municipality: Municipality, quarter: Quarter) -> list[Lesson]:
    """Published lessons learned in the quarter about an area without a pilot (oldest first).
    Two queries."""
    return list(
        _lesson_rows()
        .filter(
            municipality=municipality,
            pilot__isnull=True,
            status=LessonStatus.PUBLISHED,
            learned_on__gte=quarter.first_day,
            learned_on__lte=quarter.last_day,
        )
        .order_by("learned_on", "id")
    )


def pilot_lessons(pilot: Pilot) -> PilotLessons:
    """A pilot's published lessons, split by perspective (newest first)."""
    lessons = _lesson_rows().filter(pilot=pilot, status=LessonStatus.PUBLISHED)
    return _split(pilot, lessons.order_by("-learned_on", "-id"))


def pilot(pk: int) -> Pilot | None:
    return (
        Pilot.objects.select_related("municipality", "created_by")
        .prefetch_related(
            Prefetch("areas", queryset=Area.objects.select_related("parent__parent")),
            "officials",
        )
        .filter(pk=pk)
        .first()
    )


def pilots(
    municipality: Municipality | None = None,
    *,
    area: Area | None = None,
    status: str | None = None,
) -> list[Pilot]:
    """Pilots (of a municipality, or all), newest first; in an area (or an area inside it), by
    status. Two queries."""
    rows = Pilot.objects.select_related("municipality")
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    if area is not None:
        rows = rows.filter(
            pk__in=Pilot.areas.through.objects.filter(
                Q(area_id=area.pk) | Q(area__parent_id=area.pk) | Q(area__parent__parent_id=area.pk)
            ).values("pilot_id")
        )
    if status:
        rows = rows.filter(status=status)
    return list(
        rows.prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("name"))).order_by(
            "-starts_on", "-id"
        )
    )


def running_pilots_in_area(area: Area) -> list[Pilot]:
    """Running pilots in the area, an area around it, or an area inside it (the area panel)."""
    from .states import PilotStatus

    lineage = (
        Q(area_id__in=area.lineage_ids)
        | Q(area__parent_id=area.pk)
        | Q(area__parent__parent_id=area.pk)
    )
    return list(
        Pilot.objects.filter(
            status=PilotStatus.RUNNING,
            pk__in=Pilot.areas.through.objects.filter(lineage).values("pilot_id"),
        ).order_by("ends_on", "id")[:5]
    )


def lessons(
    municipality: Municipality | None = None,
    *,
    tag: str | None = None,
    perspective: str | None = None,
    area: Area | None = None,
) -> QuerySet[Lesson]:
    """Published lessons (of a municipality, or all), newest first, filtered by tag, perspective
    and area (the lesson's area or its pilot's, or an area inside it). A queryset, for paging."""
    rows = _lesson_rows().filter(status=LessonStatus.PUBLISHED)
    if municipality is not None:
        rows = rows.filter(municipality=municipality)
    if tag:
        rows = rows.filter(tags__name=tag)
    if perspective:
        rows = rows.filter(perspective=perspective)
    if area is not None:
        within = Area.objects.filter(
            Q(pk=area.pk) | Q(parent_id=area.pk) | Q(parent__parent_id=area.pk)
        ).values("pk")
        rows = rows.filter(
            Q(area_id__in=within)
            | Q(
                pilot_id__in=Pilot.areas.through.objects.filter(area_id__in=within).values(
                    "pilot_id"
                )
            )
        )
    return rows.order_by("-learned_on", "-id")


def tags_in_use(municipality: Municipality | None = None) -> list[str]:
    """The tags of published lessons (of a municipality, or all), for the filter."""
    where = Q(lessons__status=LessonStatus.PUBLISHED)
    if municipality is not None:
        where &= Q(lessons__municipality=municipality)
    rows = Tag.objects.filter(where)
    return list(rows.distinct().order_by("name").values_list("name", flat=True))


def lesson(pk: int) -> Lesson | None:
    return (
        _lesson_rows()
        .select_related("municipality", "area__parent__parent", "moderated_by")
        .prefetch_related(
            Prefetch("pilot__areas", queryset=Area.objects.select_related("parent__parent"))
        )
        .filter(pk=pk)
        .first()
    )


def moderation_queue(user: Any) -> list[Lesson]:
    """Residents' lessons waiting for the person to approve or reject (oldest first)."""
    from .policy import LESSON_POLICY

    return list(
        _lesson_rows()
        .filter(status=LessonStatus.PENDING)
        .filter(LESSON_POLICY.condition("moderate_lesson").objects(user))
        .select_related("municipality")
        .order_by("created_at", "id")
    )
