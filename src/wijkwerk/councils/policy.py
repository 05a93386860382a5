"""Who may do what with a council, its meetings and the initiatives addressed to it
(`core.policy`; rules.py registers them as `councils.<action>`).

- Everyone sees a council's page, its meetings (also a closed one is announced), its decisions
  with their reasons and its published minutes.
- The council's chair and secretary run its meetings: create them, set the agenda, add
  documents, write the minutes, have them approved and publish them, and record the council's
  decisions. The area's broker and coordinator (the case handlers) and the municipality's
  administrator support them and may do the same.
- The council's members, and those who run its meetings, read the documents of a closed meeting
  and the minutes before they are published.
- The council's quorum (its own regulations) is set by its chair, the municipality's council
  clerk (griffie) or its administrator.
- The area's broker, coordinator or the administrator hand an initiative to the council of its
  area (the council then decides it instead of the broker).

Checks read the user's council positions once per request (cached on the user) and the area
lineage of the council (`select_related("area__parent__parent")`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.accounts.policy import (
    CASE_HANDLER_ROLES,
    AdministersMunicipality,
    HoldsAreaRole,
    is_case_handler,
)
from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import AreaCouncil, CouncilMembership, CouncilPosition
from wijkwerk.core.policy import (
    EVERYTHING,
    NOTHING,
    Condition,
    ObjectCondition,
    PermissionPolicy,
    is_superuser,
)
from wijkwerk.initiatives.models import Initiative

from .models import Meeting, MeetingDocument

# The positions that run the council's meetings and record its decisions.
RUNNING_POSITIONS = (CouncilPosition.CHAIR, CouncilPosition.SECRETARY)
_CACHE = "_wijkwerk_council_positions"


def council_positions(user: Any) -> dict[int, str]:
    """The councils the user is a member of, with the position: one query per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = dict(
            CouncilMembership.objects.filter(user_id=user.pk).values_list("council_id", "position")
        )
        setattr(user, _CACHE, cached)
    return cached


def forget_positions(user: Any) -> None:
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


class InCouncil(Condition):
    """A member of the object's council (`path` leads to the council's id: "pk" for a council,
    "council" for a meeting), in one of `positions` (None: any)."""

    def __init__(self, path: str, positions: tuple[str, ...] | None = None) -> None:
        self.path = path
        self.positions = positions
        self.name = f"in_council_{path}_{'_'.join(positions or ('any',))}"

    def _council_id(self, obj: Any) -> int | None:
        if obj is None:
            return None
        if self.path == "pk":
            return int(obj.pk)
        *head, last = self.path.split("__")
        for name in head:
            obj = getattr(obj, name)
        value = getattr(obj, f"{last}_id")
        return None if value is None else int(value)

    def _memberships(self) -> Any:
        memberships = CouncilMembership.objects.all()
        if self.positions is not None:
            memberships = memberships.filter(position__in=self.positions)
        return memberships

    def check(self, user: Any, obj: Any) -> bool:
        council_id = self._council_id(obj)
        position = council_positions(user).get(council_id) if council_id is not None else None
        if position is None:
            return False
        return self.positions is None or position in self.positions

    def objects(self, user: Any) -> Q:
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        councils = self._memberships().filter(user_id=user.pk).values("council_id")
        key = "pk__in" if self.path == "pk" else f"{self.path}_id__in"
        return Q(**{key: councils})

    def users(self, obj: Any) -> Q:
        council_id = self._council_id(obj)
        if council_id is None:
            return NOTHING
        return Q(pk__in=self._memberships().filter(council_id=council_id).values("user_id"))


class ClerkOf(Condition):
    """The council clerk (griffie) of the object's municipality (`path` leads to it)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = f"clerk_of_{path}"

    def _municipality_id(self, obj: Any) -> int | None:
        if obj is None:
            return None
        *head, last = self.path.split("__")
        for name in head:
            obj = getattr(obj, name)
        value = getattr(obj, f"{last}_id")
        return None if value is None else int(value)

    def check(self, user: Any, obj: Any) -> bool:
        municipality_id = self._municipality_id(obj)
        return municipality_id is not None and role_index(user).holds_for_municipality(
            Role.CLERK, municipality_id
        )

    def objects(self, user: Any) -> Q:
        municipalities = role_index(user).municipality_roles.get(Role.CLERK, frozenset())
        if not municipalities:
            return NOTHING
        return Q(**{f"{self.path}_id__in": sorted(municipalities)})

    def users(self, obj: Any) -> Q:
        municipality_id = self._municipality_id(obj)
        if municipality_id is None:
            return NOTHING
        return Q(
            pk__in=RoleAssignment.objects.filter(
                role=Role.CLERK, municipality_id=municipality_id
            ).values("user_id")
        )


everyone = ObjectCondition("everyone", lambda obj: True, EVERYTHING)

# --- A council ---
runs_council = InCouncil("pk", RUNNING_POSITIONS)
member_of_council = InCouncil("pk")
supports_council = (
    HoldsAreaRole(CASE_HANDLER_ROLES, area="area")
    | AdministersMunicipality("area__municipality")
    | is_superuser
)
manages_council = runs_council | supports_council

COUNCIL_POLICY = PermissionPolicy(
    AreaCouncil,
    {
        "view_council": everyone,
        # create meetings, record decisions: the chair, the secretary and those supporting them
        "manage_council": manages_council,
        "view_council_internal": manages_council | member_of_council,
        # the council's own quorum rule: its chair, the clerk and the administrator
        "set_quorum": InCouncil("pk", (CouncilPosition.CHAIR,))
        | ClerkOf("area__municipality")
        | AdministersMunicipality("area__municipality")
        | is_superuser,
    },
)

# --- A meeting ---
runs_meeting = InCouncil("council", RUNNING_POSITIONS)
member_of_meeting = InCouncil("council")
supports_meeting = (
    HoldsAreaRole(CASE_HANDLER_ROLES, area="council__area")
    | AdministersMunicipality("council__area__municipality")
    | is_superuser
)
manages_meeting = runs_meeting | supports_meeting
is_public_meeting = ObjectCondition(
    "is_public_meeting", lambda meeting: meeting.event.is_public, Q(event__is_public=True)
)
minutes_published = ObjectCondition(
    "minutes_published",
    lambda meeting: meeting.minutes_status == "published",
    Q(minutes_status="published"),
)
inside = manages_meeting | member_of_meeting

MEETING_POLICY = PermissionPolicy(
    Meeting,
    {
        "view_meeting": everyone,
        "manage_meeting": manages_meeting,
        # the documents of a closed meeting: the council's members and those who run it
        "view_documents": is_public_meeting | inside,
        # the minutes before they are published
        "view_minutes": minutes_published | inside,
    },
)

# --- A document (its meeting decides) ---
doc_in_public_meeting = ObjectCondition(
    "document_in_public_meeting",
    lambda document: document.meeting.event.is_public,
    Q(meeting__event__is_public=True),
)
DOCUMENT_POLICY = PermissionPolicy(
    MeetingDocument,
    {
        "view_document": doc_in_public_meeting
        | InCouncil("meeting__council")
        | HoldsAreaRole(CASE_HANDLER_ROLES, area="meeting__council__area")
        | AdministersMunicipality("meeting__council__area__municipality")
        | is_superuser,
    },
)

# --- An initiative handed to the council ---
HANDING_POLICY = PermissionPolicy(
    Initiative,
    {
        "hand_to_council": is_case_handler
        | AdministersMunicipality("area__municipality")
        | is_superuser,
    },
)
