"""iCalendar files (RFC 5545) made with the `icalendar` library: one per event, and a feed per
area. An event keeps its UID; its SEQUENCE goes up on every change and a cancelled event says
STATUS:CANCELLED, so a calendar that imported it updates or strikes it. Times are local
(TZID=Europe/Amsterdam, with the VTIMEZONE in the file)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.core.notifications import absolute

from .models import EventStatus

PRODID = "-//wijkwerk//events//NL"


def _vevent(event: Any) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"{event.uid}@wijkwerk")
    item.add("sequence", event.sequence)
    item.add("dtstamp", event.updated_at or timezone.now())
    item.add("dtstart", timezone.localtime(event.starts_at))
    item.add("dtend", timezone.localtime(event.ends_at))
    item.add("summary", event.title)
    if event.description:
        item.add("description", event.description)
    location = ", ".join(part for part in (event.place_name, event.address) if part)
    item.add("location", location)
    if event.latitude is not None and event.longitude is not None:
        item.add("geo", (float(event.latitude), float(event.longitude)))
    item.add("url", absolute(event.get_absolute_url()))
    item.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return item


def calendar(events: Iterable[Any], *, name: str = "") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(_vevent(event))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def feed_name(area: Any) -> str:
    return _("Meetings and events in %(area)s") % {"area": area.name}
