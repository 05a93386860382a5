"""The fund pages in headless Chromium: they work without JavaScript and axe finds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from tests.axe import assert_accessible
from wijkwerk.funds import services
from wijkwerk.funds.selectors import fund_figures

from ..cast import Cast
from ..initiatives.factories import InitiativeFactory
from .factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A Dutch browser, as the municipality's staff use."""
    return {**browser_context_args, "locale": "nl-NL"}


def log_in(page: Page, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_admin_reads_the_books_and_books_a_correction(
    live_server: Any, page: Page, cast: Cast
) -> None:
    # The cast's fund "Bewonersinitiatieven" (EUR 300.000) of Oosterhout, its admin, and an
    # initiative in Dorst that EUR 1.250 is committed to.
    fund, admin = cast.fund, cast.admin
    initiative = InitiativeFactory(
        area=cast.district, applicant=cast.applicant, title="Speeltuin Dorst"
    )
    services.commit(
        actor=admin, fund=fund, initiative=initiative, amount_cents=125_000, reason="Goedgekeurd"
    )
    log_in(page, live_server, admin)

    page.goto(f"{live_server.url}/fondsen/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("cell", name="€ 298.750,00")).to_have_count(1)
    assert_accessible(page)

    page.locator("table").get_by_role("link", name="Bewonersinitiatieven").click()
    assert page.get_by_text("Speeltuin").count() == 0  # per area, not per initiative
    expect(page.get_by_role("rowheader", name="Dorst")).to_have_count(1)
    assert_accessible(page)

    page.get_by_role("link", name="Boekingen van dit fonds").click()
    expect(page.get_by_role("cell", name="Speeltuin Dorst")).to_have_count(1)
    page.get_by_label("Soort").select_option("payment")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_text("Geen boekingen.")).to_have_count(1)
    assert_accessible(page)

    page.goto(f"{live_server.url}/fondsen/{fund.pk}/correctie/")
    page.get_by_label("van het beschikbare bedrag aftrekken").check()
    page.get_by_label("Bedrag", exact=True).fill("-12")
    page.get_by_label("Reden").fill("Begrotingswijziging")
    page.get_by_role("button", name="Correctie boeken").click()
    # The message once at the field and once in the summary above the form, linking to it.
    negative = "Het bedrag kan niet negatief zijn."
    expect(page.get_by_text(negative)).to_have_count(2)
    expect(page.locator("#id_amount_error").get_by_text(negative)).to_have_count(1)
    summary = page.locator("#form-errors a[href='#id_amount']")
    expect(summary.filter(has_text=negative)).to_have_count(1)
    assert page.get_by_label("Bedrag", exact=True).get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.get_by_label("Bedrag", exact=True).fill("1.000,00")
    page.get_by_role("button", name="Correctie boeken").click()
    expect(page.get_by_text("De correctie is geboekt.")).to_have_count(1)
    assert fund_figures(fund).available == 30_000_000 - 125_000 - 100_000
    assert_accessible(page)


def test_admin_configures_a_scheme_and_a_fund(live_server: Any, page: Page, cast: Cast) -> None:
    # The cast's Oss (its village Lith) has no scheme or fund yet; its admin sets them up.
    CategoryFactory(municipality=cast.oss, name="Sociaal")
    admin = cast.oss_admin
    log_in(page, live_server, admin)

    page.goto(f"{live_server.url}/fondsen/regelingen/")
    assert_accessible(page)
    page.get_by_role("link", name="Nieuwe regeling").click()
    page.get_by_label("Naam", exact=True).fill("Leefbaarheidsbudget")
    page.get_by_label("Maximum per initiatief").fill("nul")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Niet opgeslagen: verbeter het volgende.")).to_have_count(1)
    assert_accessible(page)
    page.get_by_label("Maximum per initiatief").fill("2.500")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Regeling Leefbaarheidsbudget is opgeslagen.")).to_have_count(1)

    page.get_by_role("link", name="Nieuw fonds").click()
    assert_accessible(page)
    page.get_by_label("Naam", exact=True).fill("Leefbaarheidsbudget Lith")
    page.get_by_label("Regeling").select_option(label="Leefbaarheidsbudget")
    page.get_by_label("Jaar").fill("2026")
    page.get_by_label("Bedrag", exact=True).fill("10.000")
    page.get_by_label("Lith").check()
    page.get_by_role("button", name="Opslaan").click()
    assert page.locator("h1").inner_text() == "Leefbaarheidsbudget Lith 2026"
    assert page.get_by_text("€ 10.000,00").count() >= 2
    assert_accessible(page)
