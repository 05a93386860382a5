"""The page about the API (/api/) in headless Chromium with a Dutch browser: axe finds no WCAG
2.1 AA violation, nothing is wider than a phone (320 and 375 px), no CSP violation, and its
links lead to the API's base and its OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from ..axe import assert_accessible
from ..e2e.test_phone_widths import TOO_WIDE
from ..shots import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_about_the_api(live_server: Any, browser: Browser) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 320, "height": 720})
    page = context.new_page()
    csp: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(live_server.url + "/api/")
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "Open data"
    for width in (320, 375):
        page.set_viewport_size({"width": width, "height": 720})
        measured = page.evaluate(TOO_WIDE)
        assert measured["scrollWidth"] <= measured["width"], measured
        assert not measured["wide"], measured
    shot(page, "opendata-docs-375")
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "opendata-docs-1280")
    page.get_by_role("link", name="/api/v1/openapi.json").click()
    assert '"openapi"' in page.content()
    assert not csp, csp
    context.close()
