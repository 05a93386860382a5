"""Who may see the public area pages.

Areas, their councils, resident groups and the officials' public contact routes are public
information: the municipality publishes who works where so that residents know whom to ask. Keeping
the decision here (and not as "no check" in the views) makes it one place to change and lets the
permission matrix test it. Rules about managing areas live in `wijkwerk.accounts.rules`.

Below them, the policy leaves about councils' officers and groups' roles (`HoldsCouncilPosition`,
`HoldsGroupRole`, `is_council_officer`, `is_group_contact`) that events, news, surveys and groups
share.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules
from django.db.models import Q

from wijkwerk.core.policy import NOTHING, Condition

from .models import CouncilMembership, CouncilPosition, GroupMembership, GroupRole

rules.add_perm("areas.view_municipality", rules.always_allow)
rules.add_perm("areas.view_area", rules.always_allow)


# ----- Council officers and group roles: policy leaves for every domain -------------------------
#
# Events, news and surveys (and the groups app) let a council's chair and secretary act for their
# council, and a group's contacts for their group. One definition of each, here: they know only
# the memberships of this app and `core.policy`, so every domain above can use them.


def _person(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.pk)


class HoldsCouncilPosition(Condition):
    """The user holds one of `positions` in the object's council (`obj.<field>_id`)."""

    def __init__(
        self, positions: Iterable[str], *, field: str = "council", name: str | None = None
    ) -> None:
        self.positions = tuple(positions)
        self.field = field
        self.name = name or f"holds_{'_or_'.join(self.positions)}_of_{field}"

    def _council_id(self, obj: Any) -> int | None:
        return None if obj is None else getattr(obj, f"{self.field}_id")

    def check(self, user: Any, obj: Any) -> bool:
        council_id = self._council_id(obj)
        if council_id is None or not _person(user):
            return False
        return CouncilMembership.objects.filter(
            council_id=council_id, user_id=user.pk, position__in=self.positions
        ).exists()

    def objects(self, user: Any) -> Q:
        if not _person(user):
            return NOTHING
        councils = CouncilMembership.objects.filter(
            user_id=user.pk, position__in=self.positions
        ).values("council_id")
        return Q(**{f"{self.field}_id__in": councils})

    def users(self, obj: Any) -> Q:
        council_id = self._council_id(obj)
        if council_id is None:
            return NOTHING
        return Q(
            pk__in=CouncilMembership.objects.filter(
                council_id=council_id, position__in=self.positions
            ).values("user_id")
        )


class HoldsGroupRole(Condition):
    """The user holds one of `roles` in the object's resident group: `obj.<field>_id`, or the
    group itself when `field` is None (the groups app's own policy)."""

    def __init__(
        self, roles: Iterable[str], *, field: str | None = "group", name: str | None = None
    ) -> None:
        self.roles = tuple(roles)
        self.field = field
        self.name = name or f"holds_{'_or_'.join(self.roles)}_of_{field or 'the_group'}"

    def _group_id(self, obj: Any) -> int | None:
        if obj is None:
            return None
        return obj.pk if self.field is None else getattr(obj, f"{self.field}_id")

    def check(self, user: Any, obj: Any) -> bool:
        group_id = self._group_id(obj)
        if group_id is None or not _person(user):
            return False
        return GroupMembership.objects.filter(
            group_id=group_id, user_id=user.pk, role__in=self.roles
        ).exists()

    def objects(self, user: Any) -> Q:
        if not _person(user):
            return NOTHING
        groups = GroupMembership.objects.filter(user_id=user.pk, role__in=self.roles).values(
            "group_id"
        )
        return Q(pk__in=groups) if self.field is None else Q(**{f"{self.field}_id__in": groups})

    def users(self, obj: Any) -> Q:
        group_id = self._group_id(obj)
        if group_id is None:
            return NOTHING
        return Q(
            pk__in=GroupMembership.objects.filter(group_id=group_id, role__in=self.roles).values(
                "user_id"
            )
        )


# The chair and secretary act for their council; a group's contacts for their group.
COUNCIL_OFFICERS = (CouncilPosition.CHAIR, CouncilPosition.SECRETARY)
GROUP_CONTACTS = (GroupRole.CONTACT,)
is_council_officer = HoldsCouncilPosition(COUNCIL_OFFICERS, name="is_council_officer")
is_group_contact = HoldsGroupRole(GROUP_CONTACTS, name="is_group_contact")
