"""Recording changes. Services call `record` inside their transaction.

Each event is filed under the municipality its object belongs to (directly, or through the area,
fund, council, group or initiative it hangs on), so that a municipality's audit log is one indexed
query.
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


# The relations through which an audited object reaches its municipality, tried in this order.
_PARENTS = ("area", "fund", "initiative", "council", "group")


def municipality_id_of(instance: models.Model) -> int | None:
    if instance._meta.label_lower == "areas.municipality":
        return int(instance.pk)
    own = getattr(instance, "municipality_id", None)
    if own is not None:
        return int(own)
    for name in _PARENTS:
        parent = getattr(instance, name, None)
        if isinstance(parent, models.Model):
            return municipality_id_of(parent)
    return None


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    municipality_id: int | None = None,
) -> AuditEvent:
    """`municipality_id` files the event under a municipality its object does not name itself
    (a person, deactivated by the administrator of a municipality they work for)."""
    # a SystemActor (core/actors.py) is no person: the event has no actor, as before
    person = getattr(actor, "is_authenticated", False) and not getattr(actor, "is_system", False)
    if municipality_id is None:
        municipality_id = municipality_id_of(instance)
    return AuditEvent.objects.create(
        actor=actor if person else None,
        municipality_id=municipality_id,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )
