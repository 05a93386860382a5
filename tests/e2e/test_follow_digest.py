"""Follow and digests in headless Chromium: a resident follows her neighbourhood on its page
(weekly), an initiative there becomes public, `manage.py send_digests` sends the weekly digest to
the local SMTP server, and the digest's List-Unsubscribe link, POSTed as RFC 8058 says
("List-Unsubscribe=One-Click", no session, no CSRF token), removes her weekly follow. axe checks
the area page with the panel, the settings page and the unsubscribe pages."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.conftest import SmtpServer
from tests.e2e.test_initiative_journey import log_in, wait_for_mails
from tests.shots import shot
from wijkwerk.follows.models import DigestItem, Follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_follow_an_area_get_the_weekly_digest_and_unsubscribe_with_one_click(
    live_server: Any, page: Page, browser: Browser, smtp_server: SmtpServer, settings: Any
) -> None:
    base = live_server.url
    settings.WIJKWERK_BASE_URL = base  # the links in the mails point at this server
    cast = build_cast()
    resident = cast.neighbour
    page.set_viewport_size({"width": 375, "height": 800})

    log_in(page, base, resident.email)
    page.goto(base + cast.neighbourhood.get_absolute_url())
    panel = page.locator("aside.follow-panel")
    expect(panel.get_by_label("een wekelijks overzicht")).to_be_checked()
    assert_accessible(page)
    panel.get_by_role("button", name="Volgen").click()
    expect(page.locator("aside.follow-panel")).to_contain_text("Je volgt “Dorst-Zuid”.")
    expect(page.locator("aside.follow-panel")).to_contain_text("Je krijgt een wekelijks overzicht.")
    assert_accessible(page)
    shot(page, "follows-area-panel")

    page.get_by_role("link", name="Alles wat ik volg").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat ik volg")
    expect(page.get_by_role("link", name="Dorst-Zuid")).to_be_visible()
    assert_accessible(page)
    shot(page, "follows-settings")

    # Something happens there: an initiative in Dorst-Zuid is submitted and public.
    cast.submitted(title="Moestuin aan de Kerkstraat")
    assert list(DigestItem.objects.values_list("line", flat=True)) == [
        "Initiatief “Moestuin aan de Kerkstraat”: ingediend",
        "Initiatief “Moestuin aan de Kerkstraat”: in behandeling",
    ]
    assert smtp_server.to(resident.email) == []  # weekly: nothing yet

    call_command("send_digests", verbosity=0)
    [digest] = wait_for_mails(smtp_server, resident.email, 1)
    assert digest["Subject"] == "[wijkwerk] Je wekelijkse overzicht: 2 berichten"
    body = SmtpServer.body(digest)
    assert "- Initiatief “Moestuin aan de Kerkstraat”: ingediend" in body
    assert f"{base}/volgen/" in body
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = digest["List-Unsubscribe"].strip()
    assert link.startswith(f"<{base}/volgen/uit/") and link.endswith("/>")
    url = link[1:-1]
    assert url in body  # the same link in the text
    assert not DigestItem.objects.exists()
    call_command("send_digests", verbosity=0)  # a second run sends nothing again
    assert len(smtp_server.to(resident.email)) == 1

    # The link opened in a browser without a session: a page that asks first.
    stranger = browser.new_page(viewport={"width": 375, "height": 800})
    stranger.goto(url)
    expect(stranger.get_by_role("button", name="Ja, afmelden")).to_be_visible()
    assert_accessible(stranger)
    shot(stranger, "follows-unsubscribe")

    # The mail client's one-click POST (RFC 8058): no cookies, no CSRF token.
    request = urllib.request.Request(  # noqa: S310 - the live test server
        url,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
    assert not Follow.objects.filter(user=resident).exists()

    stranger.reload()
    expect(stranger.locator("main")).to_contain_text("Je bent al afgemeld")
    assert_accessible(stranger)
    stranger.close()
