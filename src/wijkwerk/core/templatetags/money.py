"""`{{ cents|money }}`: an amount in cents as people read it, "€ 1.250,00" (core.money)."""

from __future__ import annotations

from typing import Any

from django import template

from wijkwerk.core.money import format_money

register = template.Library()


@register.filter
def money(cents: Any) -> str:
    """125000 -> "€ 1.250,00"; nothing (None or "") stays empty."""
    if cents is None or cents == "":
        return ""
    return format_money(int(cents))
