import pytest
from playwright.sync_api import Page, expect

from tests.axe import assert_accessible
from tests.cast import Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_renders_in_chromium(live_server, page: Page, cast: Cast) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    # The cast's two municipalities are listed.
    expect(page.get_by_role("link", name="Gemeente Oosterhout")).to_be_visible()
    expect(page.get_by_role("link", name="Gemeente Oss")).to_be_visible()
    assert_accessible(page)
