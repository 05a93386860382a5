"""Reads for the events' pages, each a fixed number of queries whatever the rows. They return
None or empty, never raise Http404 (the views decide)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Event, EventStatus, Rsvp, RsvpStatus

PAST_ON_LIST = 20
FEED_PAST_DAYS = 90
PANEL_ROWS = 5


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        going_count=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.GOING)),
        waiting_count=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.WAITING)),
    )


def _listed() -> QuerySet[Event]:
    return _with_counts(
        Event.objects.select_related("area__municipality", "council", "group")
    ).order_by("starts_at", "pk")


def within(area: Any) -> Q:
    """The events of `area` and of the areas inside it (areas nest at most three deep)."""
    return Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area)


def event_page(pk: int) -> Event | None:
    return (
        _with_counts(
            Event.objects.select_related(
                "area__parent__parent", "area__municipality", "council", "group"
            )
        )
        .filter(pk=pk)
        .first()
    )


def area_events(area: Any, now: datetime.datetime | None = None) -> dict[str, list[Event]]:
    """Coming (not yet over) in date order, and the most recent past ones, newest first."""
    now = now or timezone.now()
    events = _listed().filter(within(area))
    return {
        "coming": list(events.filter(ends_at__gte=now)),
        "past": list(events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:PAST_ON_LIST]),
    }


def municipality_events(municipality: Any, now: datetime.datetime | None = None) -> list[Event]:
    now = now or timezone.now()
    return list(
        _listed().filter(area__municipality=municipality, ends_at__gte=now).select_related("area")
    )


def area_panel(area: Any, now: datetime.datetime | None = None) -> list[Event]:
    now = now or timezone.now()
    return list(
        _listed().filter(within(area), ends_at__gte=now, status=EventStatus.SCHEDULED)[:PANEL_ROWS]
    )


def feed_events(area: Any, now: datetime.datetime | None = None) -> list[Event]:
    """An area's calendar feed: its public events to come and of the last FEED_PAST_DAYS days
    (cancelled ones too, so calendars strike them)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=FEED_PAST_DAYS)
    return list(
        Event.objects.select_related("area__municipality")
        .filter(within(area), is_public=True, ends_at__gte=since)
        .order_by("starts_at", "pk")
    )


def own_rsvp(event: Event, user: Any) -> Rsvp | None:
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    return Rsvp.objects.filter(event=event, user=user).exclude(status=RsvpStatus.CANCELLED).first()


def rsvp_rows(event: Event) -> dict[str, list[Rsvp]]:
    """The sign-ups for the organiser: with a place, the waiting list in its order (positions
    numbered), awaiting confirmation, cancelled."""
    rows: dict[str, list[Rsvp]] = {"going": [], "waiting": [], "pending": [], "cancelled": []}
    for rsvp in (
        Rsvp.objects.filter(event=event)
        .select_related("user")
        .order_by("queued_at", "created_at", "pk")
    ):
        rsvp.event = event
        rows[rsvp.status].append(rsvp)
    for number, rsvp in enumerate(rows["waiting"], start=1):
        rsvp.position = number  # type: ignore[attr-defined]
    return rows
