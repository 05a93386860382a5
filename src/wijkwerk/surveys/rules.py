"""The surveys' permission policy, registered with django-rules as `surveys.<action>`."""

from __future__ import annotations

from .policy import POLICY

POLICY.register("surveys")
