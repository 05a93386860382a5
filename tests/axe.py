"""Run axe-core in a Playwright page and fail on any WCAG 2.1 A/AA violation."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def assert_accessible(page: Page) -> None:
    # A click that navigates returns once the new page is committed, not parsed.
    page.wait_for_load_state("load")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    violations = results.response["violations"]
    assert not violations, f"axe on {page.url}:\n{results.generate_report()}"
