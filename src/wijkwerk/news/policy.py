"""Who may do what with news (`core.policy`; rules.py registers it as `news.<action>`).

Writers of a post:
- the area's officials who work with residents there: the broker, the area coordinator and the
  community worker of the post's area (or of an area it lies in); not the alderman;
- the chair or secretary of the council whose news it is;
- a contact person of the resident group whose news it is;
- the municipality's administrator (and a superuser).
Everyone reads a published post; a draft or a post taken offline only its writers (404 for
others: they may not know it exists)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.policy import AdministersMunicipality, HoldsAreaRole
from wijkwerk.areas.models import CouncilMembership, CouncilPosition, GroupMembership
from wijkwerk.core.policy import (
    NOTHING,
    Condition,
    ObjectCondition,
    PermissionPolicy,
    is_superuser,
)

from .models import NewsPost
from .states import PUBLISHED

WRITER_ROLES = (Role.BROKER, Role.AREA_COORDINATOR, Role.COMMUNITY_WORKER)
COUNCIL_WRITER_POSITIONS = (CouncilPosition.CHAIR, CouncilPosition.SECRETARY)


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


class WritesForCouncil(Condition):
    """The chair or secretary of the post's council."""

    name = "writes_for_council"

    def _councils(self, user: Any) -> Any:
        return CouncilMembership.objects.filter(
            user_id=user.pk, position__in=COUNCIL_WRITER_POSITIONS
        ).values("council_id")

    def check(self, user: Any, obj: Any) -> bool:
        if obj is None or obj.council_id is None or not _authenticated(user):
            return False
        return CouncilMembership.objects.filter(
            user_id=user.pk, council_id=obj.council_id, position__in=COUNCIL_WRITER_POSITIONS
        ).exists()

    def objects(self, user: Any) -> Q:
        if not _authenticated(user):
            return NOTHING
        return Q(council_id__in=self._councils(user))

    def users(self, obj: Any) -> Q:
        if obj.council_id is None:
            return NOTHING
        return Q(
            pk__in=CouncilMembership.objects.filter(
                council_id=obj.council_id, position__in=COUNCIL_WRITER_POSITIONS
            ).values("user_id")
        )


class WritesForGroup(Condition):
    """A contact person of the post's resident group."""

    name = "writes_for_group"

    def check(self, user: Any, obj: Any) -> bool:
        if obj is None or obj.group_id is None or not _authenticated(user):
            return False
        return GroupMembership.objects.filter(
            user_id=user.pk, group_id=obj.group_id, is_contact=True
        ).exists()

    def objects(self, user: Any) -> Q:
        if not _authenticated(user):
            return NOTHING
        return Q(
            group_id__in=GroupMembership.objects.filter(user_id=user.pk, is_contact=True).values(
                "group_id"
            )
        )

    def users(self, obj: Any) -> Q:
        if obj.group_id is None:
            return NOTHING
        return Q(
            pk__in=GroupMembership.objects.filter(group_id=obj.group_id, is_contact=True).values(
                "user_id"
            )
        )


is_area_writer = HoldsAreaRole(WRITER_ROLES, area="area")
administers_post = AdministersMunicipality("municipality") | is_superuser
writes_for_council = WritesForCouncil()
writes_for_group = WritesForGroup()
is_published = ObjectCondition("is_published", lambda post: post.status in PUBLISHED, PUBLISHED.q())

# An area's officials write the area's news and may correct or take offline any post of their
# area (also a council's or group's); councils and groups write their own.
may_write = is_area_writer | administers_post | writes_for_council | writes_for_group

POLICY = PermissionPolicy(
    NewsPost,
    {
        "view_post": is_published | may_write,
        "change_post": may_write,
        "publish_post": may_write,
        "unpublish_post": may_write,
    },
)
