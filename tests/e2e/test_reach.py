"""Reach in headless Chromium: the municipality's table, a quarter without data, an area's and a
council's reach over time, and the administrator importing a population table (a bad one first).
axe is clean on every page at 320, 375 and 1280 px, and nothing scrolls sideways."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests import shots
from tests.accounts.factories import UserFactory
from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.e2e.test_initiative_journey import log_in
from tests.reach import factories as f
from wijkwerk.core.quarters import Quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (320, 375, 1280)


def check(page: Page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} scrolls sideways at {width} px"
        shots.shot(page, f"reach-{name}-{width}")


def test_reach_pages(live_server: Any, page: Page, tmp_path: Path) -> None:
    base = live_server.url
    cast = build_cast()
    now = Quarter.current()
    when = f.moment(now.first_day + datetime.timedelta(days=1))
    plan = f.submitted(cast.neighbourhood, cast.applicant, when)
    for _number in range(7):
        person = UserFactory()
        f.support(plan, person, when)
        f.follow(person, cast.council, when)
    f.population(cast.neighbourhood, now.year - 1, 1650, 700)
    f.population(cast.other_district, now.year - 1, 8000)

    page.goto(f"{base}/bereik/oosterhout/")
    expect(page.locator("h1")).to_have_text("Bereik in Oosterhout")
    zuid = page.locator("tr", has=page.locator("th", has_text="Dorst-Zuid"))
    expect(zuid.locator("td").nth(4)).to_have_text("7")  # support
    expect(zuid.locator("td").nth(7)).to_have_text("8")  # different persons (and the applicant)
    expect(zuid.locator("td").nth(9)).to_contain_text("1.650")
    expect(zuid.locator("td").nth(10)).to_have_text("0,5%")
    expect(zuid.locator("td").nth(0)).to_have_text("minder dan 5")
    check(page, "municipality")

    # choosing a quarter without data: a clear message, no error
    page.select_option("select[name=kwartaal]", now.previous().previous().slug)
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_role("status")).to_contain_text("Geen gegevens over dit kwartaal")
    check(page, "empty")

    page.goto(f"{base}/bereik/oosterhout/")
    page.get_by_role("link", name="Dorst-Zuid").first.click()
    expect(page.locator("h1")).to_have_text("Bereik van Dorst-Zuid")
    expect(page.locator("svg title")).to_contain_text("Dorst-Zuid")
    last_row = page.locator("table tbody tr").last
    expect(last_row.locator("td").nth(7)).to_have_text("8")
    check(page, "area")

    page.goto(f"{base}/bereik/oosterhout/raad/{cast.council.pk}/")
    expect(page.locator("h1")).to_have_text(f"Bereik van {cast.council.name}")
    check(page, "council")

    # the area page links to it
    page.goto(f"{base}/oosterhout/dorst-zuid/")
    expect(page.get_by_role("link", name="Bereik van Dorst-Zuid")).to_be_visible()

    log_in(page, base, cast.admin.email, totp=True)
    page.goto(f"{base}/bereik/oosterhout/inwoners/")
    bad = tmp_path / "kwb.csv"
    bad.write_text("WijkenEnBuurten;AantalInwoners_5\nBU08261307;-4\nBU08269999;10\n")
    page.fill("input[name=year]", str(now.year))
    page.set_input_files("input[name=file]", str(bad))
    page.get_by_role("button", name="Inlezen").click()
    alert = page.get_by_role("alert").filter(has_text="niet ingelezen")
    expect(alert).to_contain_text("Regel 2: Het aantal inwoners van BU08261307 is negatief (-4).")
    expect(alert).to_contain_text("Regel 3: BU08269999 is hier geen gebied van Oosterhout.")
    check(page, "population-errors")
    good = tmp_path / "kwb-goed.csv"
    good.write_text("WijkenEnBuurten;AantalInwoners_5\nBU08261307;1700\nWK082601;8100\n")
    page.fill("input[name=year]", str(now.year))
    page.set_input_files("input[name=file]", str(good))
    page.get_by_role("button", name="Inlezen").click()
    expect(page.get_by_text("2 gebieden")).to_be_visible()
    check(page, "population")
    page.goto(f"{base}/bereik/oosterhout/")
    zuid = page.locator("tr", has=page.locator("th", has_text="Dorst-Zuid"))
    expect(zuid.locator("td").nth(9)).to_contain_text("1.700")
