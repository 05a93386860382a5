"""The follow panel: beside an area ("area_aside") and at the foot of a followable object's page
("object"; for a news post, an event or a survey: the council, group or area that holds it, whose
followers hear of it). At most one query: the person's follow of the object (none for a
visitor)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from . import registry, selectors
from .forms import FrequencyForm


def _context(request: HttpRequest | None, obj: models.Model) -> dict[str, Any] | None:
    kind = registry.kind_of(obj)
    if kind is None or request is None:
        return None
    # The page showed `obj` to this person, so they may see it: no permission check here (it
    # would repeat the page's own, in queries); the follow view checks it again.
    follow = selectors.follow_of(request.user, obj)
    key = f"{kind.label.replace('.', '-')}-{obj.pk}"
    return {
        "follow": follow,
        # the core forms renderer's radios; ids of their own (an area page may hold two panels)
        "follow_form": None if follow else FrequencyForm(auto_id=f"follow-{key}-%s"),
        "follow_kind": kind.label,
        "follow_pk": obj.pk,
        "follow_name": str(obj),
        "follow_key": key,
    }


def panel_context(request: HttpRequest | None, obj: models.Model) -> dict[str, Any] | None:
    """The panel's context for `obj` itself (the follow view's htmx answer)."""
    return _context(request, obj)


def area_panel(request: HttpRequest | None, *, area: Any) -> dict[str, Any] | None:
    return _context(request, area)


def object_panel(request: HttpRequest | None, *, obj: Any) -> dict[str, Any] | None:
    # a news post, an event or a survey: its council, group or area (registry.followed_for)
    target = registry.followed_for(obj)
    return None if target is None else _context(request, target)


def register() -> None:
    from wijkwerk.core.panels import Panel
    from wijkwerk.core.panels import register as add

    template = "follows/_panel.html"
    add(Panel("area_aside", "follow", template, area_panel, max_queries=1, order=10))
    add(Panel("object", "follow", template, object_panel, max_queries=1, order=10))
