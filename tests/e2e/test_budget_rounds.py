"""Budget rounds in Chromium: the round page and the administrator's set-up form are axe-clean
at 375 px without sideways scrolling; the administrator adds an area row, makes a mistake the
form explains, corrects it and saves, all on a phone, without JavaScript doing the work."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.axe import assert_accessible
from tests.budgeting.factories import make_round
from tests.cast import Cast
from tests.e2e.test_initiative_journey import log_in
from tests.e2e.test_statements import assert_no_sideways_scrolling
from wijkwerk.budgeting.models import BudgetProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "nl-NL"}


def test_the_round_page_on_a_phone(live_server: Any, page: Page, cast: Cast) -> None:
    process = make_round(
        cast,
        phase="voting",
        areas=[(cast.district, 3_000_000), (cast.other_district, 2_000_000)],
        max_choices=5,
    )
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/buurtbudget/")
    expect(page.locator("h1")).to_have_text("Buurtbudget")
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    page.get_by_role("link", name="Buurtbudget Dorst").click()
    expect(page.locator("h1")).to_have_text("Buurtbudget Dorst")
    expect(page.get_by_text("Kies 1 tot en met 5 plannen.")).to_be_visible()
    expect(page.get_by_role("link", name="Stemmen", exact=True)).to_have_attribute(
        "href", f"/buurtbudget/{process.pk}/stemmen/"
    )
    assert_no_sideways_scrolling(page)
    assert_accessible(page)


def test_the_admin_sets_up_a_round_on_a_phone(live_server: Any, page: Page, cast: Cast) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, base, cast.admin.email, totp=True)
    page.goto(f"{base}/buurtbudget/beheer/oosterhout/nieuw/")
    expect(page.locator("h1")).to_have_text("Nieuwe buurtbudgetronde")
    assert_no_sideways_scrolling(page)
    assert_accessible(page)

    page.get_by_label("Titel").fill("Buurtbudget Dorst 2027")
    page.get_by_label("Totaal budget").fill("50.000,00")
    page.get_by_label("Gebied", exact=True).first.select_option(label="Dorst")
    page.get_by_label("Budget van het gebied").first.fill("30.000,00")
    # one row more: what was typed stays
    page.get_by_role("button", name="Nog een gebied toevoegen").click()
    expect(page.locator("#area-3")).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value("Buurtbudget Dorst 2027")
    page.get_by_label("Gebied", exact=True).nth(1).select_option(label="Slotjes")
    page.get_by_label("Budget van het gebied").nth(1).fill("15.000,00")
    start = timezone.localtime() + datetime.timedelta(days=1)
    for number, kind in enumerate(["Plannen", "Stemmen"]):
        begin = start + datetime.timedelta(days=14 * number)
        page.get_by_label(f"{kind}: begin").fill(begin.strftime("%Y-%m-%dT%H:%M"))
        end = begin + datetime.timedelta(days=14)
        page.get_by_label(f"{kind}: einde").fill(end.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Opslaan").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(
        "De budgetten van de gebieden tellen op tot € 45.000,00, maar het budget van de ronde "
        "is € 50.000,00 (€ 5.000,00 verschil)."
    )
    assert not BudgetProcess.objects.exists()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)

    page.get_by_label("Budget van het gebied").nth(1).fill("20.000,00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De ronde Buurtbudget Dorst 2027 is opgeslagen.")).to_be_visible()
    process = BudgetProcess.objects.get()
    assert sorted(item.budget_cents for item in process.process_areas.all()) == [
        2_000_000,
        3_000_000,
    ]
    page.get_by_role("link", name="Publiceren…").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publiceren").click()
    expect(page.get_by_text("De ronde Buurtbudget Dorst 2027 is gepubliceerd.")).to_be_visible()
    process.refresh_from_db()
    assert process.status == "published"
