"""Every page on a phone, in headless Chromium with a Dutch browser: every page type each visitor
sees (tests/page_tour.py) at 320 and 375 px wide (and 768, a tablet) does not scroll sideways,
nothing on it is wider than the screen except inside a region that scrolls on its own (a named
role="region" with tabindex="0"), buttons and links that stand on their own are at least 24 by
24 px (WCAG 2.2, 2.5.8), the browser reports no Content Security Policy violation, and axe finds
nothing.

The menu and a list's filters fold away on a phone and are open on a wide screen; they work with
the keyboard and without JavaScript.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.e2e.test_initiative_journey import log_in
from tests.page_tour import Stop, by_visitor, one_per_page, tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = (320, 375)
TABLET = 768  # where the menu unfolds and tables are tables again
OFFICIALS = {"broker_other", "broker_this", "alderman", "clerk", "admin"}

# What is wider than the screen and not inside a region that scrolls (overflow-x auto or scroll)
# or clips (a map, visually hidden text) and lies on the screen itself. The page's own body and
# main do not count as such a region: hiding the overflow there would only hide the problem.
TOO_WIDE = """
() => {
  const width = window.innerWidth;
  const page = new Set([document.documentElement, document.body, document.querySelector('main')]);
  const contained = (element) => {
    for (let up = element.parentElement; up && !page.has(up); up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      const box = up.getBoundingClientRect();
      if (overflow !== 'visible' && box.left >= -1 && box.right <= width + 1) return true;
    }
    return false;
  };
  const describe = (element) => {
    const box = element.getBoundingClientRect();
    const classes = typeof element.className === 'string' && element.className.trim()
      ? '.' + element.className.trim().split(/\\s+/).join('.') : '';
    const text = (element.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const where = `${Math.round(box.left)}..${Math.round(box.right)}`;
    return `${element.tagName.toLowerCase()}${classes} ${where} "${text}"`;
  };
  const wide = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (!box.width && !box.height) continue;
    if (box.right <= width + 1 && box.left >= -1) continue;
    if (!contained(element)) wide.push(describe(element));
  }
  const regions = [];
  for (const element of document.body.querySelectorAll('*')) {
    const overflow = getComputedStyle(element).overflowX;
    const scrolls = element.scrollWidth > element.clientWidth + 1;
    if ((overflow === 'auto' || overflow === 'scroll') && scrolls) {
      const named = element.getAttribute('aria-label') || element.getAttribute('aria-labelledby');
      if (element.getAttribute('role') !== 'region' || !named || element.tabIndex < 0) {
        regions.push(describe(element));
      }
    }
  }
  const scrollWidth = document.documentElement.scrollWidth;
  return {scrollWidth, width, wide: wide.slice(0, 5), regions};
}
"""

# Targets that are not in running text: buttons, summaries, form controls, and links in a
# navigation, a table cell or a list item of their own, or alone in a paragraph or a block (a
# field's description). Hidden ones (a folded menu) do not count.
SMALL_TARGETS = """
() => {
  const selector = [
    'button', 'summary', 'select', 'input:not([type=hidden])', '.utrecht-button-link',
    'nav a', 'td > a:only-child', 'th > a:only-child', 'li > a:only-child',
  ].join(', ');
  const alone = [...document.body.querySelectorAll('p > a:only-child, div > a:only-child')]
    .filter((link) => link.parentElement.textContent.trim() === link.textContent.trim());
  const small = [];
  for (const element of [...document.body.querySelectorAll(selector), ...alone]) {
    const box = element.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if (element.closest('.visually-hidden, .leaflet-container')) continue;
    if (box.width < 23.5 || box.height < 23.5) {
      const text = (element.textContent || element.getAttribute('name') || '').trim().slice(0, 30);
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      small.push(`${element.tagName.toLowerCase()} ${size} "${text}"`);
    }
  }
  return small.slice(0, 5);
}
"""


def _visit(page: Page, base: str, stop: Stop, checked_by_axe: set[str]) -> list[str]:
    found = []
    page.set_viewport_size({"width": PHONES[0], "height": 720})
    response = page.goto(base + stop.url)
    assert response is not None and response.status == 200, (stop.name, stop.url)
    for width in (*PHONES, TABLET):
        page.set_viewport_size({"width": width, "height": 720})
        measured = page.evaluate(TOO_WIDE)
        where = f"{stop.visitor} {stop.name} {stop.url} at {width} px"
        if measured["scrollWidth"] > measured["width"]:
            found.append(f"{where}: the page is {measured['scrollWidth']} px wide")
        found += [f"{where}: wider than the screen: {element}" for element in measured["wide"]]
        found += [f"{where}: scrolls without a named region: {r}" for r in measured["regions"]]
        found += [f"{where}: target under 24 px: {t}" for t in page.evaluate(SMALL_TARGETS)]
    if stop.url_name not in checked_by_axe:
        checked_by_axe.add(stop.url_name)
        assert_accessible(page)
    return found


def test_every_page_fits_a_phone(live_server: Any, browser: Browser) -> None:
    cast = build_cast()
    # The pages of the cast's initiatives first: lists and queues with rows in them.
    stops = sorted(tour(cast), key=lambda stop: "(cast " not in stop.name)
    base = live_server.url
    found: list[str] = []
    csp: list[str] = []
    checked_by_axe: set[str] = set()
    visited = 0
    for visitor, visitor_stops in by_visitor(one_per_page(stops)).items():
        if not visitor_stops:
            continue
        context = browser.new_context(locale="nl-NL", viewport={"width": 375, "height": 720})
        page = context.new_page()
        page.on(
            "console",
            lambda message, visitor=visitor, page=page: (
                csp.append(f"{visitor} {page.url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        user = visitor_stops[0].user
        if user is not None:
            log_in(page, base, user.email, totp=visitor in OFFICIALS)
        for stop in visitor_stops:
            found += _visit(page, base, stop, checked_by_axe)
            visited += 1
        context.close()
    assert visited > 100, visited  # every visitor, every page type
    assert not csp, "\n".join(csp)
    assert not found, f"{len(found)} findings:\n" + "\n".join(found)


def test_menu_folds_on_a_phone(live_server: Any, browser: Browser) -> None:
    """On a phone the menu is one button that opens with the keyboard; on a wide screen the
    links are simply there; without JavaScript it works the same way."""
    build_cast()
    for javascript in (True, False):
        context = browser.new_context(
            locale="nl-NL", viewport={"width": 320, "height": 720}, java_script_enabled=javascript
        )
        page = context.new_page()
        page.goto(live_server.url + "/")
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        link = page.get_by_role("link", name="Bewonersinitiatieven", exact=True).first
        expect(link).to_be_hidden()
        toggle = page.locator("summary", has_text="Menu")
        toggle.focus()
        page.keyboard.press("Enter")
        expect(menu).to_be_visible()
        expect(link).to_be_visible()
        if javascript:
            assert_accessible(page)
        page.keyboard.press("Enter")
        expect(link).to_be_hidden()
        page.set_viewport_size({"width": 1280, "height": 800})
        expect(toggle).to_be_hidden()
        expect(link).to_be_visible()
        context.close()


def test_filters_fold_above_the_results_on_a_phone(live_server: Any, page: Page) -> None:
    cast = build_cast()
    cast.submitted(title="Bankjes bij de speeltuin")
    page.set_viewport_size({"width": 375, "height": 720})
    page.goto(live_server.url + "/initiatieven/")
    search = page.get_by_role("search")
    toggle = page.locator("summary", has_text="Initiatieven zoeken en filteren")
    results = page.get_by_role("heading", name="1 initiatief")
    expect(search).to_be_hidden()
    assert toggle.bounding_box()["y"] < results.bounding_box()["y"]
    toggle.click()
    expect(search).to_be_visible()
    page.get_by_label("Zoeken", exact=True).fill("speeltuin")
    page.get_by_role("button", name="Zoeken").click()
    # With a search in use the filters stay open, so the visitor sees what is filtering.
    expect(page.get_by_role("search")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/initiatieven/")
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.locator("summary", has_text="Initiatieven zoeken en filteren")).to_be_hidden()
