"""Who may do what with an initiative, registered with django-rules.

The rules about one initiative are the initiatives' permission policy (policy.py), registered
here as `initiatives.<action>`; the rule about a person alone (has a "My areas" overview)
follows. Starting an initiative only needs a login (the views' `login_required`).
"""

from __future__ import annotations

from typing import Any

import rules

from wijkwerk.accounts.roles import role_index

from .policy import POLICY

POLICY.register("initiatives")


@rules.predicate
def works_in_an_area(user: Any) -> bool:
    """Holds an area role, or administers a municipality: has a "My areas" overview."""
    index = role_index(user)
    return bool(index.area_roles or index.admin_municipality_ids)


rules.add_perm("initiatives.use_dashboard", works_in_an_area)
