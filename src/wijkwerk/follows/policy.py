"""Who may do what with follows (`core.policy`; registered in `rules.py` as `follows.<action>`).

- Manage a follow (change how often, remove it): only the person who follows.
- Follow something: a logged-in person who may see it (`can_follow`: the kind's own view
  permission, e.g. `initiatives.view_initiative` for a draft no one else sees).
- Unsubscribe through a mail's link: whoever holds the signed token (no login, `tokens.py`).
"""

from __future__ import annotations

from typing import Any

from wijkwerk.core.policy import IsPerson, PermissionPolicy

from . import registry
from .models import Follow

is_follower = IsPerson("user")

POLICY = PermissionPolicy(Follow, {"manage_follow": is_follower})


def can_follow(user: Any, obj: Any) -> bool:
    kind = registry.kind_of(obj)
    if kind is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return kind.view_perm is None or bool(user.has_perm(kind.view_perm, obj))
