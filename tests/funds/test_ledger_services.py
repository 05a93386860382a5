"""The ledger services: what they book, what they refuse and with which message, the audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import translation

from wijkwerk.core.models import AuditEvent
from wijkwerk.funds import services
from wijkwerk.funds.models import EntryKind, Fund, LedgerEntry, LedgerIsAppendOnly
from wijkwerk.funds.selectors import fund_figures, initiative_figures
from wijkwerk.initiatives.models import Initiative

from ..accounts.factories import UserFactory
from ..cast import Cast
from ..initiatives.factories import InitiativeFactory
from .factories import FundFactory

pytestmark = pytest.mark.django_db


def commit(
    cast: Cast, fund: Fund, initiative: Initiative, cents: int, actor: object = None
) -> None:
    services.commit(
        actor=actor or cast.broker,
        fund=fund,
        initiative=initiative,
        amount_cents=cents,
        reason="Goedgekeurd",
    )


def test_the_full_cycle_gives_the_right_figures(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    commit(cast, fund, initiative, 125_000)
    services.pay(
        actor=cast.broker,
        fund=fund,
        initiative=initiative,
        amount_cents=125_000,
        reason="Voorschot",
        payee_iban="NL91ABNA0417164300",
        payee_name="Buurtvereniging",
    )
    services.refund(
        actor=cast.broker,
        fund=fund,
        initiative=initiative,
        amount_cents=15_000,
        reason="Niet besteed",
    )
    figures = fund_figures(fund)
    assert (figures.committed, figures.paid, figures.refunded) == (125_000, 125_000, 15_000)
    assert figures.open_commitments == 0
    assert figures.available == 700_000 - 125_000 + 15_000
    assert figures.initiatives == 1


def test_release_returns_the_unspent_commitment(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    commit(cast, fund, initiative, 125_000)
    services.pay(
        actor=cast.broker,
        fund=fund,
        initiative=initiative,
        amount_cents=110_000,
        reason="Betaald op bonnen",
        payee_iban="NL91ABNA0417164300",
        payee_name="Buurtvereniging",
    )
    [entry] = services.release_open_commitments(
        actor=cast.broker, initiative=initiative, reason="Verantwoording geaccepteerd"
    )
    assert entry.kind == EntryKind.RELEASE
    assert entry.amount_cents == 15_000
    assert fund_figures(fund).available == 700_000 - 110_000
    assert initiative_figures(initiative).open_commitments == 0
    assert (
        services.release_open_commitments(
            actor=cast.broker, initiative=initiative, reason="Nog eens"
        )
        == []
    )


def test_overspending_is_refused_with_a_dutch_message(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    other = InitiativeFactory(area=cast.district)
    commit(cast, fund, other, 500_000)
    with translation.override("nl"), pytest.raises(services.LedgerRefused) as refused:
        commit(cast, fund, initiative, 250_000)
    assert refused.value.code == "not_enough_money"
    assert refused.value.messages == [
        "Niet genoeg geld in fonds Bewonersinitiatieven: beschikbaar € 2.000,00, "
        "gevraagd € 2.500,00."
    ]
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (0, "not_positive"),
        (-100, "not_positive"),
        (12.5, "not_cents"),
        ("100", "not_cents"),
        (True, "not_cents"),
        (10**13, "too_large"),
    ],
)
def test_bad_amounts_are_refused(
    cast: Cast, fund: Fund, initiative: Initiative, amount: object, code: str
) -> None:
    with pytest.raises(services.LedgerRefused) as refused:
        commit(cast, fund, initiative, amount)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert not LedgerEntry.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="ledger.").exists()


def test_a_reason_is_required(cast: Cast, fund: Fund, initiative: Initiative) -> None:
    with pytest.raises(services.LedgerRefused) as refused:
        services.commit(
            actor=cast.broker,
            fund=fund,
            initiative=initiative,
            amount_cents=100,
            reason="   ",
        )
    assert refused.value.code == "no_reason"


def test_paying_more_than_committed_is_refused(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    commit(cast, fund, initiative, 100_000)
    services.pay(
        actor=cast.broker,
        fund=fund,
        initiative=initiative,
        amount_cents=60_000,
        reason="Eerste deel",
        payee_iban="NL91ABNA0417164300",
        payee_name="Buurtvereniging",
    )
    with pytest.raises(services.LedgerRefused) as refused:
        services.pay(
            actor=cast.broker,
            fund=fund,
            initiative=initiative,
            amount_cents=40_001,
            reason="Tweede deel",
            payee_iban="NL91ABNA0417164300",
            payee_name="Buurtvereniging",
        )
    assert refused.value.code == "more_than_committed"
    assert "€ 400,00" in refused.value.messages[0]


def test_paying_an_initiative_without_commitment_is_refused(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    with pytest.raises(services.LedgerRefused) as refused:
        services.pay(
            actor=cast.broker,
            fund=fund,
            initiative=initiative,
            amount_cents=100,
            reason="Zomaar",
            payee_iban="NL91ABNA0417164300",
            payee_name="Buurtvereniging",
        )
    assert refused.value.code == "more_than_committed"


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "draft", "returned"])
def test_no_money_for_rejected_or_withdrawn_initiatives(
    cast: Cast, fund: Fund, initiative: Initiative, status: str
) -> None:
    commit(cast, fund, initiative, 10_000)
    initiative.status = status
    initiative.save()
    with pytest.raises(services.LedgerRefused) as refused:
        services.pay(
            actor=cast.broker,
            fund=fund,
            initiative=initiative,
            amount_cents=10_000,
            reason="Betaling",
            payee_iban="NL91ABNA0417164300",
            payee_name="Buurtvereniging",
        )
    assert refused.value.code == "initiative_status"
    with pytest.raises(services.LedgerRefused):
        commit(cast, fund, initiative, 10_000)
    # What was committed can still be given back.
    services.release(
        actor=cast.broker,
        fund=fund,
        initiative=initiative,
        amount_cents=10_000,
        reason="Ingetrokken",
    )
    assert fund_figures(fund).available == 700_000


def test_release_and_refund_cannot_exceed_what_is_open_or_paid(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    commit(cast, fund, initiative, 10_000)
    with pytest.raises(services.LedgerRefused) as refused:
        services.release(
            actor=cast.broker,
            fund=fund,
            initiative=initiative,
            amount_cents=10_001,
            reason="Te veel",
        )
    assert refused.value.code == "more_than_open"
    with pytest.raises(services.LedgerRefused) as refused:
        services.refund(
            actor=cast.broker,
            fund=fund,
            initiative=initiative,
            amount_cents=1,
            reason="Niets betaald",
        )
    assert refused.value.code == "more_than_paid"


def test_the_scheme_maximum_holds_over_several_commitments(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    commit(cast, fund, initiative, 300_000)
    with pytest.raises(services.LedgerRefused) as refused:
        commit(cast, fund, initiative, 200_001)
    assert refused.value.code == "above_scheme_maximum"
    commit(cast, fund, initiative, 200_000)


def test_fund_must_cover_the_area_and_be_active(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    fund.areas.add(cast.other_district)
    with pytest.raises(services.LedgerRefused) as refused:
        commit(cast, fund, initiative, 100)
    assert refused.value.code == "area_not_covered"
    fund.areas.add(cast.district)
    fund.is_active = False
    fund.save()
    with pytest.raises(services.LedgerRefused) as refused:
        commit(cast, fund, initiative, 100)
    assert refused.value.code == "fund_inactive"


def test_a_fund_of_another_municipality_is_refused(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    foreign = FundFactory()
    with pytest.raises(services.LedgerRefused) as refused:
        services.commit(
            actor=cast.admin,
            fund=foreign,
            initiative=initiative,
            amount_cents=100,
            reason="Verkeerd fonds",
        )
    assert refused.value.code == "other_municipality"


def test_who_may_book(cast: Cast, fund: Fund, initiative: Initiative) -> None:
    for outsider in (
        UserFactory(),
        cast.other_broker,
        cast.alderman,
        initiative.applicant,
    ):
        with pytest.raises(PermissionDenied):
            commit(cast, fund, initiative, 100, actor=outsider)
    commit(cast, fund, initiative, 100, actor=cast.admin)
    neighbourhood_initiative = InitiativeFactory(area=cast.neighbourhood)  # Dorst-Zuid
    commit(cast, fund, neighbourhood_initiative, 100)  # the district's broker
    with pytest.raises(PermissionDenied):
        services.correct(actor=cast.broker, fund=fund, amount_cents=100, reason="Niet van mij")
    assert LedgerEntry.objects.count() == 2


def test_corrections_are_signed_and_cannot_overdraw(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    services.correct(
        actor=cast.admin, fund=fund, amount_cents=-200_000, reason="Begrotingswijziging"
    )
    assert fund_figures(fund).available == 500_000
    with pytest.raises(services.LedgerRefused) as refused:
        services.correct(actor=cast.admin, fund=fund, amount_cents=-500_001, reason="Te veel")
    assert refused.value.code == "not_enough_money"
    with pytest.raises(services.LedgerRefused) as refused:
        services.correct(actor=cast.admin, fund=fund, amount_cents=0, reason="Niets")
    assert refused.value.code == "zero"
    services.correct(actor=cast.admin, fund=fund, amount_cents=50, reason="Afronding")
    assert fund_figures(fund).available == 500_050


def test_every_entry_is_audited_with_before_and_after(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    commit(cast, fund, initiative, 125_000)
    event = AuditEvent.objects.get(action="ledger.commit")
    assert event.actor == cast.broker
    assert event.before == {"fund_available_cents": 700_000, "initiative_open_cents": 0}
    assert event.after is not None
    assert event.after["fund_available_cents"] == 575_000
    assert event.after["initiative_open_cents"] == 125_000
    assert event.after["amount_cents"] == 125_000


def test_entries_are_never_changed_or_deleted(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    commit(cast, fund, initiative, 100)
    entry = LedgerEntry.objects.get()
    entry.amount_cents = 1
    with pytest.raises(LedgerIsAppendOnly):
        entry.save()
    with pytest.raises(LedgerIsAppendOnly):
        entry.delete()
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=1)
    with pytest.raises(LedgerIsAppendOnly):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get().amount_cents == 100


@pytest.mark.postgres
def test_postgres_refuses_raw_updates_and_deletes(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    commit(cast, fund, initiative, 100)
    for sql in ("UPDATE funds_ledgerentry SET amount_cents = 1", "DELETE FROM funds_ledgerentry"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert LedgerEntry.objects.get().amount_cents == 100


def test_lowering_a_fund_below_its_commitments_is_refused(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    commit(cast, fund, initiative, 500_000)
    fund.amount_cents = 400_000
    with pytest.raises(services.LedgerRefused) as refused:
        services.save_fund(actor=cast.admin, fund=fund)
    assert refused.value.code == "not_enough_money"
    fund.amount_cents = 500_000
    services.save_fund(actor=cast.admin, fund=fund)
    assert fund_figures(fund).available == 0
    assert AuditEvent.objects.filter(action="fund.update").count() == 1
