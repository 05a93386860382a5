"""Reads for account pages: a fixed number of queries however many areas or memberships exist."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.db.models import F

from wijkwerk.areas.models import Area, AreaKind, CouncilMembership, GroupMembership

from .models import RoleAssignment, User


def area_choice_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """(municipality name, [(area id, label), ...]) for a grouped select: one query.

    Within a municipality, each district or village is followed by its neighbourhoods, which
    carry their district's name so that two neighbourhoods called "Centrum" can be told apart.
    """
    rows = (
        Area.objects.annotate(
            municipality_name=F("municipality__name"),
            parent_name=F("parent__name"),
        )
        .order_by("municipality__name", "municipality_id", "name", "pk")
        .values_list("pk", "name", "kind", "parent_name", "municipality_name", "municipality_id")
    )
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for (municipality_name, _municipality_id), areas in groupby(rows, key=lambda r: (r[4], r[5])):
        options = []
        for pk, name, kind, parent_name, _m, _mid in areas:
            label = f"{name} ({parent_name})" if kind == AreaKind.NEIGHBOURHOOD else name
            options.append((pk, label))
        groups.append((municipality_name, sorted(options, key=lambda o: o[1].casefold())))
    return groups


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
