"""Finding as residents know it, in Chromium: the area search by postcode, street and with a typo,
and the initiatives list's map (the list stays the alternative); axe-clean, no sideways scrolling
at 375 px."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.axe import assert_accessible
from tests.cast import Cast
from wijkwerk.areas.models import PostcodeArea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "nl-NL"}


def no_sideways_scrolling(page: Page) -> None:
    # A click that navigates returns once the new page is committed, not parsed.
    page.wait_for_load_state("load")
    width, client = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
            .map((e) => e.tagName + '.' + e.className)"""
    )
    assert width <= client, f"{page.url}: {width} px wide at {client} px: {wide[:5]}"


def test_area_search_by_postcode_street_and_typo(live_server, page: Page, cast: Cast) -> None:
    PostcodeArea.objects.create(
        postcode="4849PA", street="Kerkstraat", area=cast.neighbourhood, year=2026
    )
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    field = page.get_by_label("Postcode, straat of naam van je gebied")
    field.fill("4849 pa")
    field.press("Enter")
    result = page.locator(".search-results li")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("Dorst-Zuid")
    expect(result).to_contain_text("postcode 4849 PA")
    no_sideways_scrolling(page)
    assert_accessible(page)
    page.get_by_label("Postcode, straat of naam van je gebied").fill("kerkstraat")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator(".search-results li")).to_contain_text(["straat Kerkstraat"])
    page.get_by_label("Postcode, straat of naam van je gebied").fill("Dorts")
    page.get_by_role("button", name="Zoeken").click()
    first = page.locator(".search-results li").first
    expect(first).to_contain_text("Dorst")
    expect(first).to_contain_text("lijkt op ‘Dorts’")
    no_sideways_scrolling(page)
    assert_accessible(page)


@pytest.mark.parametrize("width", [375, 1280])
def test_the_list_map_shows_the_initiatives_with_a_place(
    live_server, page: Page, cast: Cast, width: int
) -> None:
    cast.submitted(
        title="Moestuin bij de kerk", latitude=Decimal("51.5901"), longitude=Decimal("4.8582")
    )
    cast.submitted(title="Speeltuin", latitude=Decimal("51.5950"), longitude=Decimal("4.8650"))
    cast.submitted(title="Bankjes zonder plek")
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/initiatieven/")
    expect(page.locator("#initiatives-map")).to_be_visible()
    expect(page.locator("#initiatives-map-canvas")).to_have_attribute("data-map-ready", "true")
    markers = page.locator("#initiatives-map-canvas .leaflet-marker-icon")
    expect(markers).to_have_count(2)
    # a marker is reached with the keyboard and opens a link to its initiative
    marker = page.locator(".leaflet-marker-icon[title='Speeltuin']")
    marker.focus()
    marker.press("Enter")
    expect(page.locator(".leaflet-popup-content a")).to_have_text("Speeltuin")
    expect(page.get_by_role("button", name="Sluiten")).to_be_visible()
    expect(page.get_by_role("button", name="Inzoomen")).to_be_visible()
    # axe reads the popup's colours once it has faded in
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    # the list has all three
    expect(page.locator(".initiative-list > li")).to_have_count(3)
    assert not problems
    no_sideways_scrolling(page)
    assert_accessible(page)
