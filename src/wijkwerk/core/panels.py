"""Panels: blocks that apps put on pages they do not own (the home page, an area page, the main
navigation), registered in their `AppConfig.ready()`.

The page knows only its slot; each panel brings its own template and its own reads, with a query
budget that `tests/core/test_panels.py` holds every registered panel to. So the area page does not
include another app's template, and a new app adds a block without touching the page.

    panels.register(Panel(slot="area", name="initiatives", template="initiatives/_area.html",
                          context=lambda request, area: {"activity": area_activity(area)},
                          max_queries=2))

A slot's page renders `{% panels "area" area=area %}` (core's `panels` template tag).

A panel that shows every viewer the same (no user, no form, nothing from the request) says so
with `shared=True` and names the models whose changes it shows in `depends_on`: the slot's shared
panels are then kept together in the shared cache (`core/fragments.py`, family "panels:<slot>")
per argument and language, and a page with a dozen such panels reads them in one query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The places a panel can go, and what the page passes to its panels there.
SLOTS = {
    "home": "the public home page (no arguments)",
    "area": "a district, village or neighbourhood page (area=the Area)",
    "area_aside": "beside an area page's main column (area=the Area)",
    "object": "at the foot of an object's page: an initiative, a budget plan or round, a news "
    "post, an event or a council (obj=the object; a panel returns None for objects it does not "
    "serve): follow buttons, comments",
    "nav": "the main navigation, one or more <li> (no arguments)",
    "footer": "the footer's links, one or more <li> (no arguments)",
    "backoffice_nav": "the back office's navigation for one municipality, one or more <li> "
    "(municipality=the Municipality)",
}


@dataclass(frozen=True)
class Panel:
    slot: str
    name: str
    template: str
    # The panel's data for this request; None hides the panel (e.g. nothing to show).
    context: Callable[..., dict[str, Any] | None] = lambda request, **kwargs: {}
    # Queries the panel may use (its context and its template together).
    max_queries: int = 0
    order: int = 100
    # The same for every viewer of the same arguments: kept in the shared cache until one of the
    # models in `depends_on` ("app.Model" labels) changes, or the fragment's time is up.
    shared: bool = False
    depends_on: tuple[str, ...] = ()


_registry: dict[str, list[Panel]] = {slot: [] for slot in SLOTS}


def register(panel: Panel) -> None:
    if panel.slot not in SLOTS:
        raise ValueError(f"unknown panel slot {panel.slot!r}; known: {', '.join(SLOTS)}")
    registered = _registry[panel.slot]
    if any(existing.name == panel.name for existing in registered):
        return  # ready() may run twice (tests); one registration per name
    if panel.shared:
        from . import fragments

        fragments.watch(family(panel.slot), *panel.depends_on)
    registered.append(panel)
    registered.sort(key=lambda p: (p.order, p.name))


def panels(slot: str) -> list[Panel]:
    return list(_registry[slot])


def family(slot: str) -> str:
    """The shared cache's family of a slot's shared panels (`core/fragments.py`)."""
    return f"panels:{slot}"
