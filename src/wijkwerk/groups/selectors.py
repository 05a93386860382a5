"""Reads of resident groups: a fixed number of queries per page whatever the rows (the group
page with 500 members is benchmarked: benchmarks/groups.py). They return None or empty, never
raise Http404 (the views decide)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from wijkwerk.areas.models import Area, GroupMembership, GroupRole, Municipality, ResidentGroup
from wijkwerk.events.models import Event, EventStatus, RsvpStatus
from wijkwerk.initiatives.models import Initiative
from wijkwerk.initiatives.states import PUBLIC as PUBLIC_INITIATIVES
from wijkwerk.news.models import NewsPost
from wijkwerk.news.states import PUBLISHED

from .models import JoinRequest, RequestStatus

# How many of a group's initiatives, events and news its page lists.
ROWS = 10
# The shared cache's family of what a group does (core/fragments.py), and what it shows: the
# initiatives with their supporters, category and area, the events with their sign-ups and their
# council or group, the news with its publisher.
ACTIVITY = "group_activity"
ACTIVITY_DEPENDS_ON = (
    "initiatives.Initiative",
    "initiatives.Support",
    "funds.Category",
    "events.Event",
    "events.Rsvp",
    "news.NewsPost",
    "areas.Area",
    "areas.Municipality",
    "areas.AreaCouncil",
    "areas.ResidentGroup",
)
# How many of the members who show their name the page names (the count is shown always).
NAMED_SHOWN = 60
ROLE_ORDER: dict[str, int] = {GroupRole.CONTACT: 0, GroupRole.TREASURER: 1, GroupRole.MEMBER: 2}


def group_for(pk: int) -> ResidentGroup | None:
    """The group with its area's lineage and municipality and its community worker: one query."""
    return (
        ResidentGroup.objects.select_related(
            "area__parent__parent", "area__municipality", "community_worker"
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class GroupPage:
    group: ResidentGroup
    member_count: int
    # contacts and treasurers are named always; members only as they chose
    officers: list[Member]
    named_members: list[Member]
    own: Member | None
    pending_request: JoinRequest | None
    pending_count: int = 0
    named_count: int = 0

    # What the group does is the same for every viewer: the page keeps it in the shared cache
    # (family ACTIVITY), so these are read only when it is built afresh.
    @cached_property
    def initiatives(self) -> list[Initiative]:
        return group_initiatives(self.group)

    @cached_property
    def events(self) -> list[Event]:
        return group_events(self.group)

    @cached_property
    def news(self) -> list[NewsPost]:
        return group_news(self.group)

    @property
    def contacts(self) -> list[Member]:
        return [m for m in self.officers if m.role == GroupRole.CONTACT]

    @property
    def unnamed_count(self) -> int:
        """Members the page does not name: those who chose not to, and those beyond NAMED_SHOWN."""
        return self.member_count - len(self.officers) - len(self.named_members)


@dataclass(frozen=True)
class Member:
    """A membership as the group page shows it (a plain row: no model instances per member)."""

    pk: int
    role: str
    name_shown: bool
    user_id: int
    full_name: str
    email: str

    @property
    def name(self) -> str:
        return self.full_name or self.email.split("@", 1)[0]

    @property
    def role_label(self) -> str:
        return str(GroupRole(self.role).label)


def _membership(*row: Any) -> Member:
    return Member(*row)


MEMBERSHIP_COLUMNS = ("pk", "role", "name_shown", "user_id", "user__full_name", "user__email")


def group_page(group: ResidentGroup, user: Any) -> GroupPage:
    """What the group page shows: the member count (and how many show their name), the contacts
    and treasurers and the visitor's own membership, up to NAMED_SHOWN members who show their
    name (one query each), the visitor's waiting request or, for a contact, the number waiting,
    and, when the page builds them afresh, the group's initiatives, events and news (one query
    each)."""
    if group.dissolved_at is not None:
        return GroupPage(group, 0, [], [], None, None)
    memberships = GroupMembership.objects.filter(group=group)
    counts = memberships.aggregate(
        total=Count("pk"), named=Count("pk", filter=Q(name_shown=True, role=GroupRole.MEMBER))
    )
    person = bool(getattr(user, "is_authenticated", False))
    own_q = Q(user_id=user.pk) if person else Q(pk__in=[])
    officers_and_own = [
        _membership(*row)
        for row in memberships.filter(~Q(role=GroupRole.MEMBER) | own_q)
        .order_by("user__full_name", "pk")
        .values_list(*MEMBERSHIP_COLUMNS)
    ]
    named = [
        _membership(*row)
        for row in memberships.filter(role=GroupRole.MEMBER, name_shown=True)
        .order_by("user__full_name", "pk")
        .values_list(*MEMBERSHIP_COLUMNS)[:NAMED_SHOWN]
    ]
    own = next((m for m in officers_and_own if person and m.user_id == user.pk), None)
    officers = sorted(
        (m for m in officers_and_own if m.role != GroupRole.MEMBER),
        key=lambda m: ROLE_ORDER[m.role],
    )
    pending = None
    pending_count = 0
    if person and own is None:
        pending = JoinRequest.objects.filter(
            group=group, user_id=user.pk, status=RequestStatus.PENDING
        ).first()
    if own is not None and own.role == GroupRole.CONTACT:
        pending_count = JoinRequest.objects.filter(
            group=group, status=RequestStatus.PENDING
        ).count()
    return GroupPage(
        group=group,
        member_count=counts["total"],
        officers=officers,
        named_members=named,
        own=own,
        pending_request=pending,
        pending_count=pending_count,
        named_count=counts["named"],
    )


def group_initiatives(group: ResidentGroup) -> list[Initiative]:
    return list(
        Initiative.objects.filter(
            resident_group=group, consent_to_publish=True, status__in=sorted(PUBLIC_INITIATIVES)
        )
        .select_related("area", "category")
        .order_by("-submitted_at", "-pk")[:ROWS]
    )


def group_events(group: ResidentGroup, now: Any = None) -> list[Event]:
    now = now or timezone.now()
    return list(
        Event.objects.filter(group=group, ends_at__gte=now)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("area", "council", "group")
        .annotate(going_count=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.GOING)))
        .order_by("starts_at", "pk")[:ROWS]
    )


def group_news(group: ResidentGroup) -> list[NewsPost]:
    return list(
        NewsPost.objects.filter(group=group, **{"status__in": sorted(PUBLISHED)})
        .select_related("area", "council", "group")
        .order_by("-published_at", "-pk")[:ROWS]
    )


def manage_page(group: ResidentGroup) -> dict[str, Any]:
    """For the contacts: every member with their role, the waiting requests, the invitations
    not yet used (three queries)."""
    from .models import GroupInvitation

    members = sorted(
        GroupMembership.objects.filter(group=group)
        .select_related("user")
        .order_by("user__full_name", "pk"),
        key=lambda m: ROLE_ORDER[m.role],
    )
    requests = list(
        JoinRequest.objects.filter(group=group, status=RequestStatus.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    invitations = list(
        GroupInvitation.objects.filter(
            group=group, accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at")
    )
    return {"members": members, "requests": requests, "invitations": invitations}


def join_request_for(group: ResidentGroup, pk: int) -> JoinRequest | None:
    return JoinRequest.objects.select_related("user").filter(group=group, pk=pk).first()


def membership_for(group: ResidentGroup, pk: int) -> GroupMembership | None:
    return GroupMembership.objects.select_related("user").filter(group=group, pk=pk).first()


def municipality(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first()


def area(municipality_slug: str, slug: str) -> Area | None:
    return (
        Area.objects.select_related("municipality", "parent__parent")
        .filter(municipality__slug=municipality_slug, slug=slug)
        .first()
    )


def _listed() -> QuerySet[ResidentGroup]:
    return (
        ResidentGroup.objects.filter(dissolved_at__isnull=True)
        .select_related("area")
        .annotate(member_count=Count("memberships"))
        .order_by("name", "pk")
    )


def municipality_groups(municipality: Municipality) -> list[ResidentGroup]:
    return list(_listed().filter(area__municipality=municipality))


def area_groups(area: Area) -> list[ResidentGroup]:
    """The groups of the area and of the areas in it."""
    return list(
        _listed().filter(Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area))
    )


def worker_choices(group: ResidentGroup) -> QuerySet[Any]:
    """The community workers of the group's area or of an area around it."""
    from wijkwerk.accounts.models import Role, User

    return (
        User.objects.filter(
            role_assignments__area_id__in=group.area.lineage_ids,
            role_assignments__role=Role.COMMUNITY_WORKER,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def my_groups(user: Any) -> list[GroupMembership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        GroupMembership.objects.filter(user=user, group__dissolved_at__isnull=True)
        .select_related("group__area")
        .order_by("group__name")
    )
