"""The list's map: markers for the public initiatives on the page that have a place; the list
stays the alternative."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

DORST = {"latitude": Decimal("51.590100"), "longitude": Decimal("4.858200")}


def map_data(html: str) -> list | None:
    match = re.search(
        r'<script id="initiatives-map-data" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(match.group(1)) if match else None


def test_markers_for_public_initiatives_with_a_place_only(cast):
    shown = cast.submitted(title="Moestuin bij de kerk", **DORST)
    cast.submitted(title="Bankjes zonder plek")
    cast.draft(title="Concept met plek", **DORST)
    cast.submitted(title="Niet openbaar", consent_to_publish=False, **DORST)
    html = Client().get(reverse("initiatives:list")).content.decode()
    assert map_data(html) == [
        {
            "title": "Moestuin bij de kerk",
            "url": shown.get_absolute_url(),
            "lat": 51.5901,
            "lng": 4.8582,
        }
    ]
    # the list has them all, the map is hidden until its script drew it
    assert "Bankjes zonder plek" in html and "Moestuin bij de kerk" in html
    assert 'id="initiatives-map" hidden' in html
    assert re.search(r'<script src="[^"]*leaflet\.js" nonce="[^"]+" defer>', html)
    assert re.search(r'<script src="[^"]*initiatives-map\.js" nonce="[^"]+" defer>', html)
    assert "De kaart toont de initiatieven op deze pagina die een plek hebben" in html


def test_the_map_follows_the_search(cast):
    cast.submitted(title="Moestuin bij de kerk", **DORST)
    cast.submitted(title="Speeltuin", latitude=Decimal("51.6"), longitude=Decimal("4.87"))
    html = Client().get(reverse("initiatives:list"), {"q": "speeltuin"}).content.decode()
    assert [point["title"] for point in map_data(html)] == ["Speeltuin"]


def test_the_map_shows_the_page_the_list_shows(cast, monkeypatch):
    monkeypatch.setattr("wijkwerk.initiatives.selectors.PAGE_SIZE", 2)
    for n in range(3):
        cast.submitted(title=f"Plek {n}", latitude=Decimal("51.59"), longitude=Decimal("4.86"))
    first = Client().get(reverse("initiatives:list")).content.decode()
    second = Client().get(reverse("initiatives:list"), {"page": 2}).content.decode()
    assert [point["title"] for point in map_data(first)] == ["Plek 2", "Plek 1"]
    assert [point["title"] for point in map_data(second)] == ["Plek 0"]


def test_no_map_without_places(cast):
    cast.submitted(title="Bankjes zonder plek")
    html = Client().get(reverse("initiatives:list")).content.decode()
    assert map_data(html) is None
    assert "leaflet" not in html
