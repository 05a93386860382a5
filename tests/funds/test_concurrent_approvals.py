"""Twenty brokers approve at the same moment against a fund that has room for seven."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import translation

from wijkwerk.accounts.models import User
from wijkwerk.core.models import AuditEvent
from wijkwerk.funds import services
from wijkwerk.funds.models import EntryKind, Fund, LedgerEntry
from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives.models import Initiative

from ..cast import Cast
from ..initiatives.factories import InitiativeFactory
from .factories import FundFactory

PARALLEL = 20
GRANT = 100_000  # € 1.000


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_approvals_of_a_thousand_against_seven_thousand(cast: Cast) -> None:
    # Beside the cast's large fund, a small one of its scheme with room for seven grants; the
    # cast's broker of Dorst approves twenty of the applicant's initiatives in Dorst at once.
    area = cast.district
    fund = FundFactory(scheme=cast.scheme, name="Buurtbudget Dorst", amount_cents=700_000)
    broker = cast.broker
    initiative_ids = [
        InitiativeFactory(area=area, applicant=cast.applicant).pk for _ in range(PARALLEL)
    ]
    barrier = threading.Barrier(PARALLEL)
    outcomes: list[str] = []
    lock = threading.Lock()

    def approve(initiative_id: int) -> None:
        # Each thread has its own database connection (Django's are per thread).
        try:
            actor = User.objects.get(pk=broker.pk)
            initiative = Initiative.objects.select_related("area").get(pk=initiative_id)
            own_fund = Fund.objects.get(pk=fund.pk)
            barrier.wait(timeout=30)
            with translation.override("nl"):
                try:
                    services.commit(
                        actor=actor,
                        fund=own_fund,
                        initiative=initiative,
                        amount_cents=GRANT,
                        reason="Goedgekeurd door de wijkmakelaar",
                    )
                    outcome = "ok"
                except services.LedgerRefused as refused:
                    outcome = refused.messages[0]
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(pk,)) for pk in initiative_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == PARALLEL
    assert outcomes.count("ok") == 7
    refusals = [o for o in outcomes if o != "ok"]
    assert len(refusals) == 13
    assert set(refusals) == {
        "Niet genoeg geld in fonds Buurtbudget Dorst: beschikbaar € 0,00, gevraagd € 1.000,00."
    }
    figures = fund_figures(fund)
    assert figures.committed == 7 * GRANT
    assert figures.available == 0
    entries = LedgerEntry.objects.filter(fund=fund)
    assert entries.count() == 7
    assert set(entries.values_list("kind", flat=True)) == {EntryKind.COMMITMENT}
    # The balance seen after each booking, in the order of booking, never went below zero.
    seen = [
        event.after["fund_available_cents"]
        for event in AuditEvent.objects.filter(action="ledger.commit").order_by("id")
        if event.after
    ]
    assert seen == [700_000 - GRANT * n for n in range(1, 8)]
