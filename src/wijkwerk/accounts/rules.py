"""Permission rules: one predicate per rule, used by views, templates and the API alike.

Registered with django-rules, so `user.has_perm("areas.manage_area", area)` and the template tag
`{% has_perm %}` answer from here.
"""

from __future__ import annotations

from typing import Any

import rules

from .models import Role
from .roles import council_area_ids, role_index


def _municipality_id(obj: Any) -> int | None:
    if obj is None:
        return None
    if obj._meta.label_lower == "areas.municipality":
        return obj.pk
    return obj.municipality_id


@rules.predicate
def is_superuser(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def is_admin_anywhere(user: Any) -> bool:
    return bool(role_index(user).admin_municipality_ids)


@rules.predicate
def is_municipality_admin(user: Any, obj: Any) -> bool:
    """Admin of the municipality the object (municipality, area, role, ...) belongs to."""
    municipality_id = _municipality_id(obj)
    return municipality_id is not None and role_index(user).holds_for_municipality(
        Role.ADMIN, municipality_id
    )


@rules.predicate
def is_official(user: Any) -> bool:
    return role_index(user).is_official


# Area roles held for an object in an area (broker, the area's officials, case handlers) are
# policy leaves: wijkwerk.accounts.policy (HoldsAreaRole), one definition for every domain.


@rules.predicate
def is_council_member_of_area(user: Any, area: Any) -> bool:
    return area is not None and area.pk in council_area_ids(user)


can_use_backoffice = is_superuser | is_admin_anywhere
can_manage_municipality = is_superuser | is_municipality_admin

rules.add_perm("backoffice.access", can_use_backoffice)
rules.add_perm("areas.manage_municipality", can_manage_municipality)
rules.add_perm("areas.manage_area", can_manage_municipality)


@rules.predicate
def is_self(user: Any, person: Any) -> bool:
    return bool(user.is_authenticated and person is not None and user.pk == person.pk)


# People edit their own profile; officials see what they need through their own pages.
rules.add_perm("accounts.change_profile", is_self)
