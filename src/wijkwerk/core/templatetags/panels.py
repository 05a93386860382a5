"""`{% panels "slot" key=value %}`: renders every panel registered for the slot (core/panels.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from wijkwerk.core import panels as registry

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, **kwargs: Any) -> SafeString:
    request = context.get("request")
    engine = context.template.engine if context.template is not None else None
    assert engine is not None, "a panel renders inside a page's template"
    parts = []
    for panel in registry.panels(slot):
        data = panel.context(request, **kwargs)
        if data is None:
            continue
        # In the page's own context (user, perms, csrf, view_name) with the panel's data on top,
        # as `{% include %}` does: no copy of the page's context per panel (every page has the
        # navigation's panels).
        with context.push({**kwargs, **data}):
            parts.append(engine.get_template(panel.template).render(context))
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, autoescaped
