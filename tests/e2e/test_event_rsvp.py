"""An event with more sign-ups than places, in headless Chromium on a 375 px phone.

The broker of Dorst (logged in with a TOTP code) announces an event with 2 places. A resident
signs up with one click; someone without an account gives a name and an address, gets the mail
from the local SMTP server and confirms with its link; a third resident finds the event full and
goes on the waiting list as number 1. The first cancels, and the third moves up (the page says so
and the mail comes). The organiser's list shows who has a place. The event's .ics is downloaded
and read with `icalendar`: summary, start, location and UID. axe and the 375 px width are checked
on every page.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.conftest import SmtpServer
from tests.shots import shot
from wijkwerk.events.models import Event, Rsvp

from .test_initiative_journey import log_in, wait_for_mails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 375, "height": 800}


def phone(browser: Browser) -> BrowserContext:
    return browser.new_context(locale="nl-NL", viewport=PHONE, accept_downloads=True)


def checked(page: Page, name: str) -> None:
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    assert_accessible(page)
    shot(page, f"events-{name}")


def test_an_event_fills_up_and_the_waiting_list_moves(
    live_server: Any, browser: Browser, smtp_server: SmtpServer, tmp_path: Any
) -> None:
    base = live_server.url
    cast = build_cast()
    area_url = f"{base}/bijeenkomsten/gebied/oosterhout/{cast.district.slug}/"
    day = timezone.localdate() + datetime.timedelta(days=9)
    start = datetime.datetime.combine(day, datetime.time(19, 30))

    # the broker announces the event
    broker = phone(browser).new_page()
    log_in(broker, base, cast.broker.email, totp=True)
    broker.goto(area_url)
    checked(broker, "area-list")
    broker.get_by_role("link", name="Kondig een bijeenkomst aan").click()
    checked(broker, "form")
    broker.get_by_label("Georganiseerd door").select_option(label="De gemeente")
    broker.get_by_label("Titel").fill("Buurtavond over de speeltuin")
    broker.get_by_label("Begint").fill(start.strftime("%Y-%m-%dT%H:%M"))
    broker.get_by_label("Eindigt").fill(start.replace(hour=21).strftime("%Y-%m-%dT%H:%M"))
    broker.locator("#id_place_name").fill("Dorpshuis De Kroon")
    broker.locator("#id_address").fill("Dorpsstraat 1, Dorst")
    broker.get_by_label("Aantal plaatsen").fill("2")
    broker.get_by_role("button", name="Kondig de bijeenkomst aan").click()
    expect(broker.get_by_text("De bijeenkomst is aangekondigd.")).to_be_visible()
    event = Event.objects.get()
    assert (event.title, event.capacity, event.created_by_id) == (
        "Buurtavond over de speeltuin",
        2,
        cast.broker.pk,
    )
    event_url = f"{base}{event.get_absolute_url()}"
    checked(broker, "detail-organiser")

    # a resident signs up with one click
    first = phone(browser).new_page()
    log_in(first, base, cast.neighbour.email)
    first.goto(event_url)
    checked(first, "detail-resident")
    first.get_by_role("button", name="Meld je aan").click()
    expect(first.get_by_text("Je bent aangemeld. We stuurden je een bevestiging")).to_be_visible()
    checked(first, "detail-signed-up")

    # someone without an account: a name, an address, and the link in the mail
    guest = phone(browser).new_page()
    guest.goto(event_url)
    guest.get_by_label("Je naam").fill("Piet Zonder Account")
    guest.get_by_label("Je e-mailadres").fill("piet@example.org")
    guest.get_by_role("button", name="Meld je aan").click()
    expect(guest.get_by_text("Bijna klaar: we stuurden je een e-mail.")).to_be_visible()
    checked(guest, "detail-guest")
    (mail,) = wait_for_mails(smtp_server, "piet@example.org", 1)
    assert " ".join(mail["Subject"].split()) == (
        "[wijkwerk] Bevestig je aanmelding voor “Buurtavond over de speeltuin”"
    )
    link = re.search(r"https?://\S+/bijeenkomsten/aanmelding/\S+/", smtp_server.body(mail))
    assert link is not None
    guest.goto(base + "/" + link.group(0).split("://", 1)[1].split("/", 1)[1])
    checked(guest, "rsvp-confirm")
    guest.get_by_role("button", name="Bevestig mijn aanmelding").click()
    expect(guest.get_by_text("Dank je: je aanmelding is bevestigd.")).to_be_visible()
    checked(guest, "rsvp-confirmed")
    assert sorted(Rsvp.objects.values_list("status", flat=True)) == ["going", "going"]

    # the third finds the event full and waits
    third = phone(browser).new_page()
    log_in(third, base, cast.applicant.email)
    third.goto(event_url)
    expect(third.get_by_text("2 van 2 plaatsen bezet")).to_be_visible()
    third.get_by_role("button", name="Zet me op de wachtlijst").click()
    expect(third.get_by_text("Je staat op de wachtlijst, als nummer 1.").first).to_be_visible()
    checked(third, "detail-waiting")

    # the organiser's list
    broker.goto(f"{event_url}aanmeldingen/")
    checked(broker, "rsvps")
    expect(broker.get_by_text("piet@example.org")).to_be_visible()
    expect(broker.get_by_role("heading", name="Wachtlijst (1)")).to_be_visible()

    # the first cancels: the third moves up
    first.goto(event_url)
    first.get_by_role("button", name="Meld me af").click()
    expect(first.get_by_text("Je bent afgemeld.")).to_be_visible()
    checked(first, "detail-cancelled")
    moved = wait_for_mails(smtp_server, cast.applicant.email, 2)
    assert " ".join(moved[-1]["Subject"].split()) == (
        "[wijkwerk] Er kwam een plaats vrij: je bent aangemeld voor “Buurtavond over de speeltuin”"
    )
    third.goto(event_url)
    expect(third.get_by_text("Je bent aangemeld.", exact=True)).to_be_visible()
    statuses = dict(Rsvp.objects.values_list("user_id", "status"))
    assert statuses[cast.applicant.pk] == "going"
    assert statuses[cast.neighbour.pk] == "cancelled"

    # the calendar file, read back
    with third.expect_download() as download:
        third.get_by_role("link", name="Zet in je agenda (.ics)").click()
    path = tmp_path / "event.ics"
    download.value.save_as(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    (item,) = calendar.walk("VEVENT")
    assert str(item["SUMMARY"]) == "Buurtavond over de speeltuin"
    assert item.decoded("DTSTART") == start.replace(tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert str(item["LOCATION"]) == "Dorpshuis De Kroon, Dorpsstraat 1, Dorst"
    assert str(item["UID"]) == f"{event.uid}@wijkwerk"
