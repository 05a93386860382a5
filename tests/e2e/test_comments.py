"""Comments and news in headless Chromium at 375 px, axe on every page: a resident comments on
an initiative and another replies, a third reports the comment, the broker finds it in the
moderation queue and hides it with a reason, and the public page shows the reason instead; an
official publishes news and it shows on the area's page. The forms work without JavaScript (the
reply form folds open in a <details>)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.e2e.test_initiative_journey import log_in
from tests.shots import shot
from wijkwerk.comments.models import Comment, CommentReport, CommentStatus
from wijkwerk.news.models import NewsPost
from wijkwerk.news.states import PostStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def looked_at(page: Page, name: str) -> None:
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    assert_accessible(page)
    shot(page, f"news-comments-{name}")


def as_person(browser: Browser, base: str, user: Any, *, official: bool = False) -> Page:
    context = browser.new_context(locale="nl-NL", viewport=PHONE, java_script_enabled=True)
    page = context.new_page()
    log_in(page, base, user.email, totp=official)
    return page


def test_a_comment_is_replied_to_reported_and_hidden_with_a_reason(
    live_server: Any, browser: Browser
) -> None:
    cast = build_cast()
    initiative = cast.submitted()
    base = live_server.url
    url = f"{base}{initiative.get_absolute_url()}"

    # Niels comments; a script in the text stays text
    niels = as_person(browser, base, cast.neighbour)
    niels.goto(url)
    niels.get_by_label("Je reactie").fill("Leuk plan! <script>alert(1)</script> Ik help mee.")
    niels.get_by_role("button", name="Reactie plaatsen").click()
    expect(niels.get_by_text("Je reactie is geplaatst.")).to_be_visible()
    comment = Comment.objects.get()
    article = niels.locator(f"#comment-{comment.pk}")
    expect(article).to_contain_text("Leuk plan! <script>alert(1)</script> Ik help mee.")
    looked_at(niels, "initiative-with-comment")
    # an empty comment is refused with a message linked to the field
    niels.get_by_role("button", name="Reactie plaatsen").click()
    expect(niels.locator(".utrecht-form-field-error, .error-summary").first).to_be_visible()
    expect(niels.get_by_text("Schrijf eerst je reactie.").first).to_be_visible()
    looked_at(niels, "comment-error")
    assert Comment.objects.count() == 1

    # Anna, the applicant, replies through the folded reply form
    anna = as_person(browser, base, cast.applicant)
    anna.goto(url)
    anna.locator(".comment-reply summary").first.click()
    anna.get_by_label("Je antwoord").fill("Dank je, Niels!")
    anna.get_by_role("button", name="Antwoord plaatsen").click()
    expect(anna.get_by_text("Je antwoord is geplaatst.")).to_be_visible()
    reply = Comment.objects.get(parent=comment)
    expect(anna.locator(f".comment-replies #comment-{reply.pk}")).to_contain_text("Dank je")

    # someone else reports Niels's comment
    outsider = as_person(browser, base, cast.outsider)
    outsider.goto(url)
    outsider.locator(f"#comment-{comment.pk}").get_by_role("link", name="Melden").click()
    looked_at(outsider, "report")
    outsider.get_by_label("Iets anders").check()
    outsider.get_by_label("Toelichting").fill("Er staat code in, dat hoort hier niet.")
    outsider.get_by_role("button", name="Melding versturen").click()
    expect(outsider.get_by_text("Dank je. De moderatoren bekijken de reactie.")).to_be_visible()
    assert CommentReport.objects.get().reporter == cast.outsider

    # the broker of Dorst finds it in the queue and hides it with a reason
    broker = as_person(browser, base, cast.broker, official=True)
    broker.goto(f"{base}/reacties/moderatie/oosterhout/")
    expect(broker.get_by_role("heading", name="Gemeld (1)")).to_be_visible()
    expect(broker.locator(".moderation-item")).to_contain_text("Er staat code in")
    looked_at(broker, "queue")
    broker.locator(".moderation-item").get_by_role("link", name="Verbergen").click()
    looked_at(broker, "hide")
    broker.get_by_label("Waarom de reactie verborgen wordt (openbaar)").fill(
        "Geen code in reacties, graag."
    )
    broker.get_by_role("button", name="Reactie verbergen").click()
    expect(
        broker.get_by_text("De reactie is verborgen; op haar plaats staat de reden.")
    ).to_be_visible()
    expect(broker.get_by_text("Niets gemeld. Goed bezig, buren.")).to_be_visible()
    looked_at(broker, "queue-after")
    hidden = Comment.objects.get(pk=comment.pk)
    assert (hidden.status, hidden.hidden_reason) == (
        CommentStatus.HIDDEN,
        "Geen code in reacties, graag.",
    )

    # the public page shows the reason, not the comment; the reply stays
    visitor = browser.new_context(locale="nl-NL", viewport=PHONE).new_page()
    visitor.goto(url)
    article = visitor.locator(f"#comment-{comment.pk}")
    expect(article).to_contain_text("Verborgen door de moderator: Geen code in reacties, graag.")
    expect(article).not_to_contain_text("Leuk plan")
    expect(visitor.locator(f"#comment-{reply.pk}")).to_contain_text("Dank je, Niels!")
    expect(visitor.get_by_text("Log in om te reageren.")).to_be_visible()
    looked_at(visitor, "initiative-hidden-comment")


def test_an_official_publishes_news_that_shows_on_the_area_page(
    live_server: Any, browser: Browser
) -> None:
    cast = build_cast()
    base = live_server.url
    worker = as_person(browser, base, cast.community_worker, official=True)
    worker.goto(f"{base}/nieuws/gebied/oosterhout/dorst/")
    looked_at(worker, "area-news-empty")
    worker.get_by_role("link", name="Nieuws schrijven").click()
    looked_at(worker, "write")
    worker.get_by_label("Titel").fill("Dorpsfeest op zaterdag")
    worker.get_by_label("Inleiding").fill("Iedereen is welkom op het Dorpsplein, vanaf 14:00.")
    worker.get_by_label("Tekst", exact=True).fill("Er is muziek.\n\nEn taart van de bakker.")
    worker.get_by_role("button", name="Publiceren").click()
    expect(worker.get_by_text("Het nieuws is gepubliceerd.")).to_be_visible()
    post = NewsPost.objects.get()
    assert post.status == PostStatus.PUBLISHED and post.author == cast.community_worker
    expect(worker.locator(".prose p")).to_have_count(2)
    looked_at(worker, "post")

    visitor = browser.new_context(locale="nl-NL", viewport=PHONE).new_page()
    visitor.goto(f"{base}{cast.district.get_absolute_url()}")
    panel = visitor.get_by_role("region", name="Laatste nieuws")
    expect(panel).to_contain_text("Dorpsfeest op zaterdag")
    expect(panel).to_contain_text("Iedereen is welkom op het Dorpsplein")
    looked_at(visitor, "area-page")
    panel.get_by_role("link", name="Dorpsfeest op zaterdag").click()
    expect(visitor.get_by_role("heading", name="Dorpsfeest op zaterdag", level=1)).to_be_visible()
    looked_at(visitor, "post-public")
    visitor.goto(f"{base}/nieuws/gemeente/oosterhout/")
    expect(visitor.locator(".news-list")).to_contain_text("Dorpsfeest op zaterdag")
    looked_at(visitor, "municipality-news")
