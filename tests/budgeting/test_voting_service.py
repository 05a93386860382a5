"""The ballot service: a ballot per voter, changes where the round allows them, the close."""

from __future__ import annotations

import pytest
from django.utils import translation

from wijkwerk.budgeting.eligibility import account_voter
from wijkwerk.budgeting.models import Ballot, BallotType, Participation
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.services import voting

from .factories import PlanFactory, make_round

pytestmark = pytest.mark.django_db


def test_a_changed_ballot_replaces_the_first_and_the_close_forgets_who(cast) -> None:
    process = make_round(cast, ballot_type=BallotType.KNAPSACK)
    plans = [PlanFactory(process=process, estimated_cost_cents=2_000_000) for _ in range(3)]
    voter = account_voter(process, cast.applicant)
    first = voting.ballot_cast(
        actor=cast.applicant, process=process, voter=voter, choices={plans[0].pk: 1}
    )
    second = voting.ballot_cast(
        actor=cast.applicant,
        process=process,
        voter=voter,
        choices={plans[1].pk: 1, plans[2].pk: 1},
    )
    assert second.changed and not first.changed
    assert Ballot.objects.get().plan_ids() == sorted([plans[1].pk, plans[2].pk])
    assert voting.receipt_status(first.receipt_code) is None
    assert voting.receipt_status(second.receipt_code) == (process, False)
    with pytest.raises(BudgetRefused) as refused, translation.override("en"):
        voting.ballot_cast(
            actor=cast.applicant,
            process=process,
            voter=voter,
            choices={plan.pk: 1 for plan in plans},
        )
    assert refused.value.code == "over_budget"
    assert "€ 10.000,00 more than the budget of € 50.000,00" in refused.value.messages[0]


def test_without_changes_a_second_ballot_is_refused(cast) -> None:
    process = make_round(cast, may_change_ballot=False)
    plan = PlanFactory(process=process)
    voter = account_voter(process, cast.applicant)
    voting.ballot_cast(actor=cast.applicant, process=process, voter=voter, choices={plan.pk: 1})
    with pytest.raises(BudgetRefused) as refused:
        voting.ballot_cast(actor=cast.applicant, process=process, voter=voter, choices={plan.pk: 1})
    assert refused.value.code == "already_voted"
    assert Ballot.objects.count() == Participation.objects.count() == 1
    assert Ballot.objects.get().change_key is None


def test_an_outsider_is_not_eligible(cast) -> None:
    process = make_round(cast)
    with pytest.raises(BudgetRefused) as refused:
        account_voter(process, cast.outsider)
    assert refused.value.code == "not_eligible"


def test_closing_early_ends_the_voting_phase_at_the_close(cast) -> None:
    process = make_round(cast)
    voting.voting_close(actor=cast.admin, process=process)
    process.refresh_from_db()
    phases = {phase.kind: phase for phase in process.phases.all()}
    assert phases["voting"].ends_at == process.closed_at == phases["result"].starts_at
    assert process.schedule.current().kind == "result"
