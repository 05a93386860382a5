"""The events' blocks on other apps' pages (core/panels.py), registered in `EventsConfig.ready`:
an area page's coming meetings and events (of the area and the areas inside it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def _area_events(request: HttpRequest, *, area: Any) -> dict[str, Any] | None:
    from . import selectors

    return {"area": area, "events": selectors.area_panel(area)}


def register() -> None:
    from wijkwerk.core.panels import Panel
    from wijkwerk.core.panels import register as add

    add(
        Panel(
            "area",
            "events",
            "events/_area_panel.html",
            _area_events,
            max_queries=1,
            order=40,
            shared=True,
            depends_on=("events.Event", "areas.Area"),
        )
    )
