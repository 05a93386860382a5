import pytest
from playwright.sync_api import Page

from tests.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_renders_in_chromium(live_server, page: Page) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
