"""Who may do what with a resident group (`core.policy`; registered as `groups.<action>`).

- Everyone sees a group's page (a dissolved group's page says only that it was dissolved).
- A logged-in resident who is not a member may join (an open group), ask to join (on request);
  an invitation-only group refuses with a message (the services decide, the view says why).
- The group's contacts run it: change its details, answer join requests, invite people, give
  roles, dissolve it. The municipality's administrator (and a superuser) may do the same; the
  administrator dissolves a group that has no contacts left, for example.
- Linking a community worker: a community worker of the group's area or an area around it
  (themself), the area's broker, or the administrator.

The contact and member leaves are `areas.rules.HoldsGroupRole`, shared with events, news and
surveys. Checks take the group loaded with `area__parent__parent`.
"""

from __future__ import annotations

from django.db.models import Q

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.policy import AdministersMunicipality, HoldsAreaRole
from wijkwerk.areas.models import GroupRole, ResidentGroup
from wijkwerk.areas.rules import HoldsGroupRole
from wijkwerk.core.policy import (
    EVERYTHING,
    ObjectCondition,
    PermissionPolicy,
    is_authenticated,
    is_superuser,
)

is_contact = HoldsGroupRole((GroupRole.CONTACT,), field=None, name="is_contact")
is_member = HoldsGroupRole(GroupRole.values, field=None, name="is_member")
administers = AdministersMunicipality("area__municipality") | is_superuser
is_living = ObjectCondition(
    "is_living", lambda group: group.dissolved_at is None, Q(dissolved_at__isnull=True)
)
always = ObjectCondition("always", lambda group: True, EVERYTHING)
supports = HoldsAreaRole((Role.COMMUNITY_WORKER, Role.BROKER))

runs_group = is_living & (is_contact | administers)

POLICY = PermissionPolicy(
    ResidentGroup,
    {
        "view_group": always,
        "join_group": is_living & is_authenticated & ~is_member,
        "leave_group": is_living & is_member,
        "contact_group": is_living,
        "manage_group": runs_group,
        "dissolve_group": runs_group,
        "link_worker": is_living & (supports | administers),
    },
)


def register() -> None:
    POLICY.register("groups")
