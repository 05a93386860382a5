"""A challenge's money in the fund's ledger as a case of its own (funds.cases): commitments and
payments for the challenge, never corrections; in the fund's figures exactly once; on the fund's
ledger page with a link to the challenge; in payment batches; readable in the audit log."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.urls import reverse

from wijkwerk.challenges import services
from wijkwerk.challenges.models import Booking, BookingKind
from wijkwerk.core.models import AuditEvent
from wijkwerk.funds import cases
from wijkwerk.funds import services as ledger
from wijkwerk.funds.export import _remittance
from wijkwerk.funds.models import EntryKind, LedgerEntry, PaymentInstruction
from wijkwerk.funds.selectors import case_figures, fund_figures

from ..core.test_auditlog import assert_readable, read
from .factories import running
from .test_views import client_for

pytestmark = pytest.mark.django_db

PAYEE = {"payee_iban": "NL44RABO0123456789", "payee_name": "Dorpsvereniging Dorst"}


def refusal(call):  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


def test_a_challenge_is_a_registered_kind_of_case(cast) -> None:
    challenge = running(cast)
    kind = cases.of(challenge)
    assert kind is not None and (kind.key, kind.permission) == (
        "challenge",
        "challenges.book_money",
    )
    assert cases.get("challenge") is kind and kind.url(challenge.pk) == challenge.get_absolute_url()
    assert cases.of(cast.approved(10_000)) is None  # an initiative is the ledger's own kind


def test_overspending_the_fund_is_refused_and_leaves_no_trace(cast) -> None:
    challenge = running(cast, budget_cents=100_000_000)
    available = fund_figures(cast.fund).available
    entries, bookings = LedgerEntry.objects.count(), Booking.objects.count()
    error = refusal(
        lambda: services.money_commit(
            actor=cast.admin, challenge=challenge, fund=cast.fund, amount_cents=available + 1
        )
    )
    assert error.code == "not_enough_money"
    assert (LedgerEntry.objects.count(), Booking.objects.count()) == (entries, bookings)
    # the ledger itself refuses it too, whoever calls it
    error = refusal(
        lambda: ledger.commit(
            actor=cast.admin,
            fund=cast.fund,
            case=challenge,
            amount_cents=available + 1,
            reason="Te veel",
        )
    )
    assert error.code == "not_enough_money"
    # exactly what is available is allowed, then nothing more
    services.money_commit(
        actor=cast.admin, challenge=challenge, fund=cast.fund, amount_cents=available
    )
    assert fund_figures(cast.fund).available == 0
    error = refusal(
        lambda: services.money_commit(
            actor=cast.admin, challenge=challenge, fund=cast.fund, amount_cents=1
        )
    )
    assert error.code == "not_enough_money"


def test_only_the_challenges_policy_lets_book_and_only_while_bookable(cast) -> None:
    from django.core.exceptions import PermissionDenied

    challenge = running(cast)
    with pytest.raises(PermissionDenied):  # the broker books for initiatives, not challenges
        ledger.commit(
            actor=cast.broker, fund=cast.fund, case=challenge, amount_cents=100, reason="x"
        )
    challenge = services.challenge_step(actor=cast.broker, challenge=challenge, action="complete")
    error = refusal(
        lambda: ledger.commit(
            actor=cast.admin, fund=cast.fund, case=challenge, amount_cents=100, reason="x"
        )
    )
    assert error.code == "initiative_status"
    assert error.messages == [
        "Voor deze zaak kan geen geld worden toegekend: de status is afgerond."
    ]
    with pytest.raises(TypeError):  # one case, not both and not none
        ledger.commit(actor=cast.admin, fund=cast.fund, amount_cents=100, reason="x")


def test_the_money_is_in_the_fund_figures_exactly_once(cast) -> None:
    before = fund_figures(cast.fund)
    challenge = running(cast, budget_cents=1_000_000)
    services.money_commit(
        actor=cast.admin, challenge=challenge, fund=cast.fund, amount_cents=600_000
    )
    services.money_pay(
        actor=cast.admin, challenge=challenge, amount_cents=250_000, note="Eerste termijn", **PAYEE
    )
    after = fund_figures(cast.fund)
    assert (
        after.committed - before.committed,
        after.paid - before.paid,
        after.corrected - before.corrected,
        after.initiatives - before.initiatives,
    ) == (600_000, 250_000, 0, 0)
    assert before.available - after.available == 600_000
    mine = case_figures(challenge, cast.fund)
    assert (mine.committed, mine.paid, mine.open_commitments) == (600_000, 250_000, 350_000)
    assert services.money_figures(challenge) == {
        "committed": 600_000,
        "paid": 250_000,
        "open": 350_000,
    }
    # each booking beside its own ledger entry, the entry for the challenge only
    bookings = list(Booking.objects.filter(challenge=challenge).select_related("ledger_entry"))
    assert [(b.kind, b.ledger_entry.kind, b.ledger_entry.amount_cents) for b in bookings] == [
        (BookingKind.COMMITMENT, EntryKind.COMMITMENT, 600_000),
        (BookingKind.PAYMENT, EntryKind.PAYMENT, 250_000),
    ]
    assert {(b.ledger_entry.case_id, b.ledger_entry.initiative_id) for b in bookings} == {
        (challenge.pk, None)
    }


def test_an_entry_names_one_case_whole(cast) -> None:
    initiative = cast.approved(10_000)
    fund_id, author = cast.fund.pk, cast.admin
    base = {"fund_id": fund_id, "author": author, "reason": "x", "amount_cents": 100}
    for wrong in (
        # an initiative and another case at once
        {"initiative": initiative, "case_type": "challenge", "case_id": 1, "case_title": "T"},
        # half a case
        {"case_type": "challenge", "case_id": 1},
        {"case_id": 1, "case_title": "T"},
        # a commitment for nothing
        {},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerEntry.objects.create(kind="commitment", **base, **wrong)


def test_the_ledger_page_links_the_challenge_and_the_challenge_page_shows_its_money(cast) -> None:
    challenge = running(cast, budget_cents=1_000_000)
    services.money_commit(
        actor=cast.admin, challenge=challenge, fund=cast.fund, amount_cents=300_000
    )
    services.money_pay(
        actor=cast.admin, challenge=challenge, amount_cents=100_000, note="Eerste termijn", **PAYEE
    )
    client = client_for(cast.admin)
    page = client.get(reverse("funds:ledger", args=[cast.fund.pk])).content.decode()
    link = f'<a class="utrecht-link" href="{challenge.get_absolute_url()}">'
    title = f"{challenge.title} ({challenge.organisation_name})"
    assert page.count(link) == 2  # the commitment and the payment
    assert f"{link}{title}</a> (uitdaagrecht)" in page
    assert '<th class="utrecht-table__header-cell" scope="col">Voor</th>' in page
    # searchable by the challenge's title
    found = client.get(reverse("funds:ledger", args=[cast.fund.pk]), {"q": challenge.title})
    assert found.content.decode().count(link) == 2
    # the payment waits for the fund's next batch, described for the bank
    payments = client.get(reverse("funds:payments", args=[cast.fund.pk])).content.decode()
    assert title in payments
    instruction = PaymentInstruction.objects.select_related("entry").get(
        entry__case_id=challenge.pk
    )
    assert _remittance(instruction) == f"Uitdaagrecht {challenge.pk} {title}"
    # the challenge's page and its money page
    detail = client.get(challenge.get_absolute_url()).content.decode()
    assert "€ 3.000,00" in detail and "€ 1.000,00" in detail
    money = client.get(reverse("challenges:money", args=[challenge.pk])).content.decode()
    assert f'href="{reverse("funds:ledger", args=[cast.fund.pk])}"' in money
    # the next payment offers the account paid to last
    assert 'value="NL44RABO0123456789"' in money


def test_the_payment_form_refuses_a_wrong_iban(cast) -> None:
    challenge = running(cast, budget_cents=1_000_000)
    services.money_commit(
        actor=cast.admin, challenge=challenge, fund=cast.fund, amount_cents=300_000
    )
    response = client_for(cast.admin).post(
        reverse("challenges:money", args=[challenge.pk]),
        {
            "kind": "pay",
            "amount": "100,00",
            "note": "Termijn",
            "iban": "NL00RABO0123456789",
            "name": "Vereniging",
        },
    )
    assert response.status_code == 400
    assert Booking.objects.filter(kind="payment").count() == 0


def test_the_audit_log_reads_the_challenges_ledger_entries(cast) -> None:
    challenge = running(cast, budget_cents=1_000_000)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    services.money_commit(
        actor=cast.admin, challenge=challenge, fund=cast.fund, amount_cents=300_000
    )
    services.money_pay(
        actor=cast.admin, challenge=challenge, amount_cents=100_000, note="Eerste termijn", **PAYEE
    )
    views = read(
        list(AuditEvent.objects.filter(action__startswith="ledger.", id__gt=last).order_by("id"))
    )
    assert_readable(views)
    commit, pay = views
    title = f"{challenge.title} ({challenge.organisation_name})"
    assert (commit.action, commit.kind) == ("Geld toegekend", "fonds")
    assert "Soort zaak: uitdaagrecht" in commit.lines
    assert f"Zaak: {title}" in commit.lines
    assert "Toegekend aan de zaak, nog niet betaald: € 0,00 → € 3.000,00" in commit.lines
    assert "Toegekend aan de zaak, nog niet betaald: € 3.000,00 → € 2.000,00" in pay.lines


def test_the_data_migration_turns_an_old_correction_into_a_commitment(cast) -> None:
    """Before, a commitment was a negative correction and a payment a booking without an entry;
    the migration (challenges 0002) books them for the challenge, the fund's figures unchanged
    except that the money shows as committed and paid instead of corrected."""
    import importlib

    migration = importlib.import_module("wijkwerk.challenges.migrations.0002_money_in_the_ledger")
    challenge = running(cast, budget_cents=1_000_000)
    before = fund_figures(cast.fund)
    old = ledger.correct(
        actor=cast.admin, fund=cast.fund, amount_cents=-400_000, reason="Uitdaagrecht: oud"
    )
    Booking.objects.create(
        challenge=challenge,
        fund=cast.fund,
        kind="commitment",
        amount_cents=400_000,
        ledger_entry=old,
        note="oud",
        booked_by=cast.admin,
    )
    Booking.objects.create(
        challenge=challenge,
        fund=cast.fund,
        kind="payment",
        amount_cents=150_000,
        note="Eerste termijn",
        booked_by=cast.admin,
    )
    migration.forward(apps, None)
    after = fund_figures(cast.fund)
    assert after.available == before.available - 400_000
    assert (after.committed - before.committed, after.paid - before.paid) == (400_000, 150_000)
    assert after.corrected == before.corrected  # -400.000 and +400.000
    assert services.money_figures(challenge) == {
        "committed": 400_000,
        "paid": 150_000,
        "open": 250_000,
    }
    kinds = sorted(
        Booking.objects.filter(challenge=challenge).values_list("kind", "ledger_entry__kind")
    )
    assert kinds == [("commitment", "commitment"), ("payment", "payment")]
    migration.forward(apps, None)  # a second run changes nothing
    assert fund_figures(cast.fund) == after
