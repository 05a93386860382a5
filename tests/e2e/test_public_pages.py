"""Public pages in Chromium: accessibility (axe, WCAG 2.1 AA), the map, English, no JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.areas.factories import GroupMembershipFactory, ResidentGroupFactory
from tests.axe import assert_accessible
from tests.cast import Cast
from wijkwerk.accounts.models import RoleAssignment
from wijkwerk.areas.models import CouncilKind, CouncilMembership, CouncilPosition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def demo(cast: Cast) -> dict:
    """The cast's Oosterhout made ready to look at: Dorst described and drawn with its
    neighbourhood Dorst-Zuid, Dorpsraad Dorst a village council with an address and the cast's
    council member as its chair, an open group in Dorst-Zuid, and the broker's contact route."""
    dorst, zuid = cast.district, cast.neighbourhood
    dorst.description = "Kerkdorp aan de oostkant van Oosterhout."
    dorst.boundary = square(4.85, 51.59, 0.03)
    dorst.save(update_fields=["description", "boundary"])
    zuid.boundary = square(4.86, 51.59)
    zuid.save(update_fields=["boundary"])
    council = cast.council
    council.kind = CouncilKind.VILLAGE_COUNCIL
    council.contact_email = "dorpsraad@dorst.example"
    council.save(update_fields=["kind", "contact_email"])
    CouncilMembership.objects.filter(council=council, user=cast.council_member).update(
        position=CouncilPosition.CHAIR
    )
    group = ResidentGroupFactory(area=zuid, name="Buurtmoestuin Dorst", join_policy="open")
    GroupMembershipFactory(group=group, user=cast.neighbour, role="contact")
    RoleAssignment.objects.filter(user=cast.broker).update(
        public_contact="wijkmakelaar@example.org"
    )
    return {
        "dorst": dorst,
        "zuid": zuid,
        "slotjes": cast.other_district,
        "broker": cast.broker.full_name,  # Bram Makelaar
        "chair": cast.council_member.full_name,
    }


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    """A Dutch browser: Django follows the browser's languages before the Dutch default."""
    return {**browser_context_args, "locale": "nl-NL"}


@pytest.fixture
def no_js_page(browser: Browser, browser_context_args: dict) -> Iterator[Page]:
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def test_home_and_search_results(live_server, page: Page, demo) -> None:
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("link", name="Gemeente Oosterhout")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Postcode, straat of naam van je gebied").fill("dorst")
    page.get_by_role("button", name="Zoeken").click()
    results = page.locator(".search-results li")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Dorst")
    assert_accessible(page)


def test_search_nothing_found_and_too_long(live_server, page: Page, demo) -> None:
    page.goto(live_server.url + "/?q=Atlantis")
    expect(page.locator(".utrecht-alert")).to_contain_text("Geen gebied gevonden")
    assert_accessible(page)
    page.goto(live_server.url + "/?q=" + "x" * 101)
    field = page.get_by_label("Postcode, straat of naam van je gebied")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_q_error")).to_contain_text("hooguit 100 tekens")
    assert_accessible(page)


def test_municipality_page(live_server, page: Page, demo) -> None:
    page.goto(live_server.url + "/oosterhout/")
    expect(page.locator("h1")).to_have_text("Gemeente Oosterhout")
    expect(page.get_by_role("link", name="Dorst-Zuid", exact=True)).to_be_visible()
    assert_accessible(page)


def test_area_page_with_map_draws_the_outline_without_tiles(live_server, page: Page, demo) -> None:
    # The machine is offline: block the tile server outright, as a closed network would.
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/oosterhout/dorst/")
    expect(page.locator("h1")).to_have_text("Dorst")
    expect(page.locator("#area-map")).to_be_visible()
    expect(page.locator("#area-map-canvas")).to_have_attribute("data-map-ready", "true")
    # The area and its neighbourhood are drawn as SVG paths.
    expect(page.locator("#area-map-canvas path.leaflet-interactive")).to_have_count(2)
    expect(page.get_by_role("heading", name="Wie is wie")).to_be_visible()
    expect(page.get_by_text(demo["broker"])).to_be_visible()
    expect(page.get_by_text(f"{demo['chair']} – voorzitter")).to_be_visible()
    expect(page.get_by_text("Staat open voor nieuwe leden")).to_be_visible()
    assert not errors
    assert_accessible(page)


def test_area_page_without_map(live_server, page: Page, demo) -> None:
    page.goto(live_server.url + "/oosterhout/slotjes/")
    expect(page.locator("h1")).to_have_text("Slotjes")
    expect(page.locator("#area-map")).to_have_count(0)
    expect(page.locator(".site-breadcrumb a")).to_have_count(3)
    assert_accessible(page)


def test_about_page(live_server, page: Page) -> None:
    page.goto(live_server.url + "/over-wijkgericht-werken/")
    expect(page.locator("h1")).to_have_text("Over wijkgericht werken")
    expect(page.get_by_role("heading", name="Wijkmakelaar")).to_be_visible()
    assert_accessible(page)


def test_404_page(live_server, page: Page) -> None:
    response = page.goto(live_server.url + "/bestaat-niet/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Pagina niet gevonden")
    assert_accessible(page)


def test_switch_to_english_keeps_the_page(live_server, page: Page, demo) -> None:
    page.goto(live_server.url + "/oosterhout/dorst/")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server.url + "/oosterhout/dorst/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Who is who")).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_have_text("Working together on your neighbourhood")
    assert_accessible(page)
    page.goto(live_server.url + "/over-wijkgericht-werken/")
    expect(page.get_by_role("heading", name="Neighbourhood broker (wijkmakelaar)")).to_be_visible()
    assert_accessible(page)


def test_skip_link_and_focus_are_visible(live_server, page: Page) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main")


def test_mobile_width_has_no_horizontal_scroll(live_server, page: Page, demo) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/", "/oosterhout/", "/oosterhout/dorst/", "/over-wijkgericht-werken/"):
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )
        assert not overflow, path
    assert_accessible(page)


def test_everything_important_works_without_javascript(
    live_server, no_js_page: Page, page: Page, demo
) -> None:
    checker, page = page, no_js_page
    page.goto(live_server.url + "/")
    page.get_by_label("Postcode, straat of naam van je gebied").fill("Dorst-Zuid")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Dorst-Zuid", exact=True).click()
    expect(page.locator("h1")).to_have_text("Dorst-Zuid")
    expect(page.get_by_text(demo["broker"])).to_be_visible()
    expect(page.get_by_text("Buurtmoestuin Dorst").first).to_be_visible()

    page.goto(live_server.url + "/oosterhout/dorst/")
    # No empty map box: the text list of neighbourhoods is the alternative.
    expect(page.locator("#area-map")).to_be_hidden()
    expect(page.get_by_role("link", name="Dorst-Zuid", exact=True).first).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server.url + "/oosterhout/dorst/")

    # axe needs JavaScript, so it checks the DOM as served without it in a second page on the
    # same origin (same stylesheets), with the page's own scripts taken out.
    checker.goto(live_server.url + "/oosterhout/dorst/")
    checker.set_content(re.sub(r"<script\b[^>]*\bsrc=[^>]*></script>", "", page.content()))
    expect(checker.locator("#area-map")).to_be_hidden()
    assert_accessible(checker)
