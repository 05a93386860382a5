from __future__ import annotations

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(duration: timedelta | None) -> int:
    """Whole minutes, rounded up: "blocked for 30 minutes" rather than a timedelta."""
    if duration is None:
        return 0
    return -int(-duration.total_seconds() // 60)
