"""The budget rounds' permission policies, registered with django-rules as `budgeting.<action>`.
Submitting a plan or voting needs a login and what the round's phase and rules allow (checked
by the services)."""

from __future__ import annotations

from .policy import PLAN_POLICY, PROCESS_POLICY

PROCESS_POLICY.register("budgeting")
PLAN_POLICY.register("budgeting")
