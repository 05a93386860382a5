"""The events' permission policy, registered with django-rules as `events.<action>`. Seeing an
event needs nothing; signing up is checked by the services (open, not full, not past)."""

from __future__ import annotations

from .policy import POLICY

POLICY.register("events")
