"""Paper ballots: the desk's intake of voting codes and the count of the box by double entry.

A paper ballot carries no code. At the desk (or from a posted envelope) an official takes in
the voter's code (`paper_intake`): the code is used on paper and the voter goes into the one
register of who voted (`Participation`, channel paper), under the ballot box's shared lock like
an online ballot; a code used online is refused there, and a code taken in for paper is refused
online, each with a message saying which.

At the count each paper ballot gets a number, and two different officials each enter what it
says (`paper_enter`): its area, its plans (checked as the online ballot is, `check_choices`) or
that it is invalid, and why (Dutch practice: an invalid ballot is recorded, not counted). When
the two entries agree, the paper ballot is AGREED (or VOID) and its `Ballot` (channel paper, no
receipt, no change key) is written under the ballot box's lock; when they differ it is DISPUTED
until a third official, neither of the two, enters what the paper says (`paper_resolve`).

An area never has more paper ballots than codes were taken in for paper there. The entries of
a round take its row's lock (FOR NO KEY UPDATE, after the ballot box's shared lock, in the
order the close takes them), so that they follow one another, the count waits for them and they
for it. The count waits while a paper ballot is outstanding (`results.count_now`:
`paper_pending`); the close queues it only once the box is in, and otherwise the entry that
settles the last outstanding paper ballot of a closed round queues it.

The audit trail records who entered which number and when, never what a ballot says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.core import audit

from ..audit_actions import BudgetAction
from ..eligibility import Voter
from ..models import (
    Ballot,
    BudgetProcess,
    Channel,
    PaperBallot,
    PaperEntry,
    PaperStatus,
    ProcessArea,
    VotingCode,
)
from ..paper_selectors import intakes, ready_to_count
from ..refusals import BudgetRefused
from ..states import ProcessStatus
from . import codes, voting
from .results import enqueue_count

MAX_NUMBER = 1_000_000
MAX_REASON = 200


@dataclass(frozen=True)
class Reading:
    """What one official read on a paper ballot: its area, its choices (`[[plan id, points],
    ...]`, checked) or that it is invalid and why. Kept as an entry's JSON."""

    process_area_id: int
    choices: tuple[tuple[int, int], ...]
    invalid: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.process_area_id,
            "choices": [list(choice) for choice in self.choices],
            "invalid": self.invalid,
        }

    @classmethod
    def from_json(cls, data: Any) -> Reading:
        data = data if isinstance(data, dict) else {}
        return cls(
            process_area_id=int(data.get("area") or 0),
            choices=tuple((int(plan), int(points)) for plan, points in data.get("choices", [])),
            invalid=str(data.get("invalid") or ""),
        )

    def agrees_with(self, other: Reading) -> bool:
        """The same area and either both invalid (whatever reason each wrote) or the same
        choices."""
        if self.process_area_id != other.process_area_id:
            return False
        if self.invalid or other.invalid:
            return bool(self.invalid) and bool(other.invalid)
        return self.choices == other.choices


# --- The desk's intake -----------------------------------------------------------------------


def paper_intake(*, actor: Any, process: BudgetProcess, typed_code: str) -> VotingCode:
    """Take in a voter's code for a paper ballot: the code is used on paper and its voter is
    in the register of who voted. Refused for a code used online (or taken in before)."""
    try:
        code = codes.find_code(process, typed_code)
    except BudgetRefused as refused:
        if refused.code == "code_used":
            raise voting.code_used(_used_channel(process, typed_code)) from None
        raise
    voter = Voter(
        process_area=code.process_area,
        register_key=f"code:{code.pk}",
        age_band=code.age_band,
        channel=Channel.PAPER,
        code_id=code.pk,
    )
    with transaction.atomic():
        if not voting.paper_register(process, voter):
            raise voting.code_used(voting.registered_channel(process, voter))
        VotingCode.objects.filter(pk=code.pk, used_channel="").update(used_channel=Channel.PAPER)
        code.used_channel = Channel.PAPER
        audit.record(
            actor=actor,
            action=BudgetAction.PAPER_INTAKE,
            instance=process,
            after={"channel": str(Channel.PAPER.label)},
        )
    return code


def _used_channel(process: BudgetProcess, typed_code: str) -> str:
    found = (
        VotingCode.objects.filter(process=process, code_hash=codes.code_hash(typed_code))
        .values_list("used_channel", flat=True)
        .first()
    )
    return found or Channel.ONLINE


# --- The double entry ------------------------------------------------------------------------


def read(
    process: BudgetProcess,
    process_area: ProcessArea,
    choices: Mapping[Any, Any],
    invalid: str = "",
) -> Reading:
    """An official's reading, checked: the round's area, and the choices as the online ballot
    is checked (a ballot the rules refuse is entered as invalid, with the reason)."""
    if process_area.process_id != process.pk:
        raise BudgetRefused(_("This area is not part of the round."), "not_in_round")
    invalid = (invalid or "").strip()
    if invalid:
        return Reading(process_area.pk, (), invalid[:MAX_REASON])
    voter = Voter(process_area=process_area, register_key="", channel=Channel.PAPER)
    checked = voting.check_choices(process, voter, choices)
    return Reading(process_area.pk, tuple((plan, points) for plan, points in checked))


def _number(number: Any) -> int:
    try:
        value = int(number)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= MAX_NUMBER:
        raise BudgetRefused(
            _("A paper ballot's number is a whole number from 1 to %(max)s.") % {"max": MAX_NUMBER},
            "paper_number",
        )
    return value


def _lock(process: BudgetProcess) -> BudgetProcess:
    """The round under the ballot box's shared lock, then its row (FOR NO KEY UPDATE): the
    close takes them in the same order; entries follow one another; the count waits."""
    voting.hold_ballot_box(process)
    locked = BudgetProcess.objects.select_for_update(no_key=True).get(pk=process.pk)
    if locked.status not in (ProcessStatus.PUBLISHED, ProcessStatus.CLOSED):
        raise BudgetRefused(
            _("The votes of %(round)s have been counted: no paper ballot is entered any more.")
            % {"round": locked.title}
            if locked.status == ProcessStatus.COUNTED
            else _("The voting in %(round)s has not begun.") % {"round": locked.title},
            "paper_closed",
        )
    return locked


def _check_room(process: BudgetProcess, process_area: ProcessArea, paper: Any = None) -> None:
    """No more paper ballots in an area than codes were taken in for paper there."""
    taken_in = intakes(process).get(process_area.area_id, 0)
    papers = PaperBallot.objects.filter(process=process, process_area=process_area)
    if paper is not None:
        papers = papers.exclude(pk=paper.pk)
    if papers.count() >= taken_in:
        raise BudgetRefused(
            _(
                "%(area)s has %(taken)s voting codes taken in for paper, and as many paper "
                "ballots entered: check the number and the area on the ballot."
            )
            % {"area": process_area.area.name, "taken": taken_in},
            "too_many_papers",
        )


def _settle(
    process: BudgetProcess, paper: PaperBallot, reading: Reading, status: PaperStatus
) -> None:
    """The paper ballot's final reading: counted (a `Ballot`, channel paper) or invalid."""
    area = next(item for item in process.process_areas.all() if item.pk == reading.process_area_id)
    paper.process_area = area
    if reading.invalid:
        paper.status = PaperStatus.VOID
        paper.choices = None
    else:
        paper.status = status
        paper.choices = [list(choice) for choice in reading.choices]
        Ballot.objects.create(
            process=process,
            area=area.area,
            choices=paper.choices,
            receipt_hash=None,
            change_key=None,
            channel=Channel.PAPER,
        )


def _queue_count(process: BudgetProcess) -> None:
    """The last outstanding paper ballot of a closed round settled: the count may start."""
    if process.status == ProcessStatus.CLOSED and ready_to_count(process):
        enqueue_count(process)


def paper_enter(
    *,
    actor: Any,
    process: BudgetProcess,
    number: Any,
    process_area: ProcessArea,
    choices: Mapping[Any, Any],
    invalid: str = "",
) -> PaperBallot:
    """One official's entry of paper ballot `number`: the first makes it pending, the second
    (another official) settles it when both agree and disputes it when they differ."""
    number = _number(number)
    reading = read(process, process_area, choices, invalid)
    with transaction.atomic():
        process = _lock(process)
        paper = (
            PaperBallot.objects.select_for_update().filter(process=process, number=number).first()
        )
        if paper is None:
            _check_room(process, process_area)
            paper = PaperBallot.objects.create(
                process=process, process_area=process_area, number=number
            )
            nth = 1
        else:
            entries = list(paper.entries.all())
            if any(entry.entered_by_id == actor.pk for entry in entries):
                raise BudgetRefused(
                    _(
                        "You entered paper ballot %(number)s already: another official makes "
                        "its second entry."
                    )
                    % {"number": number},
                    "same_official",
                )
            if paper.status == PaperStatus.DISPUTED:
                raise BudgetRefused(
                    _(
                        "The two entries of paper ballot %(number)s differ: a third official "
                        "resolves it from the paper."
                    )
                    % {"number": number},
                    "paper_disputed",
                )
            if paper.status != PaperStatus.PENDING:
                raise BudgetRefused(
                    _("Paper ballot %(number)s has been entered twice already.")
                    % {"number": number},
                    "paper_entered",
                )
            if process_area.pk != paper.process_area_id:
                _check_room(process, process_area, paper)
            first = Reading.from_json(entries[0].choices)
            if reading.agrees_with(first):
                _settle(process, paper, reading, PaperStatus.AGREED)
            else:
                paper.status = PaperStatus.DISPUTED
            paper.save(update_fields=["status", "choices", "process_area"])
            nth = 2
        PaperEntry.objects.create(paper=paper, entered_by=actor, choices=reading.to_json())
        audit.record(
            actor=actor,
            action=BudgetAction.PAPER_ENTER,
            instance=process,
            after={
                "paper_ballot": number,
                "entry": nth,
                "paper_status": paper.get_status_display(),
            },
        )
        if nth == 2 and paper.status != PaperStatus.DISPUTED:
            _queue_count(process)
    return paper


def paper_resolve(
    *,
    actor: Any,
    process: BudgetProcess,
    number: Any,
    process_area: ProcessArea,
    choices: Mapping[Any, Any],
    invalid: str = "",
) -> PaperBallot:
    """A third official's reading of a disputed paper ballot, from the paper: it counts (or
    makes the ballot invalid). Neither of the two who entered it may resolve it."""
    number = _number(number)
    reading = read(process, process_area, choices, invalid)
    with transaction.atomic():
        process = _lock(process)
        paper = (
            PaperBallot.objects.select_for_update().filter(process=process, number=number).first()
        )
        if paper is None or paper.status != PaperStatus.DISPUTED:
            raise BudgetRefused(
                _("Paper ballot %(number)s is not waiting for a third official.")
                % {"number": number},
                "paper_number",
            )
        if paper.entries.filter(entered_by_id=actor.pk).exists():
            raise BudgetRefused(
                _(
                    "You entered paper ballot %(number)s yourself: an official who did not "
                    "enter it resolves it."
                )
                % {"number": number},
                "third_entry",
            )
        if process_area.pk != paper.process_area_id:
            _check_room(process, process_area, paper)
        _settle(process, paper, reading, PaperStatus.RESOLVED)
        paper.resolved_by = actor
        paper.resolved_at = timezone.now()
        paper.save(
            update_fields=["status", "choices", "process_area", "resolved_by", "resolved_at"]
        )
        PaperEntry.objects.create(paper=paper, entered_by=actor, choices=reading.to_json())
        audit.record(
            actor=actor,
            action=BudgetAction.PAPER_RESOLVE,
            instance=process,
            after={"paper_ballot": number, "paper_status": paper.get_status_display()},
        )
        _queue_count(process)
    return paper
