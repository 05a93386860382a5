"""News's permission policy, registered with django-rules as `news.<action>`."""

from __future__ import annotations

from .policy import POLICY

POLICY.register("news")
