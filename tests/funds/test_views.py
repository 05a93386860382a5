"""The staff pages and exports show the ledger's figures; the admin pages write through services."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijkwerk.core.models import AuditEvent
from wijkwerk.funds import services
from wijkwerk.funds.models import Fund, LedgerEntry, Scheme
from wijkwerk.initiatives.models import Initiative

from ..cast import Cast
from ..initiatives.factories import InitiativeFactory
from .factories import FundFactory, SchemeFactory

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def booked(cast: Cast, fund: Fund, initiative: Initiative) -> None:
    """€ 1.250 committed and paid to one initiative, € 150 refunded; € 500 committed to
    another in a second area; a correction of € -100."""
    services.commit(
        actor=cast.broker,
        fund=fund,
        initiative=initiative,
        amount_cents=125_000,
        reason="Toegekend",
    )
    services.pay(
        actor=cast.broker,
        fund=fund,
        initiative=initiative,
        amount_cents=125_000,
        reason="Uitbetaald",
        payee_iban="NL91ABNA0417164300",
        payee_name="Buurtvereniging",
    )
    services.refund(
        actor=cast.broker, fund=fund, initiative=initiative, amount_cents=15_000, reason="Over"
    )
    other = InitiativeFactory(area=cast.other_district, title="Buurtfeest Slotjes")
    services.commit(
        actor=cast.admin, fund=fund, initiative=other, amount_cents=50_000, reason="Toegekend"
    )
    services.correct(actor=cast.admin, fund=fund, amount_cents=-10_000, reason="Afronding")


def test_overview_shows_the_figures(
    booked: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    response = client_for(cast.broker).get(reverse("funds:overview"))
    text = response.content.decode()
    assert response.status_code == 200
    # available: 7.000 - 1.250 - 500 + 150 - 100 = 5.300
    for figure in ("€ 7.000,00", "€ 1.750,00", "€ 1.250,00", "€ 150,00", "€ 5.300,00"):
        assert figure in text


def test_fund_page_breaks_down_per_area(
    booked: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    response = client_for(cast.admin).get(reverse("funds:detail", args=[fund.pk]))
    rows = response.context["per_area"]
    by_name = {area.name if area else None: figures for area, figures in rows}
    assert by_name["Dorst"].committed == 125_000
    assert by_name["Dorst"].refunded == 15_000
    assert by_name["Slotjes"].open_commitments == 50_000
    assert by_name[None].corrected == -10_000
    assert response.context["figures"].available == 530_000


def test_overview_query_count_does_not_grow_with_funds(
    booked: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    client = client_for(cast.admin)
    client.get(reverse("funds:overview"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("funds:overview"))
    for n in range(5):
        fund = FundFactory(scheme=fund.scheme, name=f"Extra {n}")
        services.commit(
            actor=cast.admin,
            fund=fund,
            initiative=InitiativeFactory(area=cast.district),
            amount_cents=100,
            reason="Toegekend",
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("funds:overview"))
    assert len(response.context["rows"]) == 6
    assert len(many) == len(few)


def test_csv_export_has_the_figures_with_a_bom_and_decimal_comma(
    booked: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    response = client_for(cast.broker).get(reverse("funds:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    values = dict(zip(header, row, strict=True))
    assert values["Fonds"] == "Bewonersinitiatieven"
    assert values["Bedrag"] == "7000,00"
    assert values["Toegekend"] == "1750,00"
    assert values["Terugbetaald"] == "150,00"
    assert values["Beschikbaar"] == "5300,00"
    assert values["Initiatieven"] == "2"


def test_xlsx_export_opens_and_has_the_numbers(
    booked: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    response = client_for(cast.admin).get(reverse("funds:export_xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["Bedrag"] == 7000
    assert Decimal(str(row["Beschikbaar"])) == Decimal("5300.00")
    assert Decimal(str(row["Correcties"])) == Decimal("-100.00")
    assert sheet.cell(row=2, column=5).number_format == "#,##0.00"
    per_area = workbook.worksheets[1]
    areas = {r[2]: r for r in per_area.iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(areas["Slotjes"][3])) == Decimal("500.00")


def test_ledger_filters_and_paginates(
    booked: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    client = client_for(cast.broker)
    url = reverse("funds:ledger", args=[fund.pk])
    response = client.get(url, {"kind": "payment"})
    assert [e.kind for e in response.context["page"]] == ["payment"]
    response = client.get(url, {"q": "slotjes"})
    assert response.context["page"].paginator.count == 1
    response = client.get(url, {"date_from": "2030-01-02", "date_to": "2030-01-01"})
    assert "date_to" in response.context["form"].errors
    response = client.get(url, {"kind": "nonsense", "pagina": "abc"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == LedgerEntry.objects.count()


def test_another_areas_broker_does_not_see_an_area_fund(
    booked: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    fund.areas.add(cast.district)
    client = client_for(cast.other_broker)
    assert client.get(reverse("funds:detail", args=[fund.pk])).status_code == 404
    assert fund not in client.get(reverse("funds:overview")).context["rows"]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "negatief"),
        ("0", "groter zijn dan nul"),
        ("999999999999", "te hoog"),
        ("veel", "bijvoorbeeld"),
    ],
)
def test_correction_form_refuses_bad_amounts(
    cast: Cast, fund: Fund, initiative: Initiative, amount: str, message: str
) -> None:
    response = client_for(cast.admin).post(
        reverse("funds:correct", args=[fund.pk]),
        {"direction": "add", "amount": amount, "reason": "Test"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors["amount"][0]
    assert 'aria-describedby="id_amount_error' in response.content.decode()
    assert not LedgerEntry.objects.exists()


def test_correction_that_overdraws_is_refused_on_the_form(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    response = client_for(cast.admin).post(
        reverse("funds:correct", args=[fund.pk]),
        {"direction": "subtract", "amount": "7.000,01", "reason": "Te veel"},
    )
    assert response.status_code == 200
    assert "€ 7.000,00" in response.context["form"].errors["amount"][0]
    assert not LedgerEntry.objects.exists()


def test_admin_creates_a_scheme_and_a_fund(cast: Cast, fund: Fund, initiative: Initiative) -> None:
    client = client_for(cast.admin)
    response = client.post(
        reverse("funds:scheme_create"),
        {
            "municipality": cast.municipality.pk,
            "name": "Buurtzapbudget",
            "max_per_initiative_cents": "500",
            "min_applicant_age": "16",
            "applicant_must_live_in_area": "on",
            "required_cosigners": "4",
            "cosigner_min_age": "12",
            "cosigners_must_live_in_area": "on",
            "required_online_supporters": "0",
            "lead_time_days": "14",
            "decision_term_weeks": "2",
            "settle_at_once_below_cents": "5.000",
            "report_up_to_cents": "50.000",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    scheme = Scheme.objects.get(name="Buurtzapbudget")
    assert scheme.max_per_initiative_cents == 50_000
    assert scheme.report_up_to_cents == 5_000_000
    response = client.post(
        reverse("funds:fund_create"),
        {
            "municipality": cast.municipality.pk,
            "scheme": scheme.pk,
            "name": "Buurtzapbudget",
            "year": "2026",
            "amount_cents": "25.000,00",
            "areas": [cast.district.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    fund = Fund.objects.get(name="Buurtzapbudget")
    assert fund.amount_cents == 2_500_000
    assert list(fund.areas.all()) == [cast.district]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"scheme.create", "fund.create"} <= actions


def test_scheme_form_refuses_inconsistent_thresholds(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    response = client_for(cast.admin).post(
        reverse("funds:scheme_create"),
        {
            "municipality": cast.municipality.pk,
            "name": "Fout",
            "max_per_initiative_cents": "0",
            "min_applicant_age": "18",
            "required_cosigners": "0",
            "cosigner_min_age": "12",
            "required_online_supporters": "0",
            "lead_time_days": "0",
            "decision_term_weeks": "8",
            "settle_at_once_below_cents": "60.000",
            "report_up_to_cents": "50.000",
        },
    )
    errors = response.context["form"].errors
    assert "max_per_initiative_cents" in errors
    assert "report_up_to_cents" in errors
    assert not Scheme.objects.filter(name="Fout").exists()


def test_lowering_a_fund_below_commitments_shows_an_error(
    booked: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    response = client_for(cast.admin).post(
        reverse("funds:fund_edit", args=[fund.pk]),
        {
            "scheme": fund.scheme.pk,
            "name": fund.name,
            "year": "2026",
            "amount_cents": "1.000",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "amount_cents" in response.context["form"].errors
    fund.refresh_from_db()
    assert fund.amount_cents == 700_000


def test_an_admin_of_another_municipality_gets_404(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    client = client_for(cast.oss_admin)
    assert client.get(reverse("funds:fund_edit", args=[fund.pk])).status_code == 404
    assert client.get(reverse("funds:scheme_edit", args=[fund.scheme.pk])).status_code == 404
    assert client.get(reverse("funds:detail", args=[fund.pk])).status_code == 404
    scheme = SchemeFactory(municipality=cast.municipality)
    response = client.post(
        reverse("funds:fund_create"), {"municipality": cast.municipality.pk, "scheme": scheme.pk}
    )
    assert "municipality" in response.context["form"].errors


def test_view_fund_rule_agrees_with_the_visible_funds_selector(
    cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    from wijkwerk.funds.selectors import visible_funds

    area_fund = FundFactory(scheme=fund.scheme, name="Dorpsbudget")
    area_fund.areas.add(cast.district)
    people = [
        cast.broker,
        cast.admin,
        cast.other_broker,
        cast.alderman,
        cast.clerk,
        initiative.applicant,
    ]
    for person in people:
        for candidate in (fund, area_fund):
            assert (
                person.has_perm("funds.view_fund", candidate)
                == visible_funds(person).filter(pk=candidate.pk).exists()
            ), (person, candidate)
