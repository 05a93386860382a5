"""Reads of the councils app, each a fixed number of queries whatever the rows; `None` or empty
for what is not there (views decide on 404)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from wijkwerk.areas.models import AreaCouncil, CouncilMembership, CouncilPosition
from wijkwerk.events.models import Event
from wijkwerk.funds.models import Fund
from wijkwerk.funds.selectors import Figures, fund_figures
from wijkwerk.initiatives.models import Initiative
from wijkwerk.initiatives.states import AWAITING_DECISION

from . import votes as counting
from .models import (
    AgendaItem,
    CouncilDecision,
    CouncilRules,
    Meeting,
    MeetingDocument,
    QuorumRule,
    Vote,
)

# the order positions are listed in on the council's page
POSITION_ORDER: dict[str, int] = {
    CouncilPosition.CHAIR: 0,
    CouncilPosition.SECRETARY: 1,
    CouncilPosition.TREASURER: 2,
    CouncilPosition.MEMBER: 3,
}
PAST_MEETINGS = 10
DECISIONS_SHOWN = 20


def council_or_none(pk: int) -> AreaCouncil | None:
    return (
        AreaCouncil.objects.select_related("area__parent__parent", "area__municipality")
        .filter(pk=pk)
        .first()
    )


def meeting_or_none(pk: int) -> Meeting | None:
    return (
        Meeting.objects.select_related(
            "event", "council__area__parent__parent", "council__area__municipality"
        )
        .filter(pk=pk)
        .first()
    )


def agenda_item_or_none(pk: int) -> AgendaItem | None:
    return (
        AgendaItem.objects.select_related(
            "meeting__event",
            "meeting__council__area__parent__parent",
            "meeting__council__area__municipality",
            "initiative__area",
        )
        .filter(pk=pk)
        .first()
    )


def document_or_none(meeting_pk: int, pk: int) -> MeetingDocument | None:
    return (
        MeetingDocument.objects.select_related(
            "meeting__event",
            "meeting__council__area__parent__parent",
            "meeting__council__area__municipality",
        )
        .filter(meeting_id=meeting_pk, pk=pk)
        .first()
    )


def members_of(council: AreaCouncil) -> list[Any]:
    """The council's members (users), one query."""
    return list(
        get_user_model()
        ._default_manager.filter(council_memberships__council=council)
        .order_by("full_name", "pk")
    )


@dataclass(frozen=True)
class Quorum:
    """The council's quorum rule and what it means for its present number of members."""

    rule: str
    number: int | None
    members: int

    @property
    def needed(self) -> int:
        return counting.quorum(self.members, self.rule, self.number)

    @property
    def is_majority(self) -> bool:
        return self.rule == QuorumRule.MAJORITY


def council_rules(council: AreaCouncil) -> CouncilRules | None:
    return CouncilRules.objects.filter(council=council).first()


def quorum_of(council: AreaCouncil, members: int) -> Quorum:
    """The council's quorum (one query): its own rule, or more than half without one."""
    rules = council_rules(council)
    if rules is None:
        return Quorum(rule=QuorumRule.MAJORITY, number=None, members=members)
    return Quorum(rule=rules.quorum_rule, number=rules.quorum_number, members=members)


def memberships(council: AreaCouncil) -> list[CouncilMembership]:
    rows = list(
        CouncilMembership.objects.filter(council=council).select_related("user").order_by("pk")
    )
    rows.sort(key=lambda m: (POSITION_ORDER.get(m.position, 9), m.user.display_name))
    return rows


def council_fund(council: AreaCouncil, area: Any = None) -> Fund | None:
    """The council's own open fund of this year (its leefbaarheidsbudget), if it has one."""
    return (
        Fund.objects.select_related("scheme")
        .filter(council=council, is_active=True, year=timezone.localdate().year)
        .order_by("pk")
        .first()
    )


def _public_decisions(councils: list[int]) -> QuerySet[CouncilDecision]:
    return CouncilDecision.objects.filter(council_id__in=councils).select_related(
        "initiative", "agenda_item__meeting__event", "decision", "council"
    )


@dataclass
class CouncilPage:
    council: AreaCouncil
    memberships: list[CouncilMembership]
    fund: Fund | None
    figures: Figures | None
    coming: list[Meeting]
    past: list[Meeting]
    decisions: list[CouncilDecision]
    quorum: Quorum
    waiting: list[Initiative] = field(default_factory=list)


def council_page(council: AreaCouncil, *, with_waiting: bool = False) -> CouncilPage:
    """Everything the council's page shows: 7 queries (8 with the initiatives waiting for the
    council, for those who run its meetings)."""
    now = timezone.now()
    fund = council_fund(council)
    figures = fund_figures(fund) if fund is not None else None
    meetings = list(
        Meeting.objects.filter(council=council)
        .select_related("event")
        .order_by("-event__starts_at")[:50]
    )
    coming = sorted(
        (m for m in meetings if m.event.ends_at >= now), key=lambda m: m.event.starts_at
    )
    past = [m for m in meetings if m.event.ends_at < now][:PAST_MEETINGS]
    decisions = list(_public_decisions([council.pk])[:DECISIONS_SHOWN])
    waiting: list[Initiative] = []
    if with_waiting:
        waiting = list(waiting_initiatives(council))
    members = memberships(council)
    return CouncilPage(
        council=council,
        memberships=members,
        quorum=quorum_of(council, len(members)),
        fund=fund,
        figures=figures,
        coming=coming,
        past=past,
        decisions=decisions,
        waiting=waiting,
    )


def waiting_initiatives(council: AreaCouncil) -> QuerySet[Initiative]:
    """Initiatives addressed to the council and waiting for its decision (with their area)."""
    return (
        Initiative.objects.filter(deciding_council=council, status__in=AWAITING_DECISION)
        .select_related("area")
        .order_by("submitted_at", "pk")
    )


def agenda_candidates(council: AreaCouncil) -> QuerySet[Initiative]:
    """Initiatives the council may put on an agenda: waiting for its decision and not on an
    agenda item that is still to be decided."""
    return waiting_initiatives(council).exclude(
        agenda_items__in=AgendaItem.objects.filter(council_decision__isnull=True)
    )


@dataclass
class MeetingPage:
    meeting: Meeting
    agenda: list[AgendaItem]
    documents: list[MeetingDocument]
    members: list[Any]


def meeting_page(meeting: Meeting, *, with_documents: bool) -> MeetingPage:
    """The meeting's agenda with each item's initiative, decision and votes, and its documents:
    4 queries (3 without the documents)."""
    votes = Prefetch("council_decision__votes", queryset=Vote.objects.select_related("member"))
    agenda = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("initiative", "council_decision__decision", "council_decision__fund")
        .prefetch_related(votes)
    )
    documents = list(MeetingDocument.objects.filter(meeting=meeting)) if with_documents else []
    return MeetingPage(meeting=meeting, agenda=agenda, documents=documents, members=[])


@dataclass
class AreaCouncils:
    councils: list[AreaCouncil]
    next_meeting: dict[int, Meeting]
    decisions: list[CouncilDecision]


def area_councils(area: Any) -> AreaCouncils | None:
    """The council(s) of the area and of the areas it lies in (a neighbourhood's village
    council), with their next meeting and recent decisions (the area page's panel): 2 queries,
    1 where there is no council. The next meeting comes with the councils (two subqueries on the
    same index), not in a query of its own: the area page holds many panels."""
    coming = Meeting.objects.filter(
        council=OuterRef("pk"), event__ends_at__gte=timezone.now()
    ).order_by("event__starts_at", "pk")
    councils: list[AreaCouncil] = list(
        AreaCouncil.objects.filter(area_id__in=area.lineage_ids)
        .annotate(
            next_meeting_id=Subquery(coming.values("pk")[:1]),
            next_meeting_starts=Subquery(coming.values("event__starts_at")[:1]),
        )
        .order_by("name")
    )
    if not councils:
        return None
    ids = [c.pk for c in councils]
    next_meeting: dict[int, Meeting] = {}
    for council in councils:
        meeting_id = getattr(council, "next_meeting_id", None)
        if meeting_id is not None:
            # what the panel shows of it: its page and its start
            starts = council.next_meeting_starts  # type: ignore[attr-defined]
            next_meeting[council.pk] = Meeting(
                pk=meeting_id, council=council, event=Event(starts_at=starts)
            )
    decisions = list(_public_decisions(ids)[:5])
    for council in councils:
        council.next_meeting = next_meeting.get(council.pk)  # type: ignore[attr-defined]
    return AreaCouncils(councils=councils, next_meeting=next_meeting, decisions=decisions)
