"""Paper ballots by double entry, in headless Chromium at 375 px without JavaScript, with axe
(zero WCAG 2.1 A/AA violations) on every page on the way (issue 13, part 3).

In a round of Dorst with three plans on an approval ballot, Dorst's broker takes in two voters'
codes at the desk for paper (a mistyped one is refused, a code used online is refused saying
so). The box holds two paper ballots. The broker enters both; the administrator enters them too:
ballot 1 as the broker did (agreed: it counts), ballot 2 differently (disputed). The overview
lists ballot 2 with a link; the broker, who entered it, may not resolve it; Dorst's area
coordinator, a third official, sees the two entries side by side with the difference marked
and enters what the paper says. Two paper ballots count; the round's set-up page links to the
overview.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests import shots
from tests.axe import assert_accessible
from tests.budgeting.factories import PlanFactory, make_round
from tests.cast import build_cast
from tests.e2e.test_initiative_journey import log_in
from wijkwerk.budgeting.eligibility import Voter
from wijkwerk.budgeting.models import Ballot, Channel, PaperBallot, PaperStatus, VotingCode
from wijkwerk.budgeting.services.codes import code_hash, new_code
from wijkwerk.budgeting.services.voting import ballot_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 375, "height": 800}


def official(browser: Browser, base: str, user: Any) -> Page:
    """An official on a phone, without JavaScript; axe runs in a page of its own."""
    context = browser.new_context(locale="nl-NL", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    log_in(page, base, user.email, totp=True)
    return page


def test_paper_ballots_by_double_entry(live_server: Any, browser: Browser) -> None:
    base = live_server.url
    cast = build_cast()
    process = make_round(cast, phase="voting", vote_with_code=True, vote_with_account=False)
    plans = [
        PlanFactory(process=process, title=title, estimated_cost_cents=cost)
        for title, cost in (
            ("Bankjes op het Dorpsplein", 1_200_000),
            ("Speeltuin De Hoef", 2_500_000),
            ("Bomen langs de Molenstraat", 900_000),
        )
    ]
    area = process.process_areas.get()
    typed = [new_code() for _ in range(3)]
    for code in typed:
        VotingCode.objects.create(
            process=process, process_area=area, code_hash=code_hash(code), age_band="45-64"
        )
    online = VotingCode.objects.get(code_hash=code_hash(typed[2]))
    ballot_cast(
        actor=None,
        process=process,
        voter=Voter(process_area=area, register_key=f"code:{online.pk}", code_id=online.pk),
        choices={plans[0].pk: 1},
    )
    overview = f"{base}/buurtbudget/{process.pk}/papier/"

    # the desk: two codes taken in for paper; a mistyped code and one used online refused
    broker = official(browser, base, cast.broker)
    broker.goto(overview)
    expect(broker.locator("h1")).to_have_text("Papieren stembiljetten van Buurtbudget Dorst")
    assert_page(broker, browser, "list-empty")
    broker.get_by_role("link", name="Stemcode innemen voor een papieren stembiljet").click()
    assert_page(broker, browser, "intake")
    broker.get_by_label("Stemcode").fill("2222-2222-2222-2222")
    broker.get_by_role("button", name="Code innemen").click()
    expect(broker.locator(".utrecht-form-field-error-message").first).to_contain_text(
        "De stemcode klopt niet"
    )
    assert_page(broker, browser, "intake-error")
    broker.get_by_label("Stemcode").fill(typed[2])
    broker.get_by_role("button", name="Code innemen").click()
    expect(broker.locator(".utrecht-form-field-error-message").first).to_have_text(
        "Deze stemcode is al online gebruikt."
    )
    for code in typed[:2]:
        broker.get_by_label("Stemcode").fill(code.lower().replace("-", " "))
        broker.get_by_role("button", name="Code innemen").click()
        expect(broker.get_by_text("De stemcode is ingenomen.")).to_be_visible()
    assert_page(broker, browser, "intake-done")

    # the first entries, by the broker
    enter = f"{base}/buurtbudget/{process.pk}/papier/invoeren/"
    broker.goto(enter)
    assert_page(broker, browser, "enter")
    enter_ballot(broker, 1, ["Bankjes op het Dorpsplein", "Bomen langs de Molenstraat"])
    expect(broker.get_by_text("Stembiljet 1 is ingevoerd; een andere medewerker")).to_be_visible()
    enter_ballot(broker, 2, ["Speeltuin De Hoef"])
    # the same official again: refused
    enter_ballot(broker, 2, ["Speeltuin De Hoef"])
    expect(broker.locator(".utrecht-form-field-error-message").first).to_have_text(
        "Je hebt stembiljet 2 al ingevoerd: een andere medewerker voert het een tweede keer in."
    )
    assert_page(broker, browser, "enter-error")

    # the second entries, by the administrator: ballot 1 agrees, ballot 2 differs
    admin = official(browser, base, cast.admin)
    admin.goto(f"{base}/buurtbudget/{process.pk}/beheer/")
    admin.get_by_role("link", name="Papieren stembiljetten").click()
    admin.get_by_role("link", name="Stembiljet invoeren").click()
    enter_ballot(admin, 1, ["Bankjes op het Dorpsplein", "Bomen langs de Molenstraat"])
    expect(admin.get_by_text("beide invoeren zijn gelijk; het telt mee")).to_be_visible()
    enter_ballot(admin, 2, ["Bomen langs de Molenstraat"])
    expect(admin.get_by_text("de twee invoeren verschillen")).to_be_visible()
    admin.goto(overview)
    rows = admin.locator("tbody tr").first
    expect(rows).to_contain_text("Dorst")
    assert [cell.inner_text() for cell in rows.locator("td").all()] == [
        "2",
        "2",
        "1",
        "0",
        "1",
        "0",
    ]
    assert_page(admin, browser, "list")

    # the broker entered ballot 2: not theirs to resolve
    broker.goto(overview)
    broker.get_by_role("link", name="Oplossen stembiljet 2").click()
    expect(broker.get_by_text("Je hebt dit stembiljet zelf ingevoerd")).to_be_visible()
    expect(broker.get_by_role("button", name="Stembiljet oplossen")).to_have_count(0)

    # a third official resolves it from the paper
    third = official(browser, base, cast.coordinator)
    third.goto(overview)
    third.get_by_role("link", name="Oplossen stembiljet 2").click()
    expect(third.locator("h1")).to_have_text("Stembiljet 2 oplossen")
    differing = third.locator("tr.paper-compare__differ th")
    expect(differing).to_have_count(2)
    expect(differing.nth(0)).to_contain_text("Bomen langs de Molenstraat")
    expect(differing.nth(1)).to_contain_text("Speeltuin De Hoef")
    assert_page(third, browser, "resolve")
    third.get_by_label("Speeltuin De Hoef (€ 25.000,00)").check()
    third.get_by_role("button", name="Stembiljet oplossen").click()
    expect(third.get_by_text("Stembiljet 2 is opgelost en telt mee.")).to_be_visible()
    assert_page(third, browser, "list-done")

    assert dict(PaperBallot.objects.values_list("number", "status")) == {
        1: PaperStatus.AGREED,
        2: PaperStatus.RESOLVED,
    }
    assert sorted(
        Ballot.objects.filter(channel=Channel.PAPER).values_list("choices", flat=True)
    ) == sorted([[[plans[0].pk, 1], [plans[2].pk, 1]], [[plans[1].pk, 1]]])
    assert Ballot.objects.filter(process=process).count() == 3  # and the one online


def enter_ballot(page: Page, number: int, titles: list[str]) -> None:
    page.get_by_label("Nummer van het stembiljet").fill(str(number))
    for title in titles:
        page.locator("label", has_text=title).click()
    page.get_by_role("button", name="Stembiljet invoeren").click()


def assert_page(page: Page, browser: Browser, name: str) -> None:
    """One heading 1, no sideways scrolling at 375 px, screenshots (where WIJKWERK_SHOTS is), and
    axe on the page as it stands: its HTML (scripts left out) at its address, in a page with
    JavaScript (axe is a script; these pages run without)."""
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width} px)"
    if shots.folder() is not None:
        shots.shot(page, f"paper-{name}-375")
        page.set_viewport_size({"width": 1280, "height": 800})
        shots.shot(page, f"paper-{name}-1280")
        page.set_viewport_size(PHONE)
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S)
    html = html.replace("<head>", f'<head><base href="{page.url}">', 1)
    mirror = browser.new_page(locale="nl-NL", viewport=PHONE)
    mirror.set_content(html, wait_until="load")
    assert_accessible(mirror)
    mirror.close()
