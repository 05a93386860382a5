"""Property test: whatever sequence of steps people try, the initiative only moves along rows of
the workflow table, every move is on the timeline, and its money in the ledger stays consistent."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from wijkwerk.funds.selectors import initiative_figures
from wijkwerk.initiatives import services, workflow
from wijkwerk.initiatives.models import Initiative, Status, StatusChange

pytestmark = pytest.mark.django_db

ACTORS = ("applicant", "broker", "other_broker", "neighbour", "admin")
ACTIONS = (*(t.action for t in workflow.TRANSITIONS), "pay", "payee", "repay")
# Nothing stays committed once these are reached; a completed initiative keeps the amount finally
# set committed until a second official pays it.
FINISHED = {Status.REJECTED, Status.WITHDRAWN, Status.CLOSED}
MONEY_EVENTS = {"pay", "repayment"}
EDGES = {(source, t.target, t.action) for t in workflow.TRANSITIONS for source in t.sources}


def attempt(cast, initiative: Initiative, actor_name: str, action: str, amount: int) -> None:
    actor = getattr(cast, actor_name)
    if action == "submit":
        services.initiative_submit(actor=actor, initiative=initiative)
    elif action == "submit_accountability":
        lines = list(initiative.budget_lines.all())
        services.accountability_submit(
            actor=actor,
            initiative=initiative,
            report="Gedaan.",
            took_place=True,
            participants=5,
            actual_costs={line.pk: amount // len(lines) for line in lines},
        )
    elif action == "pay":
        services.initiatives_mark_paid(actor=actor, initiatives=[initiative])
    elif action == "payee":
        services.initiative_set_payee(
            actor=actor, initiative=initiative, iban="NL91ABNA0417164300", name="A. Aanvrager"
        )
    elif action == "repay":
        services.initiative_repayment_received(
            actor=actor, initiative=initiative, amount_cents=amount
        )
    else:
        services.initiative_transition(
            actor=actor,
            initiative=initiative,
            action=action,
            reason="Omdat het moet.",
            amount_cents=amount,
            fund=cast.fund,
        )


RIGHTFUL = {
    "submit": "applicant",
    "submit_accountability": "applicant",
    "start": "applicant",
    "withdraw": "applicant",
    "payee": "applicant",
    "pay": "admin",
}
# Mostly the steps the right person takes, in a plausible order, so that sequences get far into
# the workflow; sometimes anyone tries anything.
plausible = st.sampled_from([a for a in ACTIONS if a != "withdraw"] * 4 + ["withdraw"]).flatmap(
    lambda action: st.tuples(
        st.sampled_from([RIGHTFUL.get(action, "broker")] * 4 + list(ACTORS)),
        st.just(action),
        st.sampled_from([125_000, 150_000, 60_000, 15_000, 0, -5, 200_000, 10**12]),
    )
)


HAPPY_PATH = [
    ("applicant", "submit", 0),
    ("broker", "approve", 125_000),
    ("applicant", "payee", 0),
    ("admin", "pay", 0),
    ("applicant", "start", 0),
    ("applicant", "submit_accountability", 110_000),
    ("broker", "accept_accountability", 0),
    ("broker", "close", 0),
]
# A random stretch of the happy path first, so that every state is reached, then anything.
sequences = st.tuples(
    st.integers(min_value=0, max_value=len(HAPPY_PATH)), st.lists(plausible, max_size=12)
).map(lambda drawn: HAPPY_PATH[: drawn[0]] + drawn[1])


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=sequences)
def test_any_sequence_of_steps_keeps_the_workflow_and_money_consistent(cast, steps):
    with transaction.atomic():
        initiative = cast.draft(lines=(80_000, 70_000))
        moves = 0
        for actor_name, action, amount in steps:
            before = Initiative.objects.get(pk=initiative.pk).status
            try:
                with transaction.atomic():
                    attempt(cast, initiative, actor_name, action, amount)
            except (ValidationError, PermissionDenied):
                assert Initiative.objects.get(pk=initiative.pk).status == before
                continue
            initiative = Initiative.objects.get(pk=initiative.pk)
            changes = list(StatusChange.objects.filter(initiative=initiative).order_by("id"))
            for change in changes[moves:]:
                if change.action in MONEY_EVENTS:  # on the timeline, but not a move
                    assert change.from_status == change.to_status
                    continue
                assert (change.from_status, change.to_status, change.action) in EDGES
            moves = len(changes)
            figures = initiative_figures(initiative)
            assert figures.open_commitments >= 0
            assert figures.paid == initiative.paid_cents
            assert figures.committed - figures.released <= max(initiative.granted_cents or 0, 0)
            if initiative.status in FINISHED:
                assert figures.open_commitments == 0
            if initiative.status == Status.COMPLETED:
                assert figures.open_commitments == max(
                    0, (initiative.final_cents or 0) - figures.paid
                )
            if initiative.status == Status.WITHDRAWN:
                # what was paid is owed back, and nothing else
                assert services.repayment_due(initiative) == figures.paid - figures.refunded
            if initiative.status in {Status.DRAFT, Status.SUBMITTED, Status.UNDER_REVIEW}:
                assert figures.committed == figures.released
        event(f"ended {Initiative.objects.get(pk=initiative.pk).status}")
        transaction.set_rollback(True)
