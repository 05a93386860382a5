from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from wijkwerk.core.money import format_eur
from wijkwerk.initiatives import selectors
from wijkwerk.initiatives.models import Status

register = template.Library()


@register.filter
def eur(cents: Any) -> str:
    """Integer cents in Dutch notation: 125000 → "EUR 1.250,00"; empty stays empty."""
    if cents is None or cents == "":
        return ""
    return format_eur(int(cents))


@register.simple_tag
def status_badge(initiative: Any) -> SafeString:
    """The status as a badge. A tag instead of an included template: lists show one per row,
    and an include plus `get_status_display` (which rebuilds the choices on every call) cost
    more than the rest of the row."""
    return format_html(
        '<span class="initiative-status initiative-status--{}">{}</span>',
        initiative.status,
        Status(initiative.status).label,
    )


@register.simple_tag
def initiative_activity(area: Any = None) -> dict[str, list[Any]]:
    """Open initiatives and good examples of an area (one query), or the good examples from
    anywhere on pages without an area."""
    if area:
        return selectors.area_activity(area)
    return {"open": [], "example": selectors.good_examples()}
