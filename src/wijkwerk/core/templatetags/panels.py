"""`{% panels "slot" key=value %}`: renders every panel registered for the slot (core/panels.py);
the slot's shared panels come from the shared cache (core/fragments.py) in one read."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Model
from django.utils.safestring import SafeString, mark_safe

from wijkwerk.core import fragments
from wijkwerk.core import panels as registry

register = template.Library()


def _cache_key(kwargs: dict[str, Any]) -> str | None:
    """The arguments as a cache key (a model by its label and key), or None when one of them
    cannot be named so (then nothing is cached)."""
    parts = []
    for name, value in sorted(kwargs.items()):
        if isinstance(value, Model) and value.pk is not None:
            parts.append(f"{name}={value._meta.label_lower}.{value.pk}")
        elif value is None or isinstance(value, (str, int)):
            parts.append(f"{name}={value}")
        else:
            return None
    return ",".join(parts)


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str, **kwargs: Any) -> SafeString:
    request = context.get("request")
    engine = context.template.engine if context.template is not None else None
    assert engine is not None, "a panel renders inside a page's template"

    def render(panel: registry.Panel) -> str:
        data = panel.context(request, **kwargs)
        if data is None:
            return ""
        # In the page's own context (user, perms, csrf, view_name) with the panel's data on top,
        # as `{% include %}` does: no copy of the page's context per panel (every page has the
        # navigation's panels).
        with context.push({**kwargs, **data}):
            return engine.get_template(panel.template).render(context)

    every = registry.panels(slot)
    shared_panels = [panel for panel in every if panel.shared]
    key = _cache_key(kwargs) if shared_panels else None
    shared: dict[str, str] = {}
    if key is not None:
        shared = fragments.cached(
            registry.family(slot), key, lambda: {p.name: render(p) for p in shared_panels}
        )
    parts = [shared[p.name] if p.name in shared else render(p) for p in every]
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, autoescaped
