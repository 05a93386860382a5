"""Reads for the rounds' pages and panels (the public list and page, the back office's list, the
area and home blocks): a fixed number of queries whatever the rows. `selectors.py` has the
ballot's reads.

Where a round stands is computed from its prefetched phases (`standing`), so a list of rounds
costs the same three queries however many phases they have.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from wijkwerk.core.phases import Capability

from .models import BudgetProcess, ProcessArea, ProcessPhase
from .states import PUBLIC_PROCESS, ProcessStatus


def _with_parts(rounds: QuerySet[BudgetProcess]) -> QuerySet[BudgetProcess]:
    return rounds.select_related("municipality", "fund").prefetch_related(
        Prefetch("phases", queryset=ProcessPhase.objects.order_by("starts_at", "id")),
        Prefetch(
            "process_areas",
            queryset=ProcessArea.objects.select_related("area").order_by("area__name"),
        ),
    )


@dataclass(frozen=True)
class PhaseRow:
    """A phase on the round's timeline: `state` is "done", "running" or "coming"."""

    kind: str
    label: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    state: str


@dataclass(frozen=True)
class Standing:
    """Where a round stands now: its phases, the one running (or the next), and whether all are
    over."""

    timeline: list[PhaseRow]
    current: PhaseRow | None
    upcoming: PhaseRow | None
    ended: bool

    @property
    def order(self) -> int:
        """Current rounds first, then those still to come, then those that ended."""
        if self.current is not None:
            return 0
        if self.upcoming is not None:
            return 1
        return 2


def standing(process: BudgetProcess, now: datetime.datetime | None = None) -> Standing:
    moment = now or timezone.now()
    rows = []
    for phase in sorted(process.phases.all(), key=lambda p: p.starts_at):
        if phase.ends_at <= moment:
            state = "done"
        elif phase.starts_at <= moment:
            state = "running"
        else:
            state = "coming"
        rows.append(
            PhaseRow(
                phase.kind,
                str(phase.phase_kind.label),
                str(phase.phase_kind.description),
                phase.starts_at,
                phase.ends_at,
                state,
            )
        )
    current = next((row for row in rows if row.state == "running"), None)
    upcoming = next((row for row in rows if row.state == "coming"), None)
    return Standing(rows, current, upcoming, ended=bool(rows) and rows[-1].state == "done")


def _list_order(place: Standing) -> tuple[int, float]:
    """Running rounds by the end of their phase, coming ones by their start, ended ones the
    latest first."""
    if place.current is not None:
        return 0, place.current.ends_at.timestamp()
    if place.upcoming is not None:
        return 1, place.upcoming.starts_at.timestamp()
    return 2, -(place.timeline[-1].ends_at.timestamp() if place.timeline else 0.0)


def public_rounds() -> list[tuple[BudgetProcess, Standing]]:
    """Every municipality's published rounds with where they stand, current ones first (three
    queries)."""
    now = timezone.now()
    rows = [
        (process, standing(process, now))
        for process in _with_parts(BudgetProcess.objects.filter(PUBLIC_PROCESS.q()))
    ]
    rows.sort(key=lambda row: _list_order(row[1]))
    return rows


def round_page(pk: int) -> BudgetProcess | None:
    """A round with its municipality, fund, areas and phases (three queries), or None."""
    return _with_parts(BudgetProcess.objects.filter(pk=pk)).first()


def municipality_rounds(municipality: Any) -> list[tuple[BudgetProcess, Standing]]:
    """All rounds of a municipality, drafts too, newest first (the back office's list)."""
    now = timezone.now()
    return [
        (process, standing(process, now))
        for process in _with_parts(BudgetProcess.objects.filter(municipality=municipality))
    ]


def rounds_now(area: Any = None, *, limit: int = 5) -> list[tuple[BudgetProcess, Standing]]:
    """Published rounds not over yet (their last phase still ahead), of `area` (a round of the
    area or of an area it lies in) or of any area: the area and home pages' block (two
    queries)."""
    now = timezone.now()
    rounds = BudgetProcess.objects.filter(PUBLIC_PROCESS.q(), phases__ends_at__gt=now)
    if area is not None:
        rounds = rounds.filter(process_areas__area_id__in=area.lineage_ids)
    rounds = rounds.distinct().prefetch_related(
        Prefetch("phases", queryset=ProcessPhase.objects.order_by("starts_at", "id"))
    )
    rows = [(process, standing(process, now)) for process in rounds[:50]]
    rows.sort(key=lambda row: (row[1].order, row[0].title))
    return rows[:limit]


def actions_now(process: BudgetProcess, now: datetime.datetime | None = None) -> set[str]:
    """What a resident can do in the round now (the phase's capabilities): "propose", "support",
    "review", "vote", "see_results"; nothing before publication."""
    if process.status == ProcessStatus.DRAFT:
        return set()
    current = process.schedule.current(now)
    allowed = {str(c) for c in Capability if current is not None and current.phase_kind.allows(c)}
    if process.status != ProcessStatus.PUBLISHED:
        allowed.discard(str(Capability.VOTE))
    if process.status == ProcessStatus.COUNTED:
        allowed.add(str(Capability.SEE_RESULTS))
    return allowed


def rounds_to_close(now: datetime.datetime | None = None) -> list[BudgetProcess]:
    """Published rounds whose voting phase has ended (the scheduled close)."""
    moment = now or timezone.now()
    return list(
        BudgetProcess.objects.filter(
            status=ProcessStatus.PUBLISHED, phases__kind="voting", phases__ends_at__lte=moment
        ).order_by("pk")
    )
