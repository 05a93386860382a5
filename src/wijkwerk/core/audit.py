"""Recording changes. Services call `record` inside their transaction.

Convention: a snapshot of an object that belongs to a municipality carries the key `municipality`
(its id), also for objects that reach it only through their area; the back office filters the audit
log of a municipality on that key.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import models

from .models import AuditEvent


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audit-worthy state of a model instance as JSON-safe values."""
    names = (
        list(fields)
        if fields is not None
        else [f.name for f in instance._meta.concrete_fields if not f.primary_key]
    )
    state: dict[str, Any] = {}
    for name in names:
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)  # type: ignore[union-attr]
        if isinstance(value, (int, float, bool, type(None))):
            state[name] = value
        elif isinstance(value, date):
            state[name] = value.isoformat()
        else:
            state[name] = str(value)
    return state


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )
