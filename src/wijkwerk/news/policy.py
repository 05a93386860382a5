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

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.policy import AdministersMunicipality, HoldsAreaRole
from wijkwerk.areas.rules import is_council_officer, is_group_contact
from wijkwerk.core.policy import ObjectCondition, PermissionPolicy, is_superuser

from .models import NewsPost
from .states import PUBLISHED

WRITER_ROLES = (Role.BROKER, Role.AREA_COORDINATOR, Role.COMMUNITY_WORKER)


is_area_writer = HoldsAreaRole(WRITER_ROLES, area="area")
administers_post = AdministersMunicipality("municipality") | is_superuser
writes_for_council = is_council_officer
writes_for_group = is_group_contact
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
