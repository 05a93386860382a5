"""Reads for account pages and for the officials panel of area pages: a fixed number of queries
however many areas or memberships exist."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.models import Area, CouncilMembership, GroupMembership
from wijkwerk.areas.selectors import Contact, contact_route

from .models import AREA_ROLES, Role, RoleAssignment, RoleInvitation, User


def own_municipality_ids(user: Any) -> set[int]:
    """The municipalities a person belongs to: that of their home area and those they hold a
    role in (one query at most). Empty when nothing says (no home area, no role, a superuser):
    then no municipality is theirs more than another."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return set()
    ids = set(
        RoleAssignment.objects.filter(user_id=user.pk).values_list("municipality_id", flat=True)
    )
    home = user.home_area
    if home is not None:
        ids.add(home.municipality_id)
    return ids


@dataclass(frozen=True)
class ProfileOverview:
    user: User
    home_area: Area | None
    roles: list[RoleAssignment]
    councils: list[CouncilMembership]
    groups: list[GroupMembership]


def profile_overview(user: Any) -> ProfileOverview:
    """The person's own data with their roles, councils and groups: four queries."""
    person = User.objects.select_related("home_area__municipality", "home_area__parent").get(
        pk=user.pk
    )
    roles = list(
        RoleAssignment.objects.filter(user=person)
        .select_related("area__municipality", "municipality")
        .order_by("municipality__name", "role", "area__name")
    )
    councils = list(
        CouncilMembership.objects.filter(user=person)
        .select_related("council__area__municipality")
        .order_by("council__name")
    )
    groups = list(
        GroupMembership.objects.filter(user=person)
        .select_related("group__area__municipality")
        .order_by("group__name")
    )
    return ProfileOverview(person, person.home_area, roles, councils, groups)


# The order in which residents meet the municipality: the alderman answerable for the area first,
# then the civil servants who work in it day to day.
ROLE_ORDER = (Role.ALDERMAN, Role.BROKER, Role.AREA_COORDINATOR, Role.COMMUNITY_WORKER)
# How the area page names each role: the Dutch job title residents know, without the explanation
# the back office shows beside it.
ROLE_LABELS = {
    Role.ALDERMAN: _("Area alderman"),
    Role.BROKER: _("Neighbourhood broker"),
    Role.AREA_COORDINATOR: _("Area coordinator"),
    Role.COMMUNITY_WORKER: _("Community worker"),
}


@dataclass(frozen=True)
class HeldRole:
    role: str
    role_label: str
    area: Area


@dataclass(frozen=True)
class Official:
    """One person on the area page, with every role they hold here or around it."""

    name: str
    roles: list[HeldRole]
    contact: Contact | None


def area_officials(area: Area) -> list[Official]:
    """The officials of the area and of the areas around it, for its page, each once (a person
    with two roles is listed once, with both): one query (the area comes with `parent__parent`,
    as the area page loads it). Deactivated accounts are not listed."""
    by_id = {}
    here: Area | None = area
    while here is not None:
        by_id[here.pk] = here
        here = here.parent
    assignments = (
        RoleAssignment.objects.filter(
            area_id__in=list(by_id), role__in=AREA_ROLES, user__is_active=True
        )
        .select_related("user")
        # Only what the page shows: whole user rows (password hash and all) cost more to decode
        # than the rest of the page's data together.
        .only("role", "area_id", "public_contact", "user__full_name")
        .order_by("user__full_name", "pk")
    )
    # Ranked here rather than in SQL: a handful of rows, and a CASE expression per query costs
    # more to compile than the sort. The nearest area first within a role.
    depth = {pk: index for index, pk in enumerate(by_id)}
    ranked = sorted(
        assignments,
        key=lambda a: (ROLE_ORDER.index(Role(a.role)), depth[a.area_id]),  # type: ignore[index]
    )
    people: dict[int, tuple[str, list[HeldRole], list[str]]] = {}
    for assignment in ranked:
        _name, roles, contacts = people.setdefault(
            assignment.user_id, (assignment.user.full_name, [], [])
        )
        roles.append(
            HeldRole(
                role=assignment.role,
                role_label=str(ROLE_LABELS[Role(assignment.role)]),
                area=by_id[assignment.area_id],  # type: ignore[index]
            )
        )
        if assignment.public_contact:
            contacts.append(assignment.public_contact)
    return [
        Official(name=name, roles=roles, contact=contact_route(contacts[0]) if contacts else None)
        for name, roles, contacts in people.values()
    ]


def token_hash(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256, so that a copy of the database hands
    out no working links."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> RoleInvitation | None:
    """The invitation a link's token opens, or None."""
    return (
        RoleInvitation.objects.select_related("municipality", "area")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
