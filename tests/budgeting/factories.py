"""Budget rounds for tests, made through the services as the back office makes them.

`make_round(cast, phase="voting")` gives a published round for Dorst (the cast's village, where
the applicant and the neighbour live in Dorst-Zuid) whose `phase` is running now, with the
phases before it in the past and those after it ahead.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from wijkwerk.budgeting.models import KINDS, PHASE_ORDER, BudgetProcess, Plan
from wijkwerk.budgeting.services.rounds import AreaBudget, PhaseDates, process_publish, process_save
from wijkwerk.budgeting.states import FeasibilityVerdict
from wijkwerk.core.actors import DEMO


def phases_around(running: str | None, *, days: int = 7) -> list[PhaseDates]:
    """Every phase, `days` long, in order, with `running` running now (None: all ahead)."""
    now = timezone.now()
    index = PHASE_ORDER.index(running) if running else len(PHASE_ORDER) * -1 - 1
    start = now - datetime.timedelta(days=days * index) - datetime.timedelta(hours=1)
    phases = []
    for kind in KINDS:
        phases.append(PhaseDates(kind.key, start, start + datetime.timedelta(days=days)))
        start += datetime.timedelta(days=days)
    return phases


def make_round(
    cast: Any,
    *,
    phase: str | None = "voting",
    areas: list[tuple[Any, int]] | None = None,
    publish: bool = True,
    **fields: Any,
) -> BudgetProcess:
    areas = areas or [(cast.district, 5_000_000)]
    values = {
        "municipality": cast.municipality,
        "title": "Buurtbudget Dorst",
        "description": "Wat wil jij in Dorst?",
        "fund": cast.fund,
        "budget_cents": sum(budget for _area, budget in areas),
        # a round with codes or DigiD takes no account votes (services.rounds.check_setup)
        "vote_with_account": not (fields.get("vote_with_code") or fields.get("vote_with_digid")),
        **fields,
    }
    process = process_save(
        actor=DEMO,
        process=BudgetProcess(**values),
        areas=[AreaBudget(area, budget) for area, budget in areas],
        phases=phases_around(phase),
    )
    if publish:
        process = process_publish(actor=DEMO, process=process)
    return process


class PlanFactory(factory.django.DjangoModelFactory):
    """A plan in a round; by default feasible at its estimated cost (on the ballot)."""

    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Plan {n}")
    summary = "Een plan voor de buurt."
    estimated_cost_cents = 1_000_000
    feasibility = FeasibilityVerdict.FEASIBLE
    project_id = factory.Sequence(lambda n: str(n + 1))

    @factory.lazy_attribute
    def area(self) -> Any:
        return self.process.process_areas.first().area


def counted_round(
    process: BudgetProcess, votes: list[tuple[Any, list[Plan]]], *, actor: Any = DEMO
) -> BudgetProcess:
    """A round in its voting phase taken to the end: each `(user, plans)` votes for its plans
    (as an approval ballot), the voting is closed and counted (`services.results.count_now`,
    unless the close's task already counted it)."""
    from wijkwerk.budgeting.eligibility import account_voter
    from wijkwerk.budgeting.services import results
    from wijkwerk.budgeting.services.voting import ballot_cast, voting_close

    for user, plans in votes:
        ballot_cast(
            actor=user,
            process=process,
            voter=account_voter(process, user),
            choices={plan.pk: 1 for plan in plans},
        )
    process = voting_close(actor=actor, process=process)
    process.refresh_from_db()
    if process.counted_at is None:
        results.count_now(process, actor=actor)
    process.refresh_from_db()
    return process


def register_entry(process: BudgetProcess, **fields: Any) -> Any:
    """A row of the round's register extract (made here, not by the upload): a resident of the
    round's first area, born in 1980, at 5107 AA 1, reference `R<n>`."""
    from wijkwerk.budgeting.models import RegisterEntry, RegisterExtract

    extract = RegisterExtract.objects.filter(process=process).first()
    if extract is None:
        extract = RegisterExtract.objects.create(process=process, file_name="brp.csv", row_count=0)
    number = RegisterEntry.objects.filter(process=process).count() + 1
    values = {
        "process_area": process.process_areas.first(),
        "reference": f"R{number:05d}",
        "postcode": "5107AA",
        "house_number": str(number),
        "birth_date": datetime.date(1980, 1, 1),
        **fields,
    }
    return RegisterEntry.objects.create(extract=extract, process=process, **values)
