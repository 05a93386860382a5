"""Comments' permission policy, registered with django-rules as `comments.<action>`."""

from __future__ import annotations

from .policy import POLICY

POLICY.register("comments")
