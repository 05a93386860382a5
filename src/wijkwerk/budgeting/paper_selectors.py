"""Reading the paper ballots of a round: how far their double entry is, per area, and whether
the count may start (services/paper.py writes them; services/results.py and the close ask).

Each function costs a fixed number of queries, whatever the number of areas or ballots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from .models import BudgetProcess, Channel, PaperBallot, PaperStatus, Participation, ProcessArea

OUTSTANDING = (PaperStatus.PENDING, PaperStatus.DISPUTED)
COUNTED = (PaperStatus.AGREED, PaperStatus.RESOLVED)


def outstanding(process: BudgetProcess) -> int:
    """The paper ballots still waiting for their second entry or for a third official."""
    return PaperBallot.objects.filter(process=process, status__in=OUTSTANDING).count()


def intakes(process: BudgetProcess) -> dict[int, int]:
    """The voting codes taken in for a paper ballot, by area id (the register of who voted)."""
    rows = (
        Participation.objects.filter(process=process, channel=Channel.PAPER)
        .values("area_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["area_id"]: row["n"] for row in rows}


def ready_to_count(process: BudgetProcess) -> bool:
    """Whether a closed round's count may be queued by itself: no paper ballot waits for an
    entry, and the box holds at least as many entered paper ballots as codes were taken in
    for paper (fewer: someone took a ballot home; the administrator starts the count then)."""
    if outstanding(process):
        return False
    taken_in = sum(intakes(process).values())
    return not taken_in or PaperBallot.objects.filter(process=process).count() >= taken_in


@dataclass
class AreaPaper:
    """One area's paper ballots: codes taken in, ballots entered and what became of them."""

    process_area: ProcessArea
    intakes: int = 0
    entered: int = 0
    counted: int = 0
    pending: int = 0
    disputed: int = 0
    void: int = 0


@dataclass
class PaperOverview:
    areas: list[AreaPaper]
    disputed: list[PaperBallot] = field(default_factory=list)
    pending: list[PaperBallot] = field(default_factory=list)

    @property
    def outstanding(self) -> int:
        return sum(area.pending + area.disputed for area in self.areas)

    @property
    def intakes(self) -> int:
        return sum(area.intakes for area in self.areas)

    @property
    def entered(self) -> int:
        return sum(area.entered for area in self.areas)


def overview(process: BudgetProcess) -> PaperOverview:
    """Per area: the codes taken in for paper, the ballots entered, agreed (or resolved),
    waiting for their second entry, disputed and invalid; and the disputed and waiting ballots
    (four queries)."""
    areas = {
        item.area_id: AreaPaper(item)
        for item in ProcessArea.objects.filter(process=process)
        .select_related("area")
        .order_by("area__name", "pk")
    }
    by_process_area = {row.process_area.pk: row for row in areas.values()}
    for area_id, n in intakes(process).items():
        if area_id in areas:
            areas[area_id].intakes = n
    rows = (
        PaperBallot.objects.filter(process=process)
        .values("process_area_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        area = by_process_area.get(row["process_area_id"])
        if area is None:
            continue
        area.entered += row["n"]
        status = row["status"]
        if status in COUNTED:
            area.counted += row["n"]
        elif status == PaperStatus.PENDING:
            area.pending += row["n"]
        elif status == PaperStatus.DISPUTED:
            area.disputed += row["n"]
        else:
            area.void += row["n"]
    waiting = list(
        PaperBallot.objects.filter(process=process, status__in=OUTSTANDING)
        .select_related("process_area__area")
        .order_by("number")
    )
    return PaperOverview(
        areas=list(areas.values()),
        disputed=[paper for paper in waiting if paper.status == PaperStatus.DISPUTED],
        pending=[paper for paper in waiting if paper.status == PaperStatus.PENDING],
    )


def paper_with_entries(process: BudgetProcess, number: int) -> PaperBallot | None:
    """A paper ballot by its number, with its entries and who made them (two queries)."""
    return (
        PaperBallot.objects.filter(process=process, number=number)
        .select_related("process_area__area")
        .prefetch_related("entries__entered_by")
        .first()
    )


def entry_area(process: BudgetProcess, entry: Any) -> ProcessArea | None:
    """The round's area an entry's reading names (None: one no longer in the round)."""
    area_id = (entry.choices or {}).get("area") if isinstance(entry.choices, dict) else None
    return next((item for item in process.process_areas.all() if item.pk == area_id), None)
