"""Paid amounts leave as payment batches: a CSV and a SEPA credit transfer file, each payment in
one batch only, made by the municipality's admin and recorded."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from wijkwerk.core.models import AuditEvent
from wijkwerk.funds import services
from wijkwerk.funds.models import Fund, PaymentBatch, PaymentInstruction
from wijkwerk.initiatives.models import Initiative

from ..cast import Cast
from ..initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

SEPA = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
MUNICIPAL_ACCOUNT = "NL66BNGH0285094291"


def _paid(cast: Cast, fund: Fund, amount: int, iban: str, name: str, title: str) -> None:
    initiative = InitiativeFactory(area=cast.district, status="approved", title=title)
    services.commit(
        actor=cast.admin,
        fund=fund,
        initiative=initiative,
        amount_cents=amount,
        reason="Toegekend",
    )
    services.pay(
        actor=cast.admin,
        fund=fund,
        initiative=initiative,
        amount_cents=amount,
        reason="Voorschot",
        payee_iban=iban,
        payee_name=name,
    )


@pytest.fixture
def paid(cast: Cast, fund: Fund, initiative: Initiative) -> None:
    fund.payment_iban = MUNICIPAL_ACCOUNT
    fund.save()
    _paid(cast, fund, 125_050, "NL91ABNA0417164300", "Stichting Geveltuinen", "Geveltuinen")
    _paid(cast, fund, 40_000, "NL02ABNA0123456789", "=HYPERLINK(1)", "Buurtfeest")


def test_a_batch_takes_every_unbatched_payment_once(
    paid: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    batch = services.payment_batch_create(actor=cast.admin, fund=fund)
    assert (batch.count, batch.total_cents) == (2, 165_050)
    assert PaymentInstruction.objects.filter(batch=batch).count() == 2
    with pytest.raises(services.LedgerRefused) as refused:
        services.payment_batch_create(actor=cast.admin, fund=fund)
    assert refused.value.code == "no_payments"
    _paid(cast, fund, 10_000, "NL91ABNA0417164300", "Stichting Geveltuinen", "Nog een")
    second = services.payment_batch_create(actor=cast.admin, fund=fund)
    assert second.count == 1 and second.reference != batch.reference
    event = AuditEvent.objects.get(action="payment_batch.create", object_id=str(batch.pk))
    assert event.actor == cast.admin and event.after["total_cents"] == 165_050


def test_only_the_admin_makes_a_batch(
    paid: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    with pytest.raises(PermissionDenied):
        services.payment_batch_create(actor=cast.broker, fund=fund)
    assert not PaymentBatch.objects.exists()


def test_the_csv_has_every_payment_with_full_account_and_no_formulas(
    paid: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    batch = services.payment_batch_create(actor=cast.admin, fund=fund)
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(cast.admin)
    response = client.get(reverse("funds:payment_batch_csv", args=[fund.pk, batch.pk]))
    assert response.status_code == 200
    assert batch.reference in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:7] == [
        "Batch",
        "Betaald op",
        "Fonds",
        "Initiatief",
        "Rekeninghouder",
        "IBAN",
        "Bedrag",
    ]
    body = {row[5]: row for row in rows[1:]}
    assert body["NL91ABNA0417164300"][6] == "1250,50"
    assert body["NL02ABNA0123456789"][4] == "'=HYPERLINK(1)"


def test_the_sepa_file_is_a_valid_credit_transfer_from_the_fund_account(
    paid: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    batch = services.payment_batch_create(actor=cast.admin, fund=fund)
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(cast.admin)
    response = client.get(reverse("funds:payment_batch_xml", args=[fund.pk, batch.pk]))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own export
    assert root.find(f".//{SEPA}GrpHdr/{SEPA}NbOfTxs").text == "2"
    assert root.find(f".//{SEPA}GrpHdr/{SEPA}CtrlSum").text == "1650.50"
    assert root.find(f".//{SEPA}DbtrAcct/{SEPA}Id/{SEPA}IBAN").text == MUNICIPAL_ACCOUNT
    creditors = {
        tx.find(f"{SEPA}CdtrAcct/{SEPA}Id/{SEPA}IBAN").text: tx.find(
            f"{SEPA}Amt/{SEPA}InstdAmt"
        ).text
        for tx in root.iter(f"{SEPA}CdtTrfTxInf")
    }
    assert creditors == {"NL91ABNA0417164300": "1250.50", "NL02ABNA0123456789": "400.00"}


def test_no_sepa_file_without_the_fund_account(
    paid: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    fund.payment_iban = ""
    fund.save()
    batch = services.payment_batch_create(actor=cast.admin, fund=fund)
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(cast.admin)
    url = reverse("funds:payment_batch_xml", args=[fund.pk, batch.pk])
    response = client.get(url, follow=True)
    assert "geen rekening om van te betalen" in response.content.decode()


def test_the_payments_page_lists_waiting_payments_and_makes_a_batch(
    paid: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(cast.admin)
    url = reverse("funds:payments", args=[fund.pk])
    html = client.get(url).content.decode()
    assert "Stichting Geveltuinen" in html and "€ 1.250,50" in html
    response = client.post(url, follow=True)
    html = response.content.decode()
    assert "Alle betalingen van dit fonds zitten in een batch." in html
    assert PaymentBatch.objects.get().reference in html


def test_a_fund_account_is_checked(cast: Cast, fund: Fund, initiative: Initiative) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(cast.admin)
    url = reverse("funds:fund_edit", args=[fund.pk])
    data = {
        "scheme": fund.scheme.pk,
        "name": fund.name,
        "year": fund.year,
        "amount_cents": "7.000,00",
        "purpose": "",
        "is_active": "on",
        "payment_iban": "NL66 BNGH 0285 0942 92",
        "payment_bic": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "typefout" in response.content.decode()
    data["payment_iban"] = "NL66 BNGH 0285 0942 91"
    data["payment_bic"] = "BNGHNL2G"
    assert client.post(url, data).status_code == 302
    fund.refresh_from_db()
    assert (fund.payment_iban, fund.payment_bic) == (MUNICIPAL_ACCOUNT, "BNGHNL2G")
