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


@register.simple_tag(takes_context=True)
def landing_url(context: template.Context) -> str:
    """Where the person starts (their work queue if they are an official with one)."""
    from ..adapter import landing_url as url

    return url(context["request"].user)
