from __future__ import annotations

from typing import Any

from django import template

from wijkwerk.core.money import format_eur
from wijkwerk.initiatives import selectors

register = template.Library()


@register.filter
def eur(cents: Any) -> str:
    """Integer cents in Dutch notation: 125000 → "EUR 1.250,00"; empty stays empty."""
    if cents is None or cents == "":
        return ""
    return format_eur(int(cents))


@register.simple_tag
def area_initiatives(area: Any = None) -> list[Any]:
    """Open initiatives of an area, for the area page (none on pages without an area)."""
    return selectors.area_initiatives(area) if area else []


@register.simple_tag
def good_examples(area: Any = None) -> list[Any]:
    """Completed initiatives with a photo of the result: of the area, or anywhere."""
    return selectors.good_examples(area=area or None)
