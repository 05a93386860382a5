"""Pilots and lessons for tests, made through the services (so audit and validation run as in
the app)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijkwerk.learning import services
from wijkwerk.learning.models import Lesson, Perspective, Pilot, PilotStatus


def pilot(
    actor: Any,
    *,
    areas: list[Any],
    title: str = "Bewoners beheren het groen",
    goal: str = "Bewoners beheren zelf het groen in hun straat, met geld en gereedschap.",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    status: str = PilotStatus.RUNNING,
    officials: list[Any] | None = None,
    people: str = "Bewoners van de Vijf Eikenweg",
) -> Pilot:
    today = timezone.localdate()
    municipality = areas[0].municipality
    return services.pilot_create(
        actor=actor,
        municipality=municipality,
        data=services.PilotData(
            title=title,
            goal=goal,
            starts_on=starts_on or today - datetime.timedelta(days=30),
            ends_on=ends_on or today + datetime.timedelta(days=150),
            areas=areas,
            officials=officials or [],
            people=people,
            status=status,
        ),
    )


def lesson(
    actor: Any,
    *,
    pilot: Pilot | None = None,
    area: Any = None,
    perspective: str = Perspective.MUNICIPALITY,
    title: str = "Vraag eerst de buren",
    text: str = "Een plan dat de buren al kennen, loopt beter.",
    tags: tuple[str, ...] = ("groen",),
    learned_on: datetime.date | None = None,
    on_behalf: bool = False,
) -> Lesson:
    municipality = pilot.municipality if pilot is not None else area.municipality
    return services.lesson_record(
        actor=actor,
        municipality=municipality,
        data=services.LessonData(
            title=title,
            text=text,
            perspective=perspective,
            pilot=pilot,
            area=area,
            tags=list(tags),
            learned_on=learned_on,
            on_behalf=on_behalf,
        ),
    )


def resident_lesson(
    actor: Any,
    *,
    pilot: Pilot | None = None,
    area: Any = None,
    title: str = "Samen snoeien werkt",
    text: str = "Op zaterdag kwamen er twaalf buren helpen.",
) -> Lesson:
    municipality = pilot.municipality if pilot is not None else area.municipality
    return services.lesson_send(
        actor=actor,
        municipality=municipality,
        data=services.LessonData(title=title, text=text, pilot=pilot, area=area),
    )
