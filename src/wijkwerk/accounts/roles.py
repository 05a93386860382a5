"""Who holds which role where, loaded once per request and cached on the user object."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .models import AREA_ROLES, Role, RoleAssignment


@dataclass(frozen=True)
class RoleIndex:
    area_roles: dict[str, frozenset[int]] = field(default_factory=dict)
    municipality_roles: dict[str, frozenset[int]] = field(default_factory=dict)

    def holds_for_area(self, role: str, lineage_ids: list[int]) -> bool:
        return not self.area_roles.get(role, frozenset()).isdisjoint(lineage_ids)

    def holds_for_municipality(self, role: str, municipality_id: int) -> bool:
        return municipality_id in self.municipality_roles.get(role, frozenset())

    @property
    def is_official(self) -> bool:
        """Officials must use two-factor login (BIO2)."""
        return bool(self.area_roles or self.municipality_roles)

    @property
    def admin_municipality_ids(self) -> frozenset[int]:
        return self.municipality_roles.get(Role.ADMIN, frozenset())


EMPTY = RoleIndex()
_CACHE_ATTRIBUTE = "_wijkwerk_role_index"
_COUNCIL_CACHE_ATTRIBUTE = "_wijkwerk_council_area_ids"


def role_index(user: Any) -> RoleIndex:
    if user is None or not user.is_authenticated:
        return EMPTY
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    area_roles: dict[str, set[int]] = defaultdict(set)
    municipality_roles: dict[str, set[int]] = defaultdict(set)
    for role, area_id, municipality_id in RoleAssignment.objects.filter(user=user).values_list(
        "role", "area_id", "municipality_id"
    ):
        if role in AREA_ROLES:
            area_roles[role].add(area_id)
        else:
            municipality_roles[role].add(municipality_id)
    index = RoleIndex(
        area_roles={k: frozenset(v) for k, v in area_roles.items()},
        municipality_roles={k: frozenset(v) for k, v in municipality_roles.items()},
    )
    setattr(user, _CACHE_ATTRIBUTE, index)
    return index


def council_area_ids(user: Any) -> frozenset[int]:
    """The areas whose council the person sits on. Loaded apart from the role index, and only
    when a rule asks: most pages never need it, and every official's request would pay for it."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _COUNCIL_CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = frozenset(user.council_memberships.values_list("council__area_id", flat=True))
        setattr(user, _COUNCIL_CACHE_ATTRIBUTE, cached)
    return cached


def forget_roles(user: Any) -> None:
    for attribute in (_CACHE_ATTRIBUTE, _COUNCIL_CACHE_ATTRIBUTE):
        if hasattr(user, attribute):
            delattr(user, attribute)
