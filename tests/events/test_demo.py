"""The demo's events (src/wijkwerk/demo/events.py): coming ones with sign-ups, a full one with a
waiting list, held ones with their attendance, in Dorst and Lith; loading again adds nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from wijkwerk.demo.areas import load_demo
from wijkwerk.demo.events import load_demo_events
from wijkwerk.events.models import Event, Rsvp

pytestmark = pytest.mark.django_db


def test_the_demo_events(client: Client) -> None:
    load_demo()
    summary = load_demo_events()
    assert (summary.events, summary.rsvps) == (5, 19)
    full = Event.objects.get(title="Kookworkshop: koken voor je buren")
    statuses = list(full.rsvps.order_by("queued_at", "pk").values_list("status", flat=True))
    assert statuses == ["going"] * 4 + ["waiting"] * 2
    held = Event.objects.get(title="Opschoonochtend Dorst")
    assert held.attendance_count == 17
    assert held.rsvps.filter(attended=True).count() == 3
    lith = Event.objects.get(title="Wandeling langs de dorpsommetjes")
    assert (lith.area.slug, lith.area.municipality.name, lith.attendance_count) == (
        "lith",
        "Oss",
        9,
    )
    guests = Rsvp.objects.filter(user__isnull=True)
    assert sorted(guests.values_list("status", flat=True)) == ["going", "going"]
    assert load_demo_events().events == 0
    assert Event.objects.count() == 5
    for event in Event.objects.all():
        assert client.get(event.get_absolute_url()).status_code == 200
    page = client.get("/bijeenkomsten/gebied/oosterhout/dorst/").content.decode()
    assert "Vol: wachtlijst" in page and "17 mensen waren er" in page
