"""Pilots and lessons in headless Chromium, axe on every new page.

The broker of Dorst starts a pilot in Dorst-Zuid (first with an end before its start: a clear
message, nothing saved) and records a lesson seen from the municipality; a resident of Dorst-Zuid
on a 375 px phone shares what she learned through the short form (it waits for moderation); the
broker approves it from the moderation queue and the resident gets the mail; the pilot page shows
both perspectives side by side on a wide screen ("Gemeente" and "Bewoners") and stacked on the
phone, and the lessons list finds the lesson by its tag.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.conftest import SmtpServer
from tests.e2e.test_initiative_journey import log_in, wait_for_mails
from tests.shots import shot
from wijkwerk.learning.models import Lesson, LessonStatus, Pilot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page: Page, name: str) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width} px wide"
    shot(page, f"learning-{name}")


def test_a_pilot_with_lessons_from_both_sides(
    live_server: Any, page: Page, browser: Browser, smtp_server: SmtpServer
) -> None:
    base = live_server.url
    cast = build_cast()
    today = datetime.date.today()
    official = browser.new_context(
        locale="nl-NL", viewport={"width": 1280, "height": 900}
    ).new_page()

    # 1. The broker starts a pilot in Dorst-Zuid.
    log_in(official, base, cast.broker.email, totp=True)
    official.goto(f"{base}/leren/")
    check(official, "pilots-official")
    official.get_by_role("link", name="Een pilot starten in Oosterhout").click()
    check(official, "pilot-form")
    official.fill("#id_title", "Bewoners beheren het groen")
    official.fill("#id_goal", "Bewoners beheren zelf het groen in hun straat.")
    official.get_by_label("Dorst-Zuid (Dorst)").check()
    official.fill("#id_starts_on", (today - datetime.timedelta(days=10)).isoformat())
    official.fill("#id_ends_on", (today - datetime.timedelta(days=20)).isoformat())
    official.get_by_label("Bram Makelaar").check()
    official.fill("#id_people", "Bewoners van de Kerkstraat")
    official.select_option("#id_status", "running")
    official.get_by_role("button", name="Pilot starten").click()
    expect(official.locator(".error-summary, .utrecht-alert").first).to_contain_text(
        "De pilot moet eindigen na de start."
    )
    assert not Pilot.objects.exists()
    check(official, "pilot-form-error")
    official.fill("#id_ends_on", (today + datetime.timedelta(days=180)).isoformat())
    official.get_by_role("button", name="Pilot starten").click()
    expect(official.locator("h1")).to_have_text("Bewoners beheren het groen")
    check(official, "pilot-official")
    pilot = Pilot.objects.get()

    # 2. ... and records a lesson seen from the municipality.
    official.get_by_role("link", name="Leerpunt vastleggen").click()
    check(official, "lesson-form")
    official.get_by_label("gezien vanuit de gemeente").check()
    official.fill("#id_title", "Vraag eerst de buren")
    official.fill("#id_text", "Een plan dat de buren al kennen, loopt beter.")
    official.fill("#id_tags", "Participatie, groen")
    official.get_by_role("button", name="Leerpunt vastleggen").click()
    expect(official.locator("h1")).to_have_text("Bewoners beheren het groen")
    expect(official.locator("#municipality-heading + ul")).to_contain_text("Vraag eerst de buren")

    # 3. A resident of Dorst-Zuid shares what she learned, on a phone.
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, base, cast.applicant.email)
    page.goto(f"{base}/leren/pilots/{pilot.pk}/")
    check(page, "pilot-phone")
    page.get_by_role("link", name="Deel wat je geleerd hebt").click()
    check(page, "send-form-phone")
    page.fill("#id_title", "Samen snoeien werkt")
    page.fill("#id_text", "Op zaterdag kwamen twaalf buren helpen. <script>x</script>")
    page.get_by_role("button", name="Leerpunt insturen").click()
    expect(page.locator(".error-summary, .utrecht-alert").first).to_contain_text(
        "Schrijf gewone tekst, zonder HTML"
    )
    check(page, "send-form-error-phone")
    page.fill("#id_text", "Op zaterdag kwamen twaalf buren helpen.")
    page.get_by_role("button", name="Leerpunt insturen").click()
    expect(page.locator("h1")).to_have_text("Samen snoeien werkt")
    expect(page.locator(".utrecht-alert--info")).to_contain_text("wacht tot een medewerker")
    check(page, "lesson-pending-phone")
    sent = Lesson.objects.get(title="Samen snoeien werkt")
    assert sent.status == LessonStatus.PENDING

    # 4. The broker approves it from the queue; the resident gets the mail.
    official.get_by_role("link", name="Leerpunten beoordelen").first.click()
    expect(official.locator("h1")).to_have_text("Leerpunten beoordelen")
    check(official, "moderation")
    official.get_by_role("link", name="“Samen snoeien werkt” goedkeuren of afwijzen").click()
    check(official, "moderate")
    official.get_by_label("Het leerpunt publiceren").check()
    official.get_by_role("button", name="Besluit opslaan").click()
    expect(official.locator("body")).to_contain_text("Er wachten geen leerpunten.")
    [mail] = wait_for_mails(smtp_server, cast.applicant.email, 1)
    assert "Samen snoeien werkt" in mail["Subject"]
    assert Lesson.objects.get(pk=sent.pk).status == LessonStatus.PUBLISHED

    # 5. The pilot page: both perspectives side by side on a wide screen, stacked on a phone.
    official.goto(f"{base}/leren/pilots/{pilot.pk}/")
    municipality = official.locator("#municipality-heading")
    residents = official.locator("#residents-heading")
    expect(municipality).to_have_text("Gemeente")
    expect(residents).to_have_text("Bewoners")
    expect(official.locator("#residents-heading + ul")).to_contain_text("Samen snoeien werkt")
    left, right = municipality.bounding_box(), residents.bounding_box()
    assert left and right and left["x"] + left["width"] < right["x"]
    assert abs(left["y"] - right["y"]) < 2
    check(official, "pilot-both-sides")
    page.goto(f"{base}/leren/pilots/{pilot.pk}/")
    top, below = (
        page.locator("#municipality-heading").bounding_box(),
        page.locator("#residents-heading").bounding_box(),
    )
    assert top and below and below["y"] > top["y"] + top["height"]
    assert abs(top["x"] - below["x"]) < 2
    check(page, "pilot-both-sides-phone")

    # 6. The lessons list finds the lesson by its tag.
    page.goto(f"{base}/leren/leerpunten/?tag=participatie")
    expect(page.get_by_role("heading", name="1 leerpunt")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Vraag eerst de buren")
    check(page, "lessons-phone")
    page.goto(f"{base}/leren/leerpunten/{sent.pk}/")
    check(page, "lesson-phone")
