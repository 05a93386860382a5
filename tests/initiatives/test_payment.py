"""Deciding and paying are two people; money goes only to an account the applicant gave; a
withdrawal after an advance makes the advance owed back."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from wijkwerk.core.models import AuditEvent
from wijkwerk.funds.models import EntryKind, LedgerEntry, PaymentInstruction
from wijkwerk.funds.selectors import fund_figures, initiative_figures
from wijkwerk.initiatives import services
from wijkwerk.initiatives.models import Initiative, Status, StatusChange

from ..accounts.factories import official
from ..cast import IBAN, PAYEE

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(user)
    return client


def test_the_official_who_approved_cannot_pay_a_second_official_can(cast):
    initiative = cast.approved(125_000)
    assert initiative.approved_by == cast.broker
    with pytest.raises(ValidationError) as refused:
        services.initiative_pay(actor=cast.broker, initiative=initiative)
    assert refused.value.code == "same_official"
    assert fund_figures(cast.fund).paid == 0
    assert services.initiative_pay(actor=cast.admin, initiative=initiative) == 125_000
    payment = LedgerEntry.objects.get(kind=EntryKind.PAYMENT)
    assert payment.author == cast.admin
    event = AuditEvent.objects.get(action="initiative.pay")
    assert event.actor == cast.admin
    assert event.after["approved_by"] == cast.broker.pk
    assert event.after["paid_by"] == cast.admin.pk


def test_another_broker_of_the_area_is_a_second_official_too(cast):
    colleague = official("broker", area=cast.district, full_name="Carla Collega")
    initiative = cast.approved(125_000)
    assert services.initiative_pay(actor=colleague, initiative=initiative) == 125_000


def test_below_the_scheme_threshold_the_approver_may_pay(cast):
    cast.scheme.second_official_above_cents = 200_000
    cast.scheme.save()
    initiative = cast.approved(125_000)
    assert services.initiative_pay(actor=cast.broker, initiative=initiative) == 125_000
    above = cast.approved(150_000, title="Groter plan")
    cast.scheme.second_official_above_cents = 149_999
    cast.scheme.save()
    with pytest.raises(ValidationError, match=r"another official|andere ambtenaar") as refused:
        services.initiative_pay(actor=cast.broker, initiative=above)
    assert refused.value.code == "same_official"


def test_bulk_payment_by_the_approver_books_nothing(cast):
    first = cast.approved(50_000, title="Eerste")
    second = cast.approved(60_000, title="Tweede")
    with pytest.raises(ValidationError) as refused:
        services.initiatives_mark_paid(actor=cast.broker, initiatives=[first, second])
    assert refused.value.code == "same_official"
    assert not LedgerEntry.objects.filter(kind=EntryKind.PAYMENT).exists()
    assert services.initiatives_mark_paid(actor=cast.admin, initiatives=[first, second]) == 2


def test_no_payment_without_an_account(cast):
    initiative = cast.submitted()
    initiative = services.initiative_transition(
        actor=cast.broker,
        initiative=initiative,
        action="approve",
        amount_cents=125_000,
        fund=cast.fund,
    )
    with pytest.raises(ValidationError) as refused:
        services.initiative_pay(actor=cast.admin, initiative=initiative)
    assert refused.value.code == "no_payee"
    assert fund_figures(cast.fund).paid == 0


@pytest.mark.parametrize(
    ("iban", "code"),
    [
        ("NL91ABNA0417164301", "iban_checksum"),
        ("NL91ABNA04171643", "iban_length"),
        ("XX91ABNA0417164300", "iban_country"),
        ("hallo", "iban_invalid"),
        ("", "iban_missing"),
    ],
)
def test_a_wrong_iban_is_refused_with_the_reason(cast, iban, code):
    initiative = cast.approved(125_000)
    with pytest.raises(ValidationError) as refused:
        services.initiative_set_payee(
            actor=cast.applicant, initiative=initiative, iban=iban, name="Anna"
        )
    assert refused.value.code == code
    assert Initiative.objects.get(pk=initiative.pk).payee_iban == IBAN


def test_the_account_is_given_by_the_applicant_only_and_audited_masked(cast):
    initiative = cast.approved(125_000)
    with pytest.raises(PermissionDenied):
        services.initiative_set_payee(
            actor=cast.broker, initiative=initiative, iban="NL02ABNA0123456789", name="Bram"
        )
    services.initiative_set_payee(
        actor=cast.applicant,
        initiative=initiative,
        iban="nl02 abna 0123 4567 89",
        name="  Anna   Aanvrager ",
    )
    initiative.refresh_from_db()
    assert initiative.payee_iban == "NL02ABNA0123456789"
    assert initiative.payee_name == "Anna Aanvrager"
    event = AuditEvent.objects.filter(action="initiative.payee").latest("id")
    assert event.after["payee_iban"] == "NL02 •••• •••• •• 6789"
    assert "0123456" not in str(event.after)


def test_the_payment_goes_to_the_account_known_when_it_was_paid(cast):
    initiative = cast.approved(125_000)
    services.initiative_pay(actor=cast.admin, initiative=initiative)
    instruction = PaymentInstruction.objects.get()
    assert (instruction.payee_iban, instruction.payee_name) == (IBAN, PAYEE)
    assert instruction.entry.amount_cents == 125_000


def test_the_account_shows_masked_and_only_to_applicant_and_paying_officials(cast):
    initiative = cast.approved(125_000)
    url = reverse("initiatives:detail", args=[initiative.pk])
    masked = "NL91 •••• •••• •• 4300"
    for user in (cast.applicant, cast.broker, cast.admin):
        html = client_for(user).get(url).content.decode()
        assert masked in html, user
        assert IBAN not in html
    html = client_for(cast.alderman).get(url).content.decode()
    assert "4300" not in html and "Betaling" not in html
    assert "4300" not in Client().get(url).content.decode()


def test_the_detail_page_pays_and_says_why_the_approver_cannot(cast):
    initiative = cast.approved(125_000)
    url = reverse("initiatives:detail", args=[initiative.pk])
    html = client_for(cast.broker).get(url).content.decode()
    assert "een andere ambtenaar betaalt" in html.lower() or "andere ambtenaar" in html
    assert reverse("initiatives:pay", args=[initiative.pk]) not in html
    admin = client_for(cast.admin)
    assert reverse("initiatives:pay", args=[initiative.pk]) in admin.get(url).content.decode()
    response = admin.post(reverse("initiatives:pay", args=[initiative.pk]), follow=True)
    assert "1.250,00" in response.content.decode()
    assert fund_figures(cast.fund).paid == 125_000
    assert StatusChange.objects.filter(initiative=initiative, action="pay").exists()


def test_the_applicant_gives_the_account_on_the_detail_page(cast):
    initiative = cast.approved(125_000)
    client = client_for(cast.applicant)
    response = client.post(
        reverse("initiatives:payee", args=[initiative.pk]),
        {"iban": "NL91ABNA0417164301", "name": "Anna"},
        follow=True,
    )
    assert "typefout" in response.content.decode() or "typing error" in response.content.decode()
    client.post(
        reverse("initiatives:payee", args=[initiative.pk]),
        {"iban": "NL02 ABNA 0123 4567 89", "name": "Anna Aanvrager"},
    )
    assert Initiative.objects.get(pk=initiative.pk).payee_iban == "NL02ABNA0123456789"


def test_the_amount_finally_set_waits_for_a_second_official(cast):
    initiative = cast.accounted(cast.approved(125_000), (60_000, 40_000))
    initiative = services.initiative_transition(
        actor=cast.broker, initiative=initiative, action="accept_accountability"
    )
    assert initiative.final_cents == 100_000
    assert initiative_figures(initiative).open_commitments == 100_000
    from wijkwerk.initiatives.selectors import dashboard

    board = dashboard(cast.admin)
    assert [row.pk for row in board["awaiting_payment"].rows] == [initiative.pk]
    with pytest.raises(ValidationError, match=r"paid|betaald") as refused:
        services.initiative_transition(actor=cast.broker, initiative=initiative, action="close")
    assert refused.value.code == "not_paid"
    services.initiative_pay(actor=cast.admin, initiative=initiative)
    assert fund_figures(cast.fund).paid == 100_000
    assert not dashboard(cast.admin)["awaiting_payment"].rows


def test_withdrawal_after_an_advance_releases_the_rest_and_the_advance_is_owed(cast, smtp_server):
    """The probe's case: € 250 granted and paid as an advance, € 50 of costs filed, then
    withdrawn. Before, the ledger kept commitment and payment and a repayment was refused."""
    initiative = cast.advance_paid(25_000, lines=(15_000, 10_000))
    initiative = cast.accounted(
        initiative,
        (5_000, 0),
        report="Toch niet door kunnen gaan",
        took_place=False,
        participants=0,
    )
    initiative = services.initiative_transition(
        actor=cast.applicant, initiative=initiative, action="withdraw"
    )
    assert initiative.status == Status.WITHDRAWN
    figures = initiative_figures(initiative)
    assert figures.open_commitments == 0
    assert services.repayment_due(initiative) == 25_000
    note = StatusChange.objects.get(initiative=initiative, action="withdraw").note
    assert "250,00" in note
    services.initiative_repayment_received(
        actor=cast.broker, initiative=initiative, amount_cents=25_000
    )
    assert services.repayment_due(Initiative.objects.get(pk=initiative.pk)) == 0
    assert fund_figures(cast.fund).available == cast.fund.amount_cents


def test_withdrawal_before_payment_owes_nothing_and_releases_everything(cast):
    initiative = cast.approved(125_000)
    initiative = services.initiative_transition(
        actor=cast.applicant, initiative=initiative, action="withdraw"
    )
    assert services.repayment_due(initiative) == 0
    assert fund_figures(cast.fund).available == cast.fund.amount_cents


def test_rejection_after_an_advance_cannot_happen(cast):
    """Rejecting is only possible under review, before any money is committed or paid."""
    initiative = cast.advance_paid(25_000, lines=(15_000, 10_000))
    with pytest.raises(ValidationError) as refused:
        services.initiative_transition(
            actor=cast.broker, initiative=initiative, action="reject", reason="Toch niet"
        )
    assert refused.value.code == "wrong_state"


def test_a_second_official_who_accepts_the_accountability_pays_at_once(cast):
    initiative = cast.accounted(cast.approved(125_000), (60_000, 40_000))
    initiative = services.initiative_transition(
        actor=cast.admin, initiative=initiative, action="accept_accountability"
    )
    figures = fund_figures(cast.fund)
    assert (figures.paid, figures.released, figures.open_commitments) == (100_000, 25_000, 0)
    assert PaymentInstruction.objects.get().entry.author == cast.admin
