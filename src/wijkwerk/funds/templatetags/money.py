from __future__ import annotations

from django import template

from wijkwerk.core.money import format_eur

register = template.Library()


@register.filter
def eur(cents: int | None) -> str:
    """Cents in Dutch notation: {{ 125000|eur }} -> "EUR 1.250,00"."""
    return "" if cents is None else format_eur(cents)
