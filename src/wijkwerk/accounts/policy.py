"""Policy leaves about roles, for every domain's permission policy (`wijkwerk.core.policy`).

- `HoldsAreaRole(roles, area="area")`: the user holds one of `roles` for the object's area or an
  area around it (a district's broker handles its neighbourhoods);
- `AdministersMunicipality("area__municipality")`: the user is an administrator of the object's
  municipality.

The path names the relation from the policy's model to the area or municipality, with `__` as in
queries ("area", "area__municipality", "municipality"). Checks read the role index cached on the
user (`roles.role_index`: no queries once loaded) and the object's area lineage (load it with
`select_related("<area>__parent__parent")`); areas nest at most three deep (municipality-wide
district, neighbourhood), as everywhere else in the app.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from typing import Any

from django.db.models import Q

from wijkwerk.areas.models import Area
from wijkwerk.core.policy import NOTHING, Condition, UserCondition

from .models import Role, RoleAssignment
from .roles import role_index


def _follow(obj: Any, path: str) -> Any:
    return reduce(
        lambda item, name: None if item is None else getattr(item, name), path.split("__"), obj
    )


def _assignees(**lookup: Any) -> Q:
    return Q(pk__in=RoleAssignment.objects.filter(**lookup).values("user_id"))


class HoldsAreaRole(Condition):
    """One of `roles` for the object's area, or for an area it lies in."""

    def __init__(self, roles: Iterable[str], *, area: str = "area") -> None:
        self.roles = tuple(roles)
        self.path = area
        self.name = f"holds_{'_or_'.join(self.roles)}_for_{area}"

    def check(self, user: Any, obj: Any) -> bool:
        area = _follow(obj, self.path)
        if area is None:
            return False
        index = role_index(user)
        lineage = area.lineage_ids
        return any(index.holds_for_area(role, lineage) for role in self.roles)

    def _own_area_ids(self, user: Any) -> set[int]:
        index = role_index(user)
        own: set[int] = set()
        for role in self.roles:
            own |= index.area_roles.get(role, frozenset())
        return own

    def objects(self, user: Any) -> Q:
        own = self._own_area_ids(user)
        if not own:
            return NOTHING
        within = Area.objects.filter(
            Q(pk__in=own) | Q(parent_id__in=own) | Q(parent__parent_id__in=own)
        ).values("pk")
        return Q(**{f"{self.path}_id__in": within})

    def users(self, obj: Any) -> Q:
        area = _follow(obj, self.path)
        if area is None:
            return NOTHING
        return _assignees(role__in=self.roles, area_id__in=area.lineage_ids)


class AdministersMunicipality(Condition):
    """An administrator of the object's municipality (`path` leads to the municipality)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = f"administers_{path}"

    def _municipality_id(self, obj: Any) -> int | None:
        if obj is None:
            return None
        head, _sep, last = self.path.rpartition("__")
        holder = _follow(obj, head) if head else obj
        return None if holder is None else getattr(holder, f"{last}_id")

    def check(self, user: Any, obj: Any) -> bool:
        municipality_id = self._municipality_id(obj)
        return municipality_id is not None and role_index(user).holds_for_municipality(
            Role.ADMIN, municipality_id
        )

    def objects(self, user: Any) -> Q:
        municipalities = role_index(user).admin_municipality_ids
        if not municipalities:
            return NOTHING
        return Q(**{f"{self.path}_id__in": sorted(municipalities)})

    def users(self, obj: Any) -> Q:
        municipality_id = self._municipality_id(obj)
        if municipality_id is None:
            return NOTHING
        return _assignees(role=Role.ADMIN, municipality_id=municipality_id, area__isnull=True)


# The officials of an area (docs/adr/001): who reads submitted applications there, and who
# handles them (the broker or area coordinator; aldermen and community workers do not).
AREA_OFFICIAL_ROLES = (Role.ALDERMAN, Role.BROKER, Role.COMMUNITY_WORKER, Role.AREA_COORDINATOR)
CASE_HANDLER_ROLES = (Role.BROKER, Role.AREA_COORDINATOR)

# For anything that lies in an area (`obj.area`: an initiative, what the funds book for). One
# definition each, shared by every domain's policy.
is_area_official = HoldsAreaRole(AREA_OFFICIAL_ROLES)
is_area_broker = HoldsAreaRole((Role.BROKER,))
is_case_handler = HoldsAreaRole(CASE_HANDLER_ROLES)
is_area_admin = AdministersMunicipality("area__municipality")

# Anyone who holds a role (in any municipality): an official, who must log in with two steps and
# takes no part in what residents do for each other's applications (supporting them).
is_official = UserCondition(
    "is_official",
    lambda user: role_index(user).is_official,
    Q(pk__in=RoleAssignment.objects.values("user_id")),
)
