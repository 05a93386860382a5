"""Setting up a round: its rules, areas with their budgets, and phases; publishing it.

A round's set-up is validated as a whole (`check_setup`): every problem is one message with its
code, so a form shows them all at once and a service never saves half a round.
"""

from __future__ import annotations

import datetime
import itertools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wijkwerk.core import audit
from wijkwerk.core.money import format_money
from wijkwerk.follows.services import mark_announced

from ..audit_actions import BudgetAction
from ..models import KINDS, PHASE_ORDER, BallotType, BudgetProcess, ProcessArea, ProcessPhase
from ..notifications import notify_round_published, phase_key
from ..refusals import BudgetRefused
from ..states import EDITABLE_PROCESS, ProcessStatus

# The register extract is personal data: kept at most this long after the close.
MAX_RETENTION_DAYS = 365


@dataclass(frozen=True)
class AreaBudget:
    area: Any
    budget_cents: int


@dataclass(frozen=True)
class PhaseDates:
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def _when(moment: datetime.datetime) -> str:
    """A moment as people read it, in the site's time zone (stored ones are in UTC)."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "DATETIME_FORMAT")


def check_setup(
    process: BudgetProcess, areas: Sequence[AreaBudget], phases: Sequence[PhaseDates]
) -> None:
    """Raise BudgetRefused with every problem of the set-up (rules, areas, phases)."""
    problems: list[ValidationError] = []

    def refuse(message: str, code: str) -> None:
        problems.append(ValidationError(message, code=code))

    if not areas:
        refuse(_("Choose at least one area."), "no_areas")
    seen: set[int] = set()
    for item in areas:
        if item.area.municipality_id != process.municipality_id:
            refuse(
                _("%(area)s is not in %(municipality)s.")
                % {"area": item.area.name, "municipality": process.municipality.name},
                "foreign_area",
            )
        if item.area.pk in seen:
            refuse(_("%(area)s is chosen twice.") % {"area": item.area.name}, "no_areas")
        seen.add(item.area.pk)
        if item.budget_cents <= 0:
            refuse(
                _("Give %(area)s a budget above zero.") % {"area": item.area.name},
                "budget_mismatch",
            )
    total = sum(item.budget_cents for item in areas)
    if areas and total != process.budget_cents:
        refuse(
            _(
                "The areas' budgets add up to %(total)s, but the round's budget is %(budget)s "
                "(%(difference)s apart)."
            )
            % {
                "total": format_money(total),
                "budget": format_money(process.budget_cents),
                "difference": format_money(abs(total - process.budget_cents)),
            },
            "budget_mismatch",
        )
    fund = process.fund if process.fund_id is not None else None
    if fund is not None and fund.municipality_id != process.municipality_id:
        refuse(_("The fund belongs to another municipality."), "foreign_area")

    kinds = [phase.kind for phase in phases]
    for kind in kinds:
        if kind not in KINDS:
            refuse(_("Unknown kind of phase: %(kind)s.") % {"kind": kind}, "phase_order")
    if len(set(kinds)) != len(kinds):
        refuse(_("Every phase occurs once."), "phase_order")
    for phase in phases:
        if phase.ends_at <= phase.starts_at:
            refuse(
                _("The phase %(phase)s ends (%(end)s) before it starts (%(start)s).")
                % {
                    "phase": KINDS[phase.kind].label if phase.kind in KINDS else phase.kind,
                    "end": _when(phase.ends_at),
                    "start": _when(phase.starts_at),
                },
                "phase_order",
            )
    known = sorted(
        (phase for phase in phases if phase.kind in KINDS), key=lambda p: PHASE_ORDER.index(p.kind)
    )
    for first, second in itertools.pairwise(known):
        if second.starts_at < first.ends_at:
            refuse(
                _("The phase %(second)s starts (%(start)s) before %(first)s ends (%(end)s).")
                % {
                    "second": KINDS[second.kind].label,
                    "start": _when(second.starts_at),
                    "first": KINDS[first.kind].label,
                    "end": _when(first.ends_at),
                },
                "phase_order",
            )
    if "voting" not in kinds:
        refuse(_("A round needs a voting phase."), "phase_order")

    if process.likes_threshold is not None and process.likes_threshold < 0:
        refuse(_("The number of likes needed cannot be below 0."), "not_publishable")
    if process.maximum_age is not None and process.maximum_age < process.minimum_age:
        refuse(_("The maximum age is below the minimum age."), "not_publishable")
    if not (process.residents_vote or process.entrepreneurs_vote):
        refuse(_("Let residents or entrepreneurs vote (or both)."), "not_publishable")
    if process.max_choices is not None and process.max_choices < process.min_choices:
        refuse(
            _("At most %(max)s plans is fewer than at least %(min)s.")
            % {"max": process.max_choices, "min": process.min_choices},
            "not_publishable",
        )
    if process.ballot_type == BallotType.CUMULATIVE and not process.points:
        refuse(_("A points ballot needs the number of points per voter."), "not_publishable")
    if not (process.vote_with_account or process.vote_with_code or process.vote_with_digid):
        refuse(
            _("Choose at least one way to vote: with an account, a voting code or DigiD."),
            "not_publishable",
        )
    elif process.vote_with_account and (process.vote_with_code or process.vote_with_digid):
        # An account's home address is the resident's own word; the register's codes and DigiD
        # know the person. Both in one round, and one person could vote twice.
        refuse(
            _(
                "Voting with an account cannot go together with voting codes or DigiD: someone "
                "could vote twice, once with the account and once with the code or DigiD."
            ),
            "not_publishable",
        )
    if process.paper_share is not None:
        if not 1 <= process.paper_share <= 99:
            refuse(
                _("The weight of the paper ballots is a percentage from 1 to 99."),
                "not_publishable",
            )
        elif not process.vote_with_code:
            refuse(
                _(
                    "Paper ballots come with voting codes: give them a weight only in a round "
                    "where people vote with a voting code."
                ),
                "not_publishable",
            )
    if process.register_retention_days > MAX_RETENTION_DAYS:
        refuse(
            _("Keep the register extract for at most %(days)s days after the close.")
            % {"days": MAX_RETENTION_DAYS},
            "not_publishable",
        )
    if problems:
        raise BudgetRefused(problems, "not_publishable")


def _unique_slug(process: BudgetProcess) -> str:
    base = slugify(process.title)[:140] or "buurtbudget"
    slug, n = base, 1
    others = BudgetProcess.objects.filter(municipality_id=process.municipality_id).exclude(
        pk=process.pk
    )
    while others.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# What the audit trail keeps of a round's set-up (never its ballot key).
SETUP_FIELDS = (
    "title",
    "description",
    "fund",
    "budget_cents",
    "minimum_age",
    "maximum_age",
    "reference_date",
    "residents_vote",
    "entrepreneurs_vote",
    "likes_threshold",
    "ballot_type",
    "min_choices",
    "max_choices",
    "points",
    "may_change_ballot",
    "rule",
    "completion",
    "tie_break",
    "vote_with_account",
    "vote_with_code",
    "vote_with_digid",
    "help_routes",
    "register_retention_days",
    "paper_share",
)


def _describe(areas: Sequence[AreaBudget], phases: Sequence[PhaseDates]) -> dict[str, str]:
    return {
        "areas": ", ".join(f"{a.area.name} {format_money(a.budget_cents)}" for a in areas),
        "phases": "; ".join(
            f"{KINDS[p.kind].label} {_when(p.starts_at)} – {_when(p.ends_at)}" for p in phases
        ),
    }


def _voting_began(process: BudgetProcess) -> bool:
    voting = process.phases.filter(kind="voting").first()
    return voting is not None and voting.starts_at <= timezone.now()


def process_save(
    *,
    actor: Any,
    process: BudgetProcess,
    areas: Sequence[AreaBudget],
    phases: Sequence[PhaseDates],
) -> BudgetProcess:
    """Create or change a round with its areas and phases (only before the voting starts)."""
    creating = process.pk is None
    with transaction.atomic():
        if not creating:
            current = BudgetProcess.objects.select_for_update().get(pk=process.pk)
            if current.status not in EDITABLE_PROCESS or (
                current.status == ProcessStatus.PUBLISHED and _voting_began(current)
            ):
                raise BudgetRefused(
                    _("The voting in this round has begun: its set-up no longer changes."),
                    "not_editable",
                )
        check_setup(process, areas, phases)
        if (
            creating
            and getattr(actor, "is_authenticated", False)
            and not getattr(actor, "is_system", False)
        ):
            process.created_by = actor
        process.slug = process.slug or _unique_slug(process)
        if process.status == ProcessStatus.PUBLISHED and process.may_change_ballot:
            process.ballot_key = process.ballot_key or secrets.token_bytes(32)
        else:
            process.ballot_key = None
        process.save()
        process.process_areas.all().delete()
        ProcessArea.objects.bulk_create(
            ProcessArea(process=process, area=a.area, budget_cents=a.budget_cents) for a in areas
        )
        process.phases.all().delete()
        ProcessPhase.objects.bulk_create(
            ProcessPhase(process=process, kind=p.kind, starts_at=p.starts_at, ends_at=p.ends_at)
            for p in phases
        )
        audit.record(
            actor=actor,
            action=BudgetAction.PROCESS_CREATE if creating else BudgetAction.PROCESS_CHANGE,
            instance=process,
            after={**audit.snapshot(process, SETUP_FIELDS), **_describe(areas, phases)},
        )
    return process


def process_publish(*, actor: Any, process: BudgetProcess) -> BudgetProcess:
    """Make a draft round public; from now on its phases decide what residents can do."""
    with transaction.atomic():
        process = BudgetProcess.objects.select_for_update().get(pk=process.pk)
        if process.status != ProcessStatus.DRAFT:
            raise BudgetRefused(_("This round has already been published."), "not_publishable")
        areas = [AreaBudget(a.area, a.budget_cents) for a in process.process_areas.all()]
        phases = [PhaseDates(p.kind, p.starts_at, p.ends_at) for p in process.phases.all()]
        check_setup(process, areas, phases)
        process.status = ProcessStatus.PUBLISHED
        # the key of the keyed hash that finds a voter's ballot again (until the close)
        process.ballot_key = secrets.token_bytes(32) if process.may_change_ballot else None
        process.save(update_fields=["status", "ballot_key"])
        audit.record(
            actor=actor,
            action=BudgetAction.PROCESS_PUBLISH,
            instance=process,
            after={"status": process.status},
        )
        notify_round_published(process, actor=actor)
        # the phase open now is announced by the publication itself
        now = timezone.now()
        mark_announced(phase_key(phase) for phase in process.phases.all() if phase.starts_at <= now)
    return process
