"""The ballot in headless Chromium at 375 px, with axe on every page: a knapsack ballot with
JavaScript (the meter follows every box, politely announced) and without (the "Bedrag
bijwerken" button has the server count), an approval ballot with a mistake, "Terug" from the
confirmation, the receipt and the receipt check."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.axe import assert_accessible
from tests.budgeting.factories import PlanFactory, make_round
from tests.cast import build_cast
from tests.e2e.test_initiative_journey import log_in
from wijkwerk.budgeting.models import Ballot, BallotType, BudgetProcess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}")


def phone(browser: Browser, *, javascript: bool = True) -> BrowserContext:
    return browser.new_context(locale="nl-NL", viewport=PHONE, java_script_enabled=javascript)


def looked_at(page: Page) -> None:
    """One heading 1, no sideways scrolling at 375 px, no axe violations."""
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    assert_accessible(page)


def looked_at_without_javascript(page: Page, browser: Browser) -> None:
    """As `looked_at`, for a page in a browser without JavaScript, where axe cannot run: the
    page as the server sent it (its scripts left out) is served to a second browser at the same
    address and checked there."""
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S)
    address = page.url
    context = phone(browser)
    checker = context.new_page()
    checker.route(
        lambda url: url == address,
        lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
    )
    checker.goto(address)
    assert_accessible(checker)
    context.close()


def knapsack_round(cast: Any) -> tuple[BudgetProcess, list[Any]]:
    process = make_round(cast, ballot_type=BallotType.KNAPSACK)  # € 50.000,00 for Dorst
    plans = [
        PlanFactory(process=process, title=title, summary=summary, estimated_cost_cents=cost)
        for title, summary, cost in (
            ("Speeltuin aan de Kerkstraat", "Een klimrek en schommels.", 1_200_000),
            ("Moestuin bij de school", "Bakken om samen groente te kweken.", 2_000_000),
            ("Skatebaan", "Een halfpipe achter het sportpark.", 3_000_000),
        )
    ]
    return process, plans


def test_knapsack_meter_follows_the_boxes_with_javascript(
    live_server: Any, browser: Browser
) -> None:
    cast = build_cast()
    process, (_speeltuin, moestuin, skatebaan) = knapsack_round(cast)
    base = live_server.url
    page = phone(browser).new_page()
    log_in(page, base, cast.applicant.email)
    page.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    looked_at(page)
    meter = page.locator("#ballot-meter-text")
    expect(meter).to_have_attribute("aria-live", "polite")
    expect(meter).to_have_text("Gekozen: € 0,00 van € 50.000,00 — nog € 50.000,00 over")
    expect(page.get_by_role("button", name="Bedrag bijwerken")).to_be_hidden()  # counted live

    page.get_by_label("Kies “Speeltuin aan de Kerkstraat”").check()
    expect(meter).to_have_text("Gekozen: € 12.000,00 van € 50.000,00 — nog € 38.000,00 over")
    page.get_by_label("Kies “Moestuin bij de school”").check()
    expect(meter).to_have_text("Gekozen: € 32.000,00 van € 50.000,00 — nog € 18.000,00 over")
    page.get_by_label("Kies “Skatebaan”").check()
    expect(meter).to_have_text(
        "Te veel: Gekozen: € 62.000,00 van € 50.000,00 — € 12.000,00 boven het budget"
    )
    expect(page.locator("#ballot-meter")).to_have_class(re.compile("ballot-meter--over"))
    looked_at(page)  # the over-budget state, drawn by the script
    page.get_by_label("Kies “Speeltuin aan de Kerkstraat”").uncheck()
    expect(meter).to_have_text("Gekozen: € 50.000,00 van € 50.000,00 — nog € 0,00 over")
    expect(page.locator("#ballot-meter")).not_to_have_class(re.compile("ballot-meter--over"))

    page.get_by_role("button", name="Verder").last.click()
    looked_at(page)
    expect(page.locator("h1")).to_have_text("Controleer je stem")
    expect(page.locator(".ballot-summary__total")).to_have_text(
        "Samen: € 50.000,00 van het budget van € 50.000,00."
    )
    page.get_by_role("button", name="Bevestig je stem").click()
    looked_at(page)
    code = page.locator("#receipt-code").inner_text().strip()
    assert CODE.fullmatch(code), code
    expect(page.get_by_role("button", name="Kopieer de code")).to_be_visible()
    ballot = Ballot.objects.get()
    assert ballot.plan_ids() == sorted([moestuin.pk, skatebaan.pk])

    # the receipt check, as anyone (a fresh browser, no login)
    visitor = phone(browser).new_page()
    visitor.goto(f"{base}/buurtbudget/stembewijs/")
    looked_at(visitor)
    visitor.get_by_label("Je stembewijscode").fill(code.lower().replace("-", " "))
    visitor.get_by_role("button", name="Controleren").click()
    looked_at(visitor)
    expect(visitor.locator(".receipt-answer")).to_have_text(
        "Je stem in Buurtbudget Dorst is ontvangen en wordt geteld na de sluiting van het stemmen."
    )
    visitor.get_by_label("Je stembewijscode").fill("ABCD-EFGH-JKLM-NPQR")
    visitor.get_by_role("button", name="Controleren").click()
    looked_at(visitor)
    expect(visitor.locator(".receipt-answer")).to_contain_text("We kennen deze code niet.")
    visitor.get_by_label("Je stembewijscode").fill("ABCD")
    visitor.get_by_role("button", name="Controleren").click()
    looked_at(visitor)
    expect(visitor.locator(".error-summary")).to_contain_text(
        "Een stembewijscode heeft 16 letters en cijfers; je typte er 4."
    )

    # the voter comes back: already voted, the ballot starts empty (the vote is secret)
    page.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    looked_at(page)
    expect(page.locator("#voted-heading")).to_have_text("Je hebt al gestemd")
    expect(page.locator("input.ballot-choice:checked")).to_have_count(0)


def test_knapsack_meter_without_javascript_is_the_servers(
    live_server: Any, browser: Browser
) -> None:
    cast = build_cast()
    process, (_speeltuin, moestuin, skatebaan) = knapsack_round(cast)
    base = live_server.url
    page = phone(browser, javascript=False).new_page()
    log_in(page, base, cast.applicant.email)
    page.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    looked_at_without_javascript(page, browser)
    meter = page.locator("#ballot-meter-text")
    expect(meter).to_have_text("Gekozen: € 0,00 van € 50.000,00 — nog € 50.000,00 over")
    page.get_by_label("Kies “Speeltuin aan de Kerkstraat”").check()
    page.get_by_label("Kies “Moestuin bij de school”").check()
    # no script: the meter stays until the server counts
    expect(meter).to_have_text("Gekozen: € 0,00 van € 50.000,00 — nog € 50.000,00 over")
    page.get_by_role("button", name="Bedrag bijwerken").click()
    looked_at_without_javascript(page, browser)
    expect(meter).to_have_text("Gekozen: € 32.000,00 van € 50.000,00 — nog € 18.000,00 over")
    expect(page.get_by_label("Kies “Speeltuin aan de Kerkstraat”")).to_be_checked()
    expect(page.get_by_label("Kies “Moestuin bij de school”")).to_be_checked()
    expect(page.get_by_label("Kies “Skatebaan”")).not_to_be_checked()

    page.get_by_label("Kies “Skatebaan”").check()
    page.get_by_role("button", name="Bedrag bijwerken").click()
    looked_at_without_javascript(page, browser)
    expect(meter).to_have_text(
        "Te veel: Gekozen: € 62.000,00 van € 50.000,00 — € 12.000,00 boven het budget"
    )
    page.get_by_role("button", name="Verder").last.click()
    looked_at_without_javascript(page, browser)
    expect(page.locator(".error-summary")).to_contain_text(
        "Je plannen kosten € 62.000,00: € 12.000,00 meer dan het budget van € 50.000,00."
    )
    assert Ballot.objects.count() == 0

    page.get_by_label("Kies “Speeltuin aan de Kerkstraat”").uncheck()
    page.get_by_role("button", name="Verder").last.click()
    looked_at_without_javascript(page, browser)
    page.get_by_role("button", name="Bevestig je stem").click()
    looked_at_without_javascript(page, browser)
    assert CODE.fullmatch(page.locator("#receipt-code").inner_text().strip())
    assert Ballot.objects.get().plan_ids() == sorted([moestuin.pk, skatebaan.pk])


def test_approval_ballot_with_a_mistake_and_back_from_the_confirmation(
    live_server: Any, browser: Browser
) -> None:
    cast = build_cast()
    process = make_round(cast, min_choices=1, max_choices=2, may_change_ballot=False)
    plans = [
        PlanFactory(process=process, title=title)
        for title in ("Bankjes op het plein", "Bloembakken", "Jeu-de-boulesbaan")
    ]
    base = live_server.url
    page = phone(browser).new_page()
    log_in(page, base, cast.neighbour.email)
    page.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    looked_at(page)
    expect(page.locator(".ballot-rules")).to_contain_text("Kies 1 tot en met 2 plannen.")
    expect(page.locator("#ballot-meter")).to_have_count(0)
    for plan in plans:
        page.get_by_label(f"Kies “{plan.title}”").check()
    page.get_by_role("button", name="Verder").last.click()
    looked_at(page)
    expect(page.locator(".error-summary")).to_contain_text(
        "Je hebt 3 plannen gekozen; kies er hoogstens 2."
    )
    page.get_by_label("Kies “Bloembakken”").uncheck()
    page.get_by_role("button", name="Verder").last.click()
    looked_at(page)
    expect(page.locator(".ballot-summary")).to_contain_text("Bankjes op het plein")
    expect(page.locator(".ballot-summary")).not_to_contain_text("Bloembakken")

    page.get_by_role("button", name="Terug").click()  # the ballot again, the choices kept
    looked_at(page)
    expect(page.get_by_label("Kies “Bankjes op het plein”")).to_be_checked()
    expect(page.get_by_label("Kies “Jeu-de-boulesbaan”")).to_be_checked()
    expect(page.get_by_label("Kies “Bloembakken”")).not_to_be_checked()
    page.get_by_role("button", name="Verder").last.click()
    page.get_by_role("button", name="Bevestig je stem").click()
    looked_at(page)
    expect(page.locator("h1")).to_have_text("Je stem is ontvangen")
    assert Ballot.objects.get().plan_ids() == sorted([plans[0].pk, plans[2].pk])

    # no change in this round: the ballot page says so
    page.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    looked_at(page)
    expect(page.locator("main")).to_contain_text("In deze ronde kun je je stem niet wijzigen.")

    # someone from another area is told why not, and where to change the profile
    outsider = phone(browser).new_page()
    log_in(outsider, base, cast.outsider.email)
    outsider.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    looked_at(outsider)
    expect(outsider.locator("main")).to_contain_text(
        "Je woont niet in een gebied van deze ronde (Slotjes is je woongebied)."
    )
    outsider.get_by_role("link", name="Naar je profiel").click()
    looked_at(outsider)
    expect(outsider.get_by_label("Geboortedatum")).to_have_attribute("type", "date")
