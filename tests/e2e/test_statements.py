"""The statements every government site has, in Chromium: the accessibility statement at
/toegankelijkheid (and the privacy and contact pages) axe-clean at phone and desktop width without
sideways scrolling, and an administrator editing the accessibility statement on a phone."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.axe import assert_accessible
from tests.cast import Cast
from tests.e2e.test_initiative_journey import log_in
from wijkwerk.core.actors import DEMO
from wijkwerk.site.defaults import default_fields
from wijkwerk.site.models import AccessibilityStatement
from wijkwerk.site.services import statement_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.fixture
def oosterhout(cast: Cast) -> Any:
    """The cast's Oosterhout with its three statements published (and its general e-mail
    address, which the statements fall back on)."""
    municipality = cast.municipality
    municipality.contact_email = "info@oosterhout.nl"
    municipality.save(update_fields=["contact_email"])
    today = datetime.date.today()
    for kind in ("privacy", "contact", "accessibility"):
        fields = default_fields(kind, municipality)
        if kind == "accessibility":
            fields["research_date"] = today - datetime.timedelta(days=14)
        statement_save(actor=DEMO, municipality=municipality, kind=kind, **fields)
    return municipality


def assert_no_sideways_scrolling(page: Page) -> None:
    # A click that navigates returns once the new page is committed, not parsed.
    page.wait_for_load_state("load")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide in {widths[1]} px"


@pytest.mark.parametrize("width", [375, 1280])
def test_the_accessibility_statement_is_accessible_itself(
    live_server: Any, page: Page, oosterhout: Any, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    # The cast has two municipalities: the well-known address lets one choose.
    page.goto(live_server.url + "/toegankelijkheid")
    expect(page.locator("h1")).to_have_text("Toegankelijkheidsverklaring")
    expect(page.get_by_role("link", name="Oss", exact=True)).to_be_visible()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    page.get_by_role("link", name="Oosterhout", exact=True).click()
    expect(page).to_have_url(live_server.url + "/oosterhout/toegankelijkheid/")
    expect(page.locator("h1")).to_have_text("Toegankelijkheidsverklaring Oosterhout")
    for section in ("Nalevingsstatus", "Datum en onderzoek", "Bekende problemen"):
        expect(page.get_by_role("heading", name=section)).to_be_visible()
    expect(page.get_by_role("link", name="Nationale ombudsman")).to_be_visible()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    for path, title in (
        ("/oosterhout/privacy/", "Privacyverklaring"),
        ("/oosterhout/contact/", "Contact"),
    ):
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_contain_text(title)
        assert_no_sideways_scrolling(page)
        assert_accessible(page)
    # the footer leads to the statement
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Toegankelijkheid", exact=True).click()
    expect(page).to_have_url(live_server.url + "/toegankelijkheid")


def test_the_admin_edits_the_accessibility_statement_on_a_phone(
    live_server: Any, page: Page, cast: Cast, oosterhout: Any
) -> None:
    admin = cast.admin
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server.url, admin.email, totp=True)
    page.goto(live_server.url + "/beheer/oosterhout/gebieden/")
    page.get_by_role("link", name="Verklaringen").click()
    expect(page.locator("h1")).to_have_text("Verklaringen")
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    page.get_by_role("link", name="Toegankelijkheidsverklaring").click()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    page.get_by_label("Nalevingsstatus").select_option(label="voldoet volledig")
    page.get_by_role("button", name="Opslaan en publiceren").click()
    # the known problems are still listed: refused, with the error summary linking to the field
    expect(page.locator("#form-errors")).to_contain_text("geen bekende problemen")
    assert_accessible(page)
    page.get_by_label("Bekende problemen en wanneer ze zijn opgelost").fill("")
    page.get_by_role("button", name="Opslaan en publiceren").click()
    expect(
        page.get_by_text("Toegankelijkheidsverklaring opgeslagen en gepubliceerd.")
    ).to_be_visible()
    assert AccessibilityStatement.objects.get().compliance == "full"
    page.goto(live_server.url + "/oosterhout/toegankelijkheid/")
    expect(page.get_by_text("Deze website voldoet volledig aan")).to_be_visible()
