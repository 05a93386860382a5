"""The plan pages in headless Chromium at 375 px, with axe: the list of a round's plans (with a
like that works without JavaScript), a plan's page and the form to submit one (its errors
linked to the fields)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.budgeting.factories import PlanFactory, make_round
from tests.cast import build_cast
from tests.e2e.test_initiative_journey import log_in
from wijkwerk.budgeting.models import Plan
from wijkwerk.budgeting.states import FeasibilityVerdict, PlanStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def looked_at(page: Page) -> None:
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_plan_list_detail_and_form_at_375_px(
    live_server: Any, browser: Browser, javascript: bool
) -> None:
    cast = build_cast()
    process = make_round(cast, phase="ideas", likes_threshold=2)
    benches = PlanFactory(
        process=process,
        author=cast.applicant,
        title="Bankjes op het Dorpsplein",
        summary="Drie bankjes in de schaduw van de lindes, voor wie even wil zitten.",
        feasibility=FeasibilityVerdict.FEASIBLE,
        municipal_cost_cents=1_450_000,
        feasibility_reason="Kan: de gemeente plaatst de bankjes in het voorjaar.",
    )
    PlanFactory(
        process=process,
        title="Parkeergarage onder het plein",
        feasibility=FeasibilityVerdict.INFEASIBLE,
        feasibility_reason="Veel te duur voor een buurtbudget.",
        like_count=4,
    )
    PlanFactory(process=process, title="Banken bij de kerk", status=PlanStatus.MERGED)
    PlanFactory(process=process, status=PlanStatus.HIDDEN, hidden_reason="Reclame voor een winkel.")
    base = live_server.url
    context = browser.new_context(locale="nl-NL", viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, base, cast.neighbour.email)

    page.goto(f"{base}/buurtbudget/{process.pk}/plannen/")
    expect(page.locator("h1")).to_have_text("Plannen in Buurtbudget Dorst")
    expect(page.locator("main")).to_contain_text("nog 2 likes nodig")
    expect(page.locator("main")).to_contain_text(
        "niet haalbaar: Veel te duur voor een buurtbudget."
    )
    expect(page.locator("main")).to_contain_text("verborgen: Reclame voor een winkel.")
    if javascript:
        looked_at(page)
    like = page.locator(f"form[action='/buurtbudget/plan/{benches.pk}/like/'] button")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(page.locator("main")).to_contain_text("nog 1 like nodig")
    assert Plan.objects.get(pk=benches.pk).like_count == 1

    page.goto(f"{base}/buurtbudget/plan/{benches.pk}/")
    expect(page.locator("main")).to_contain_text("€ 14.500,00 (de kosten op het stembiljet)")
    expect(page.locator("main")).to_contain_text("Je liket dit plan.")
    if javascript:
        looked_at(page)

    page.goto(f"{base}/buurtbudget/{process.pk}/plannen/nieuw/")
    if javascript:
        looked_at(page)
        expect(page.locator("#location-map")).to_be_visible()
    else:
        expect(page.locator("#location-map")).to_be_hidden()
    page.locator("#id_summary").fill("Een jeu-de-boulesbaan achter het dorpshuis.")
    page.locator("#id_estimated_cost").fill("vijfhonderd")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_estimated_cost_error")).to_contain_text(
        "Vul een bedrag in euro's in, bijvoorbeeld 1.250,00."
    )
    if javascript:
        looked_at(page)
    page.locator("#id_title").fill("Jeu-de-boulesbaan")
    page.locator("#id_estimated_cost").fill("4.750,00")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("h1")).to_have_text("Jeu-de-boulesbaan")
    expect(page.locator("main")).to_contain_text("€ 4.750,00")
    if javascript:
        looked_at(page)
    context.close()
