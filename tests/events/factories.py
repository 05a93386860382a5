"""Events for tests, made through the service (as an official of the area would)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijkwerk.core.actors import SystemActor
from wijkwerk.events import services
from wijkwerk.events.models import Event

TEST = SystemActor("tests")


def at(days: int, hour: int = 19, minute: int = 30) -> datetime.datetime:
    """A local time `days` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_event(area: Any, *, actor: Any = TEST, days: int = 7, **overrides: Any) -> Event:
    council = overrides.pop("council", None)
    group = overrides.pop("group", None)
    kind = overrides.pop("kind", "event")
    starts = overrides.pop("starts_at", at(days))
    data = {
        "title": "Buurtavond",
        "description": "Een avond voor de buurt.",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=1, minutes=30),
        "place_name": "Dorpshuis De Kroon",
        "address": "Dorpsstraat 1, Dorst",
        "capacity": None,
        "rsvp_enabled": True,
        **overrides,
    }
    return services.event_create(
        actor=actor, area=area, council=council, group=group, kind=kind, data=data
    )


def past_event(area: Any, *, days_ago: int = 2, **overrides: Any) -> Event:
    """An event that took place: made in the future and moved back (the service refuses a new
    event in the past)."""
    event = make_event(area, **overrides)
    start = at(-days_ago)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    event.refresh_from_db()
    return event
