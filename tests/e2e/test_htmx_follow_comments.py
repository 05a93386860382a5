"""htmx on the follow panel and the comments (headless Chromium, 375 px): following and
unfollowing swap the panel in place and a comment appears in place, without a page load (a
marker set on the page's window survives, and the URL stays); axe clean after each swap. Without
JavaScript the same forms post and come back by a redirect."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.e2e.test_initiative_journey import log_in
from tests.shots import shot
from wijkwerk.comments.models import Comment
from wijkwerk.follows.models import Follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def person(browser: Browser, base: str, user: Any, *, javascript: bool = True) -> Page:
    context = browser.new_context(locale="nl-NL", viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, base, user.email)
    return page


def mark(page: Page) -> None:
    """Something only this page load has: a full page load would lose it."""
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate("() => { window.__noReload = 'still here'; }")


def still_the_same_page(page: Page, url: str) -> None:
    assert page.evaluate("() => window.__noReload") == "still here"
    assert page.url == url


def test_follow_and_comment_swap_in_place(live_server: Any, browser: Browser) -> None:
    cast = build_cast()
    initiative = cast.submitted()
    url = f"{live_server.url}{initiative.get_absolute_url()}"
    page = person(browser, live_server.url, cast.neighbour)
    page.goto(url)
    mark(page)

    panel = page.locator("aside.follow-panel")
    panel.get_by_label("meteen een e-mail").check()
    panel.get_by_role("button", name="Volgen").click()
    expect(panel.get_by_role("status")).to_contain_text(f"Je volgt “{initiative.title}”.")
    expect(panel.get_by_role("button", name="Niet meer volgen")).to_be_visible()
    still_the_same_page(page, url)
    assert Follow.objects.get().frequency == "immediate"
    assert_accessible(page)
    shot(page, "htmx-followed")

    panel.get_by_role("button", name="Niet meer volgen").click()
    expect(panel.get_by_role("status")).to_contain_text("niet meer")
    expect(panel.get_by_role("button", name="Volgen")).to_be_visible()
    still_the_same_page(page, url)
    assert not Follow.objects.exists()

    comments = page.locator("section#comments")
    comments.get_by_label("Je reactie").fill("Goed idee, ik help mee!")
    comments.get_by_role("button", name="Reactie plaatsen").click()
    comment_pk = None
    expect(comments.get_by_role("status")).to_contain_text("Je reactie is geplaatst.")
    comment_pk = Comment.objects.get().pk
    expect(page.locator(f"#comment-{comment_pk}")).to_contain_text("Goed idee, ik help mee!")
    expect(comments.locator("h2")).to_contain_text("(1)")
    still_the_same_page(page, url)
    assert_accessible(page)

    # an empty comment: the error on the form, in place
    comments.get_by_role("button", name="Reactie plaatsen").click()
    expect(comments.get_by_text("Schrijf eerst je reactie.").first).to_be_visible()
    still_the_same_page(page, url)
    assert Comment.objects.count() == 1
    assert_accessible(page)

    # a reply through the folded form, in place
    comments.locator(".comment-reply summary").first.click()
    comments.get_by_label("Je antwoord").fill("En ik ook.")
    comments.get_by_role("button", name="Antwoord plaatsen").click()
    expect(comments.get_by_role("status")).to_contain_text("Je antwoord is geplaatst.")
    expect(comments.locator(".comment-replies")).to_contain_text("En ik ook.")
    still_the_same_page(page, url)
    assert_accessible(page)
    shot(page, "htmx-commented")


def test_without_javascript_the_forms_still_work(live_server: Any, browser: Browser) -> None:
    cast = build_cast()
    initiative = cast.submitted()
    url = f"{live_server.url}{initiative.get_absolute_url()}"
    page = person(browser, live_server.url, cast.neighbour, javascript=False)
    page.goto(url)
    page.locator("aside.follow-panel").get_by_role("button", name="Volgen").click()
    page.wait_for_load_state()
    expect(page.locator("aside.follow-panel")).to_contain_text("Je volgt")
    assert Follow.objects.count() == 1
    page.get_by_label("Je reactie").fill("Zonder JavaScript")
    page.get_by_role("button", name="Reactie plaatsen").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Je reactie is geplaatst.")).to_be_visible()
    assert Comment.objects.get().body == "Zonder JavaScript"
