"""Property test: random sequences of ledger operations never break the balance equation.

A model in plain Python predicts each operation's outcome; the services must agree, the fund
must never go below zero, payments never exceed what is committed per initiative, and a refused
operation leaves no entry and no audit event behind.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from wijkwerk.core.models import AuditEvent
from wijkwerk.funds import services
from wijkwerk.funds.models import EntryKind, Fund, LedgerEntry, Scheme
from wijkwerk.funds.selectors import fund_figures, initiative_figures
from wijkwerk.initiatives.models import Initiative

from ..cast import Cast
from ..initiatives.factories import InitiativeFactory
from .factories import FundFactory

IBAN = "NL91ABNA0417164300"
AMOUNTS = st.one_of(
    st.integers(min_value=1, max_value=400_000),
    st.integers(min_value=1, max_value=5_000),
    st.integers(min_value=-1_000, max_value=0),
)
SIGNED = st.integers(min_value=-400_000, max_value=400_000)
FUND_CENTS = 700_000


class LedgerMachine(RuleBasedStateMachine):
    cast: Cast
    scheme: Scheme

    @initialize()
    def new_fund(self) -> None:
        self.scheme.max_per_initiative_cents = 10_000_000
        self.scheme.save()
        self.fund = FundFactory(scheme=self.scheme, amount_cents=FUND_CENTS)
        self.initiatives = [InitiativeFactory(area=self.cast.district) for _ in range(3)]
        self.model: dict[int, dict[str, int]] = {
            i.pk: {"committed": 0, "paid": 0, "released": 0, "refunded": 0}
            for i in self.initiatives
        }
        self.corrected = 0
        self.withdrawn: set[int] = set()

    def available(self) -> int:
        return (
            FUND_CENTS
            - sum(m["committed"] - m["released"] - m["refunded"] for m in self.model.values())
            + self.corrected
        )

    def attempt(self, allowed: bool, kind: str, call: Any) -> None:
        entries = LedgerEntry.objects.count()
        events = AuditEvent.objects.count()
        try:
            call()
        except services.LedgerRefused:
            assert not allowed, f"{kind} refused although the model allows it"
            assert LedgerEntry.objects.count() == entries
            assert AuditEvent.objects.count() == events
            return
        assert allowed, f"{kind} booked although the model refuses it"
        assert LedgerEntry.objects.count() == entries + 1
        assert AuditEvent.objects.count() == events + 1

    def book(self, name: str, index: int, amount: int, allowed: bool, field: str) -> None:
        initiative = self.initiatives[index]
        operation = getattr(services, name)
        payee = {"payee_iban": IBAN, "payee_name": "Buurtvereniging"} if name == "pay" else {}
        self.attempt(
            allowed,
            name,
            lambda: operation(
                actor=self.cast.broker,
                fund=self.fund,
                initiative=initiative,
                amount_cents=amount,
                reason=f"{name} {amount}",
                **payee,
            ),
        )
        if allowed:
            self.model[initiative.pk][field] += amount

    def open(self, index: int) -> int:
        m = self.model[self.initiatives[index].pk]
        return m["committed"] - m["paid"] - m["released"]

    def running(self, index: int) -> bool:
        return self.initiatives[index].pk not in self.withdrawn

    @rule(index=st.integers(0, 2), amount=AMOUNTS)
    def commit(self, index: int, amount: int) -> None:
        allowed = self.running(index) and 0 < amount <= self.available()
        self.book("commit", index, amount, allowed, "committed")

    @rule(index=st.integers(0, 2), amount=AMOUNTS)
    def pay(self, index: int, amount: int) -> None:
        allowed = self.running(index) and 0 < amount <= self.open(index)
        self.book("pay", index, amount, allowed, "paid")

    @rule(index=st.integers(0, 2))
    def withdraw(self, index: int) -> None:
        """The applicant withdraws, also after an advance was paid: what is open goes back to
        the fund at once, what was paid stays owed (refundable) until it is paid back."""
        initiative = self.initiatives[index]
        open_cents = self.open(index)
        entries = services.release_open_commitments(
            actor=self.cast.broker, initiative=initiative, reason="Ingetrokken"
        )
        assert sum(entry.amount_cents for entry in entries) == open_cents
        self.model[initiative.pk]["released"] += open_cents
        initiative.status = "withdrawn"
        initiative.save(update_fields=["status"])
        self.withdrawn.add(initiative.pk)
        figures = initiative_figures(initiative, self.fund)
        assert figures.open_commitments == 0
        assert (
            figures.refundable
            == self.model[initiative.pk]["paid"] - (self.model[initiative.pk]["refunded"])
        )

    @rule(index=st.integers(0, 2), amount=AMOUNTS)
    def release(self, index: int, amount: int) -> None:
        self.book("release", index, amount, 0 < amount <= self.open(index), "released")

    @rule(index=st.integers(0, 2), amount=AMOUNTS)
    def refund(self, index: int, amount: int) -> None:
        m = self.model[self.initiatives[index].pk]
        self.book("refund", index, amount, 0 < amount <= m["paid"] - m["refunded"], "refunded")

    @rule(amount=SIGNED)
    def correct(self, amount: int) -> None:
        allowed = amount != 0 and (amount > 0 or -amount <= self.available())
        self.attempt(
            allowed,
            "correct",
            lambda: services.correct(
                actor=self.cast.admin, fund=self.fund, amount_cents=amount, reason="Correctie"
            ),
        )
        if allowed:
            self.corrected += amount

    @invariant()
    def balance_equation_holds(self) -> None:
        figures = fund_figures(self.fund)
        sums = {
            row["kind"]: row["total"]
            for row in LedgerEntry.objects.filter(fund=self.fund)
            .values("kind")
            .annotate(total=Sum("amount_cents"))
        }
        independent = (
            FUND_CENTS
            - sums.get(EntryKind.COMMITMENT, 0)
            + sums.get(EntryKind.RELEASE, 0)
            + sums.get(EntryKind.REFUND, 0)
            + sums.get(EntryKind.CORRECTION, 0)
        )
        assert figures.available == independent == self.available()
        assert figures.available >= 0
        assert (
            figures.available
            == figures.amount
            - figures.open_commitments
            - figures.paid
            + figures.refunded
            + figures.corrected
        )

    @invariant()
    def per_initiative_limits_hold(self) -> None:
        for initiative in self.initiatives:
            figures = initiative_figures(initiative, self.fund)
            assert figures.paid + figures.released <= figures.committed
            assert figures.refunded <= figures.paid
            m = self.model[initiative.pk]
            assert (figures.committed, figures.paid, figures.released, figures.refunded) == (
                m["committed"],
                m["paid"],
                m["released"],
                m["refunded"],
            )


@pytest.mark.django_db
def test_random_ledger_sequences_keep_the_books_straight(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    LedgerMachine.cast = cast
    LedgerMachine.scheme = fund.scheme
    LedgerMachine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    LedgerMachine.TestCase().runTest()
