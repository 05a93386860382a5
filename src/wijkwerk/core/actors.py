"""The platform acting on its own behalf: the area import, the demo loader, scheduled work.

System writes go through the same services as people's (one place for validation and audit), with
a `SystemActor` that may do what the service asks. The audit trail records no person for them.
"""

from __future__ import annotations

from typing import Any


class SystemActor:
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_system = True
    pk = None
    id = None

    def __init__(self, name: str) -> None:
        self.name = name

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return f"system: {self.name}"

    def __str__(self) -> str:
        return self.display_name


AREA_IMPORT = SystemActor("area import")
PABULIB_IMPORT = SystemActor("pabulib import")
DEMO = SystemActor("demo loader")
# Scheduled work run from cron (manage.py close_budget_rounds).
SCHEDULE = SystemActor("schedule")
# The task worker counting a budget round after its close (budgeting.services.results).
COUNT = SystemActor("count")
