"""Whatever commitments and payments are asked for a running challenge, in any order and amount
(negative, zero, too large), the money stays consistent: committed never above the agreement's
budget, paid never above committed, the fund's available money goes down by exactly what was
committed, and a refused booking leaves no trace."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkwerk.challenges import services
from wijkwerk.challenges.models import Booking
from wijkwerk.funds.selectors import fund_figures

from .factories import running

pytestmark = pytest.mark.django_db

BUDGET = 1_000_000
amounts = st.one_of(
    st.integers(min_value=-100, max_value=BUDGET + 100), st.sampled_from([0, 1, BUDGET])
)
steps = st.lists(st.tuples(st.sampled_from(["commit", "pay"]), amounts), max_size=10)


@settings(
    max_examples=20,  # each example starts a proposal: within the rate limit (30/h)
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_committed_and_paid_stay_within_budget_and_fund(cast, steps) -> None:
    with transaction.atomic():
        challenge = running(cast, budget_cents=BUDGET)
        start = fund_figures(cast.fund)
        available = start.available
        committed_before, paid_before = start.committed, start.paid
        corrected_before = start.corrected
        for kind, amount in steps:
            before = Booking.objects.count()
            try:
                with transaction.atomic():
                    if kind == "commit":
                        services.money_commit(
                            actor=cast.admin,
                            challenge=challenge,
                            fund=cast.fund,
                            amount_cents=amount,
                        )
                    else:
                        services.money_pay(
                            actor=cast.admin,
                            challenge=challenge,
                            amount_cents=amount,
                            note="Termijn",
                            payee_iban="NL44RABO0123456789",
                            payee_name="Dorpsvereniging",
                        )
            except ValidationError:
                assert Booking.objects.count() == before
            figures = services.money_figures(challenge)
            assert 0 <= figures["paid"] <= figures["committed"] <= BUDGET
            assert fund_figures(cast.fund).available == available - figures["committed"]
            # the challenge's money is in the fund's figures once: as commitments and payments
            # of its own, never as corrections; the bookings say the same as the ledger
            fund = fund_figures(cast.fund)
            assert (fund.committed, fund.paid, fund.corrected) == (
                committed_before + figures["committed"],
                paid_before + figures["paid"],
                corrected_before,
            )
            assert (
                sum(
                    b.amount_cents
                    for b in Booking.objects.filter(challenge=challenge, kind="payment")
                )
                == figures["paid"]
            )
        transaction.set_rollback(True)
