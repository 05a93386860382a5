"""Offers, invitations and questions for tests, made through the services (so audit and
validation run as in the app)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijkwerk.expertise import services
from wijkwerk.expertise.models import Offer, Question


def offer(
    owner: Any,
    *,
    visibility: str = "everyone",
    areas: list[Any] | None = None,
    title: str = "Timmerwerk en kleine klussen",
    description: str = "Ik repareer bankjes, kasten en schuttingen.",
    tags: tuple[str, ...] = ("timmeren", "klussen"),
    kind: str = "skill",
) -> Offer:
    return services.offer_save(
        actor=owner,
        offer=None,
        data=services.OfferData(
            kind=kind,
            title=title,
            description=description,
            tags=list(tags),
            areas=areas if areas is not None else [owner.home_area],
            availability="Zaterdagochtend",
            visibility=visibility,
        ),
    )


def question(
    official: Any,
    areas: list[Any],
    *,
    title: str = "Wie weet iets over de oude watermolen?",
    days: int = 14,
) -> Question:
    return services.question_ask(
        actor=official,
        data=services.QuestionData(
            kind="knowledge",
            title=title,
            body="We zoeken verhalen en foto's voor het dorpsarchief.",
            areas=areas,
            closes_on=timezone.localdate() + datetime.timedelta(days=days),
        ),
    )
