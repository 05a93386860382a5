"""Who holds which role where, loaded once per request and cached on the user object.

A logged-in request's user comes from `user_with_roles` (the log-in backend's `get_user`): the
account, its roles and whether it has a second factor in one query, so neither the role index nor
the two-factor check of officials (`middleware.StaffTwoFactorMiddleware`) costs a query of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import Exists, F, OuterRef

from .models import AREA_ROLES, Role, RoleAssignment, User


@dataclass(frozen=True)
class RoleIndex:
    area_roles: dict[str, frozenset[int]] = field(default_factory=dict)
    municipality_roles: dict[str, frozenset[int]] = field(default_factory=dict)
    # per role, the municipalities it is held in (an area role: its area's municipality)
    role_municipalities: dict[str, frozenset[int]] = field(default_factory=dict)
    # the name and slug of each of those municipalities (for menus: no query of their own)
    municipality_names: dict[int, tuple[str, str]] = field(default_factory=dict)

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
_MFA_CACHE_ATTRIBUTE = "_wijkwerk_has_second_factor"


def role_index(user: Any) -> RoleIndex:
    if user is None or not user.is_authenticated:
        return EMPTY
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    index = _index(
        RoleAssignment.objects.filter(user=user)
        .order_by()
        .values_list(
            "role", "area_id", "municipality_id", "municipality__name", "municipality__slug"
        )
    )
    setattr(user, _CACHE_ATTRIBUTE, index)
    return index


def _index(assignments: Iterable[tuple[str, int | None, int, str, str]]) -> RoleIndex:
    area_roles: dict[str, set[int]] = defaultdict(set)
    municipality_roles: dict[str, set[int]] = defaultdict(set)
    role_municipalities: dict[str, set[int]] = defaultdict(set)
    names: dict[int, tuple[str, str]] = {}
    for role, area_id, municipality_id, name, slug in assignments:
        if role in AREA_ROLES:
            if area_id is not None:
                area_roles[role].add(area_id)
        else:
            municipality_roles[role].add(municipality_id)
        role_municipalities[role].add(municipality_id)
        names[municipality_id] = (name, slug)
    return RoleIndex(
        area_roles={k: frozenset(v) for k, v in area_roles.items()},
        municipality_roles={k: frozenset(v) for k, v in municipality_roles.items()},
        role_municipalities={k: frozenset(v) for k, v in role_municipalities.items()},
        municipality_names=names,
    )


def user_with_roles(user_id: Any) -> User | None:
    """The account with its role index and its two-factor state, in one query: a row per role
    (the account's columns repeated; a person holds a handful of roles at most), or one row
    without a role."""
    rows = list(
        User._default_manager.filter(pk=user_id)
        .annotate(
            _assigned_role=F("role_assignments__role"),
            _assigned_area=F("role_assignments__area_id"),
            _assigned_municipality=F("role_assignments__municipality_id"),
            _assigned_municipality_name=F("role_assignments__municipality__name"),
            _assigned_municipality_slug=F("role_assignments__municipality__slug"),
            _has_authenticator=Exists(Authenticator.objects.filter(user_id=OuterRef("pk"))),
        )
        .order_by()
    )
    if not rows:
        return None
    user = rows[0]
    setattr(
        user,
        _CACHE_ATTRIBUTE,
        _index(
            (
                row._assigned_role,
                row._assigned_area,
                row._assigned_municipality,
                row._assigned_municipality_name,
                row._assigned_municipality_slug,
            )
            for row in rows
            if row._assigned_role is not None
        ),
    )
    setattr(user, _MFA_CACHE_ATTRIBUTE, bool(user._has_authenticator))
    return user


def has_second_factor(user: Any) -> bool:
    """Whether the person has set up two-factor login (any authenticator, as allauth's
    `is_mfa_enabled`), known from `user_with_roles` when the request's user came from there."""
    cached = getattr(user, _MFA_CACHE_ATTRIBUTE, None)
    if cached is not None:
        return bool(cached)
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)


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
    for attribute in (_CACHE_ATTRIBUTE, _COUNCIL_CACHE_ATTRIBUTE, _MFA_CACHE_ATTRIBUTE):
        if hasattr(user, attribute):
            delattr(user, attribute)
