"""The events' pages: the event page in Dutch, signing up with and without an account (the mails
over SMTP), the calendar files read back with `icalendar`, the organiser's forms with bad input,
the sign-ups list for organisers only, and the area panel's query budget."""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijkwerk.events import services
from wijkwerk.events.models import Event, Rsvp

from ..cast import Cast
from .factories import at, make_event, past_event

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def fixed_event(cast: Cast, **overrides: Any) -> Event:
    """Thursday 10 December 2026, 19:30–21:00 (moved there after it was made)."""
    event = make_event(cast.district, **overrides)
    start = datetime.datetime(2026, 12, 10, 19, 30, tzinfo=AMSTERDAM)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(minutes=90)
    )
    event.refresh_from_db()
    return event


def test_the_event_page_says_when_in_dutch(cast: Cast, client: Client) -> None:
    event = fixed_event(cast, capacity=20)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Donderdag 10 december 2026, 19:30–21:00" in page
    assert "0 van 20 plaatsen bezet" in page
    assert (
        'href="https://www.openstreetmap.org/search?query=Dorpsstraat+1%2C+Dorst%2C+Oosterhout"'
        in page
    )
    assert f'action="/bijeenkomsten/{event.pk}/aanmelden/"' in page


def test_a_map_point_links_to_it(cast: Cast, client: Client) -> None:
    event = make_event(cast.district, latitude=51.6, longitude=4.86)
    page = client.get(event.get_absolute_url()).content.decode()
    assert (
        "https://www.openstreetmap.org/?mlat=51.600000&amp;mlon=4.860000#map=18/51.600000/4.860000"
        in page
    )


def test_a_resident_signs_up_with_one_click_and_gets_a_mail(
    cast: Cast, client: Client, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = fixed_event(cast, capacity=1)
    login(client, cast.neighbour)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:rsvp", args=[event.pk]), follow=True)
    assert (
        "Je bent aangemeld. We stuurden je een bevestiging per e-mail." in response.content.decode()
    )
    assert "Meld me af" in response.content.decode()
    mails = smtp_server.to(cast.neighbour.email)
    assert [m["Subject"] for m in mails] == ["[wijkwerk] Je bent aangemeld voor “Buurtavond”"]
    body = smtp_server.body(mails[0])
    assert (
        "Je bent aangemeld voor “Buurtavond”: donderdag 10 december 2026, 19:30–21:00, "
        "Dorpshuis De Kroon." in body
    )
    # the next one waits, and is told their place
    login(client, cast.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:rsvp", args=[event.pk]), follow=True)
    page = response.content.decode()
    assert "De bijeenkomst is vol. Je staat op de wachtlijst, als nummer 1." in page
    waiting = smtp_server.to(cast.applicant.email)
    assert waiting[0]["Subject"] == "[wijkwerk] Je staat op de wachtlijst voor “Buurtavond”"
    # the first cancels: the second moves up and hears so
    login(client, cast.neighbour)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:rsvp_cancel", args=[event.pk]))
    moved = smtp_server.to(cast.applicant.email)
    # (a long subject is folded over two header lines)
    assert (
        " ".join(moved[-1]["Subject"].split())
        == "[wijkwerk] Er kwam een plaats vrij: je bent aangemeld voor “Buurtavond”"
    )


def test_without_an_account_the_mailed_link_confirms_and_cancels(
    cast: Cast, client: Client, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(cast.district, capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:rsvp", args=[event.pk]),
            {"name": "Piet Zonder Account", "email": "piet@example.org"},
            follow=True,
        )
    assert "Bijna klaar: we stuurden je een e-mail." in response.content.decode()
    assert Rsvp.objects.get().status == "pending"
    mail = smtp_server.to("piet@example.org")[0]
    assert mail["Subject"] == "[wijkwerk] Bevestig je aanmelding voor “Buurtavond”"
    link = re.search(r"http://\S+/bijeenkomsten/aanmelding/\S+/", smtp_server.body(mail))
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path).content.decode()
    assert "Aangemeld als Piet Zonder Account." in page
    assert Rsvp.objects.get().status == "pending"  # opening the link confirms nothing
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/" + path, {"action": "confirm"}, follow=True).content.decode()
    assert "Dank je: je aanmelding is bevestigd." in page
    assert Rsvp.objects.get().status == "going"
    confirmed = smtp_server.to("piet@example.org")[-1]
    assert confirmed["Subject"] == "[wijkwerk] Je bent aangemeld voor “Buurtavond”"
    assert "Meld je af met de link hieronder" in smtp_server.body(confirmed)
    page = client.post("/" + path, {"action": "cancel"}, follow=True).content.decode()
    assert "Je bent afgemeld." in page
    assert Rsvp.objects.get().status == "cancelled"
    assert client.get("/bijeenkomsten/aanmelding/nep:token/").status_code == 404


def test_bad_sign_up_input_gets_a_message_not_an_error(cast: Cast, client: Client) -> None:
    event = make_event(cast.district)
    response = client.post(
        reverse("events:rsvp", args=[event.pk]), {"name": "x" * 151, "email": "geen-adres"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Voer een geldig e-mailadres in." in page
    assert (
        "Je naam: Zorg dat deze waarde niet meer dan 150 tekens bevat (het zijn er nu 151)." in page
    )
    assert not Rsvp.objects.exists()
    held = past_event(cast.district)
    login(client, cast.neighbour)
    response = client.post(reverse("events:rsvp", args=[held.pk]), follow=True)
    assert (
        "Deze bijeenkomst is al begonnen of voorbij: je kunt je niet meer aanmelden."
        in response.content.decode()
    )


def test_the_ics_file_reads_back(cast: Cast, client: Client) -> None:
    event = fixed_event(cast)
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    (item,) = calendar.walk("VEVENT")
    assert str(item["SUMMARY"]) == "Buurtavond"
    assert str(item["UID"]) == f"{event.uid}@wijkwerk"
    assert item["SEQUENCE"] == 0
    assert item.decoded("DTSTART") == datetime.datetime(2026, 12, 10, 19, 30, tzinfo=AMSTERDAM)
    assert item["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert item.decoded("DTEND") == datetime.datetime(2026, 12, 10, 21, 0, tzinfo=AMSTERDAM)
    assert str(item["LOCATION"]) == "Dorpshuis De Kroon, Dorpsstraat 1, Dorst"
    assert str(item["URL"]) == f"http://testserver{event.get_absolute_url()}".replace(
        "http://testserver", services.notifications.base_url()
    )
    assert str(item["STATUS"]) == "CONFIRMED"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    services.event_cancel(actor=cast.broker, event=event, reason="Zaal dicht")
    again = icalendar.Calendar.from_ical(client.get(reverse("events:ics", args=[event.pk])).content)
    (item,) = again.walk("VEVENT")
    assert str(item["STATUS"]) == "CANCELLED"
    assert item["SEQUENCE"] == 1


def test_the_area_feed_has_its_public_events_coming_and_recent(cast: Cast, client: Client) -> None:
    coming = make_event(cast.district, title="Komend")
    in_neighbourhood = make_event(cast.neighbourhood, title="In de buurt", days=3)
    recent = past_event(cast.district, title="Net geweest")
    old = past_event(cast.district, title="Lang geleden", days_ago=200)
    make_event(cast.other_district, title="Elders")
    from wijkwerk.areas.models import CouncilMembership

    CouncilMembership.objects.filter(user=cast.council_member).update(position="chair")
    make_event(
        cast.district,
        title="Besloten",
        council=cast.council,
        kind="council_meeting",
        is_public=False,
    )
    url = reverse("events:area_feed", args=["oosterhout", cast.district.slug])
    calendar = icalendar.Calendar.from_ical(client.get(url).content)
    titles = [str(item["SUMMARY"]) for item in calendar.walk("VEVENT")]
    assert titles == ["Net geweest", "In de buurt", "Komend"]
    assert str(calendar["X-WR-CALNAME"]) == "Bijeenkomsten in Dorst"
    assert old.pk and coming.pk and in_neighbourhood.pk and recent.pk


def test_the_area_list_shows_coming_and_past(cast: Cast, client: Client) -> None:
    make_event(cast.district, title="Komend", capacity=1)
    held = past_event(cast.district, title="Geweest")
    services.attendance_record(actor=cast.broker, event=held, count=14)
    page = client.get(
        reverse("events:area", args=["oosterhout", cast.district.slug])
    ).content.decode()
    coming, past = page.split('id="past-heading"')
    assert "Komend" in coming and "0 van 1 plaatsen bezet" in coming
    assert "Geweest" in past and "14 mensen waren er" in past
    assert "Kondig een bijeenkomst aan" not in page


def test_an_official_announces_an_event_with_the_form(cast: Cast, client: Client) -> None:
    login(client, cast.broker)
    url = reverse("events:create", args=["oosterhout", cast.district.slug])
    start = at(20)
    form = {
        "organiser": "municipality",
        "title": "Snoeimiddag",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "place_name": "Het plein",
        "capacity": "0",
        "rsvp_enabled": "on",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "De bijeenkomst moet eindigen na het begin." in page
    assert "Het aantal plaatsen moet minstens 1 zijn. Laat het leeg voor geen grens." in page
    assert not Event.objects.exists()
    form |= {
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "2",
    }
    response = client.post(url, form)
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.capacity == 2 and event.council is None
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == start.strftime("%H:%M")


def test_the_sign_ups_list_shows_addresses_to_organisers_only(cast: Cast, client: Client) -> None:
    event = make_event(cast.district, capacity=1)
    services.rsvp_sign_up(actor=cast.neighbour, event=event)
    services.rsvp_request(event=event, name="Piet", email="piet@example.org")
    url = reverse("events:rsvps", args=[event.pk])
    page = login(client, cast.broker).get(url).content.decode()
    assert cast.neighbour.email in page and "piet@example.org" in page
    assert login(client, cast.neighbour).get(url).status_code == 403
    client.logout()
    public = client.get(event.get_absolute_url()).content.decode()
    assert "piet@example.org" not in public and "Piet" not in public


def test_the_area_panel_lists_the_coming_events(
    cast: Cast, client: Client, django_assert_max_num_queries: Any
) -> None:
    from wijkwerk.core.panels import panels

    for n in range(4):
        make_event(cast.district, title=f"Avond {n}", days=n + 1)
    panel = next(p for p in panels("area") if p.name == "events")
    with django_assert_max_num_queries(1):
        context = panel.context(None, area=cast.district)
    assert context is not None
    assert [e.title for e in context["events"]] == ["Avond 0", "Avond 1", "Avond 2", "Avond 3"]
    page = client.get(cast.district.get_absolute_url()).content.decode()
    assert "Komende bijeenkomsten" in page and "Avond 0" in page


def test_an_event_that_is_over_says_so_without_sign_up_or_calendar(
    cast: Cast, client: Client
) -> None:
    event = past_event(cast.district, capacity=20)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>Deze bijeenkomst is voorbij.</strong>" in page
    assert "Meld je aan" not in page
    assert reverse("events:ics", args=[event.pk]) not in page
    assert f'action="/bijeenkomsten/{event.pk}/aanmelden/"' not in page
