"""Who may do what with an event: the events' permission policy (`core.policy`; rules.py
registers each action as `events.<action>`).

Everyone sees every event (a closed council meeting is announced too; it only takes no sign-ups).
Organising an event of an area (announcing, changing, cancelling, recording attendance, reading
who signed up with their addresses) is for

- the area's broker, area coordinator and community worker (or of an area it lies in), and the
  municipality's administrator;
- the chair and the secretary of the event's council, for their council's events;
- the contact persons of the event's resident group, for their group's events.

Checks take the event loaded with `area__parent__parent` (the lineage costs no queries); the
council and group leaves ask the memberships (one query each), so they work on an event not yet
saved too (the create form asks whether the person may organise for that council or group).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.policy import HoldsAreaRole, is_area_admin
from wijkwerk.areas.models import CouncilMembership, CouncilPosition, GroupMembership
from wijkwerk.core.policy import NOTHING, Condition, PermissionPolicy, is_superuser

from .models import Event

ORGANISING_ROLES = (Role.BROKER, Role.AREA_COORDINATOR, Role.COMMUNITY_WORKER)
COUNCIL_OFFICERS = (CouncilPosition.CHAIR, CouncilPosition.SECRETARY)


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.pk)


class IsCouncilOfficer(Condition):
    """The chair or secretary of the event's council."""

    name = "is_council_officer"

    def check(self, user: Any, obj: Any) -> bool:
        if obj is None or obj.council_id is None or not _authenticated(user):
            return False
        return CouncilMembership.objects.filter(
            council_id=obj.council_id, user_id=user.pk, position__in=COUNCIL_OFFICERS
        ).exists()

    def objects(self, user: Any) -> Q:
        if not _authenticated(user):
            return NOTHING
        councils = CouncilMembership.objects.filter(
            user_id=user.pk, position__in=COUNCIL_OFFICERS
        ).values("council_id")
        return Q(council_id__in=councils)

    def users(self, obj: Any) -> Q:
        if obj.council_id is None:
            return NOTHING
        return Q(
            pk__in=CouncilMembership.objects.filter(
                council_id=obj.council_id, position__in=COUNCIL_OFFICERS
            ).values("user_id")
        )


class IsGroupContact(Condition):
    """A contact person of the event's resident group."""

    name = "is_group_contact"

    def check(self, user: Any, obj: Any) -> bool:
        if obj is None or obj.group_id is None or not _authenticated(user):
            return False
        return GroupMembership.objects.filter(
            group_id=obj.group_id, user_id=user.pk, is_contact=True
        ).exists()

    def objects(self, user: Any) -> Q:
        if not _authenticated(user):
            return NOTHING
        groups = GroupMembership.objects.filter(user_id=user.pk, is_contact=True).values("group_id")
        return Q(group_id__in=groups)

    def users(self, obj: Any) -> Q:
        if obj.group_id is None:
            return NOTHING
        return Q(
            pk__in=GroupMembership.objects.filter(group_id=obj.group_id, is_contact=True).values(
                "user_id"
            )
        )


is_area_organiser = HoldsAreaRole(ORGANISING_ROLES)
is_council_officer = IsCouncilOfficer()
is_group_contact = IsGroupContact()
# The area's officials: they organise any event of the area and see every sign-up.
is_event_official = is_area_organiser | is_area_admin | is_superuser
can_organise = is_event_official | is_council_officer | is_group_contact

POLICY = PermissionPolicy(
    Event,
    {
        # announcing an event (asked of an unsaved event: its area, council and group),
        # changing it, cancelling it, recording attendance, reading the sign-ups
        "organise_event": can_organise,
    },
)
