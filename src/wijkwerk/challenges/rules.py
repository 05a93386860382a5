"""The challenges' rules, registered with django-rules as `challenges.<action>` (policy.py),
and the rule about a person alone: who has the officials' work list."""

from __future__ import annotations

from typing import Any

import rules

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.roles import role_index

from .policy import POLICY

POLICY.register("challenges")


@rules.predicate
def handles_challenges(user: Any) -> bool:
    """A broker or area coordinator somewhere, or a municipality's administrator."""
    index = role_index(user)
    return bool(
        index.admin_municipality_ids
        or index.area_roles.get(Role.BROKER)
        or index.area_roles.get(Role.AREA_COORDINATOR)
        or getattr(user, "is_superuser", False)
    )


rules.add_perm("challenges.use_worklist", handles_challenges)
