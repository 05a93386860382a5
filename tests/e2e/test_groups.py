"""Resident groups in headless Chromium, axe on every new page.

A resident of Dorst-Zuid founds a group on a phone (375 px): a moestuin that takes members on
request. A neighbour asks to join with a message; the founder (the group's contact) gets the
mail, accepts on the group's page to run it, and the neighbour gets the answer and sees the
group's page as a member. The group submits an initiative (the contact, on behalf of the group)
and the contact announces an event of the group with the events' form, reached from the group
page; the group page lists both. The group's list, contact form and leave page pass axe too.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.conftest import SmtpServer
from tests.e2e.test_initiative_journey import log_in, wait_for_mails
from tests.shots import shot
from wijkwerk.areas.models import GroupMembership, GroupRole, ResidentGroup
from wijkwerk.events.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page: Page, name: str) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name} scrolls sideways ({width} px)"
    shot(page, f"groups-{name}")


def test_a_group_is_founded_joined_and_submits_an_initiative_and_an_event(
    live_server: Any, browser: Browser, smtp_server: SmtpServer
) -> None:
    base = live_server.url
    cast = build_cast()
    founder, neighbour = cast.applicant, cast.neighbour
    phone = browser.new_context(locale="nl-NL", viewport={"width": 375, "height": 800})
    page = phone.new_page()

    # 1. The founder starts a group on her phone.
    log_in(page, base, founder.email)
    page.goto(f"{base}/groepen/nieuw/")
    check(page, "create")
    page.fill("#id_name", "Moestuin Dorst-Zuid")
    page.get_by_label("Gebied").select_option(str(cast.neighbourhood.pk))
    page.fill("#id_interest", "groen")
    page.fill("#id_description", "Samen tuinieren achter de school, iedere zaterdag.")
    page.get_by_label("op verzoek: de contactpersonen beslissen").check()
    page.get_by_role("button", name="Begin de groep").click()
    expect(page.locator(".utrecht-alert, [role=status], .messages").first).to_contain_text(
        "Je groep is opgericht"
    )
    group = ResidentGroup.objects.get(name="Moestuin Dorst-Zuid")
    assert page.url.endswith(f"/groepen/{group.pk}/")
    check(page, "detail-founder")
    expect(page.get_by_text("Je bent lid van deze groep (contactpersoon).")).to_be_visible()

    # 2. A neighbour asks to join, in a browser of his own.
    other = browser.new_context(locale="nl-NL").new_page()
    log_in(other, base, neighbour.email)
    other.goto(f"{base}/groepen/{group.pk}/")
    check(other, "detail-visitor")
    other.get_by_label("Bericht aan de contactpersonen").fill("Ik heb een schoffel en tijd.")
    other.get_by_role("button", name="Vraag om lid te worden").click()
    expect(other.get_by_text("Je verzoek is verstuurd.")).to_be_visible()
    [asked] = wait_for_mails(smtp_server, founder.email, 1)
    assert "Niels" in smtp_server.body(asked) or neighbour.display_name in smtp_server.body(asked)

    # 3. The founder accepts on the page to run the group.
    page.goto(f"{base}/groepen/{group.pk}/")
    page.get_by_role("link", name="Groep beheren").click()
    check(page, "manage")
    expect(page.get_by_text("Ik heb een schoffel en tijd.")).to_be_visible()
    page.get_by_role("button", name=f"Aannemen {neighbour.display_name}").click()
    expect(page.get_by_text(f"{neighbour.display_name} is nu lid.")).to_be_visible()
    [answer] = wait_for_mails(smtp_server, neighbour.email, 1)
    assert "is geaccepteerd" in smtp_server.body(answer)
    other.goto(f"{base}/groepen/{group.pk}/")
    expect(other.get_by_text("Je bent lid van deze groep (lid).")).to_be_visible()
    check(other, "detail-member")
    assert GroupMembership.objects.get(group=group, user=neighbour).role == GroupRole.MEMBER

    # 4. The group submits an initiative (its contact, on behalf of the group).
    initiative = cast.submitted(
        title="Moestuinbakken bij de school",
        applicant_kind="group",
        resident_group=group,
    )
    assert initiative.resident_group == group

    # 5. The contact announces an event of the group, from the group page.
    page.goto(f"{base}/groepen/{group.pk}/")
    page.get_by_role("link", name="Kondig een bijeenkomst van de groep aan").click()
    page.get_by_label("Georganiseerd door").select_option(f"group:{group.pk}")
    start = timezone.localtime() + datetime.timedelta(days=10)
    page.fill("#id_title", "Zaaidag in de moestuin")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT10:00"))
    page.fill("#id_ends_at", start.strftime("%Y-%m-%dT13:00"))
    page.fill("#id_place_name", "De moestuin achter de school")
    page.get_by_role("button", name="Kondig de bijeenkomst aan").click()
    event = Event.objects.get(title="Zaaidag in de moestuin")
    assert event.group == group

    # 6. The group page lists both.
    page.goto(f"{base}/groepen/{group.pk}/")
    expect(page.get_by_role("link", name="Moestuinbakken bij de school")).to_be_visible()
    expect(page.get_by_role("link", name="Zaaidag in de moestuin")).to_be_visible()
    check(page, "detail-with-activity")

    # 7. The other new pages: the area's list, the contact form, leaving.
    page.goto(f"{base}/groepen/oosterhout/{cast.district.slug}/")
    expect(page.get_by_role("link", name="Moestuin Dorst-Zuid")).to_be_visible()
    check(page, "area-list")
    page.goto(f"{base}/groepen/oosterhout/")
    check(page, "municipality-list")
    other.goto(f"{base}/groepen/{group.pk}/contact/")
    check(other, "contact")
    other.goto(f"{base}/groepen/{group.pk}/verlaten/")
    check(other, "leave")
    page.goto(f"{base}/groepen/{group.pk}/opheffen/")
    check(page, "dissolve")
    page.goto(f"{base}/groepen/{group.pk}/wijzigen/")
    check(page, "edit")
