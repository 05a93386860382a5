from __future__ import annotations

from typing import Any

from django import template

from ..texts import when

register = template.Library()


@register.filter
def event_when(event: Any) -> str:
    """ "donderdag 10 december 2026, 19:30–21:00" """
    return when(event)
