"""Who may do what with comments (`core.policy`; rules.py registers it as `comments.<action>`).

Moderators of a comment: the broker, the area coordinator and the community worker of the area
of the object it is on (or of an area around it), and the municipality's administrator. The
alderman does not moderate what residents write. Any logged-in person reports someone else's
visible comment (once: the service refuses a second report). Writing a comment is for anyone
logged in who may see the object, while it takes comments and they are not blocked (the
service checks, saying why not)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.policy import AdministersMunicipality, HoldsAreaRole
from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Area
from wijkwerk.core.policy import (
    IsPerson,
    ObjectCondition,
    PermissionPolicy,
    is_authenticated,
    is_superuser,
)

from .models import Comment, CommentStatus

MODERATOR_ROLES = (Role.BROKER, Role.AREA_COORDINATOR, Role.COMMUNITY_WORKER)

moderates_area = HoldsAreaRole(MODERATOR_ROLES, area="area")
administers = AdministersMunicipality("municipality") | is_superuser
is_author = IsPerson("author")
is_visible = ObjectCondition(
    "is_visible",
    lambda comment: comment.status == CommentStatus.VISIBLE,
    Q(status=CommentStatus.VISIBLE),
)

POLICY = PermissionPolicy(
    Comment,
    {
        "moderate_comment": moderates_area | administers,
        "report_comment": is_authenticated & ~is_author & is_visible,
    },
)


def moderates_in_municipality(user: Any, municipality: Any) -> bool:
    """Whether `user` moderates comments anywhere in `municipality`: the gate of its moderation
    queue and of lifting its blocks. One query for a broker, coordinator or community worker,
    none for others."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    index = role_index(user)
    if municipality.pk in index.admin_municipality_ids:
        return True
    own: set[int] = set()
    for role in MODERATOR_ROLES:
        own |= index.area_roles.get(role, frozenset())
    return bool(own) and Area.objects.filter(pk__in=own, municipality=municipality).exists()
