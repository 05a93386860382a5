"""An event's date and time in words, in the active language: "donderdag 10 december 2026,
19:30–21:00" (or with both dates when it runs past midnight)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

DAY = "l j F Y"
TIME = "H:i"


def when(event: Any) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return _("%(day)s, %(start)s–%(end)s") % {
            "day": date_format(start, DAY),
            "start": date_format(start, TIME),
            "end": date_format(end, TIME),
        }
    return _("%(start_day)s, %(start)s to %(end_day)s, %(end)s") % {
        "start_day": date_format(start, DAY),
        "start": date_format(start, TIME),
        "end_day": date_format(end, DAY),
        "end": date_format(end, TIME),
    }


def day(event: Any) -> str:
    """ "donderdag 10 december 2026" """
    return date_format(timezone.localtime(event.starts_at), DAY)


def map_link(event: Any) -> str:
    """A link to the place on OpenStreetMap: the map point if there is one, else a search for
    the address (no map needed to say where)."""
    from urllib.parse import urlencode

    if event.latitude is not None and event.longitude is not None:
        lat, lon = f"{event.latitude:.6f}", f"{event.longitude:.6f}"
        query = urlencode({"mlat": lat, "mlon": lon})
        return f"https://www.openstreetmap.org/?{query}#map=18/{lat}/{lon}"
    place = ", ".join(part for part in (event.address, event.area.municipality.name) if part)
    if not event.address:
        return ""
    return f"https://www.openstreetmap.org/search?{urlencode({'query': place})}"
