"""`{% panels "slot" key=value %}`: renders every panel registered for the slot (core/panels.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from wijkwerk.core import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, **kwargs: Any) -> SafeString:
    request = context.get("request")
    page: dict[str, Any] = {str(key): value for key, value in context.flatten().items()}
    parts = []
    for panel in registry.panels(slot):
        data = panel.context(request, **kwargs)
        if data is None:
            continue
        # the page's context (user, perms, csrf, view_name) plus the panel's own data
        parts.append(render_to_string(panel.template, {**page, **kwargs, **data}))
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, autoescaped
