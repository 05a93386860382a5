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

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.policy import HoldsAreaRole, is_area_admin
from wijkwerk.areas.rules import is_council_officer, is_group_contact
from wijkwerk.core.policy import PermissionPolicy, is_superuser

from .models import Event

ORGANISING_ROLES = (Role.BROKER, Role.AREA_COORDINATOR, Role.COMMUNITY_WORKER)


is_area_organiser = HoldsAreaRole(ORGANISING_ROLES)
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
