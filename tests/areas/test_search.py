"""The area search as residents know their area: by postcode, street and with a typo.

Every test here runs on SQLite and on PostgreSQL (`./dev test` runs both) with the same
expected results: the typo search is trigram similarity, pg_trgm's on PostgreSQL and the same
measure in Python on SQLite (`wijkwerk.core.similarity`)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.areas.factories import NeighbourhoodFactory
from tests.cast import Cast
from wijkwerk.areas.models import Area, PostcodeArea
from wijkwerk.areas.selectors import Match, area_search, normalise_postcode
from wijkwerk.core.similarity import Similarity, similarity, trigrams

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(cast: Cast) -> dict[str, Area]:
    """Dorst with two neighbourhoods, Dorst-Zuid and Dorst-Centrum; the Kerkstraat runs through
    both. Slotjes-West lies in Slotjes."""
    centrum = NeighbourhoodFactory(
        parent=cast.district, name="Dorst-Centrum", slug="dorst-centrum", cbs_code="BU08261300"
    )
    west = NeighbourhoodFactory(
        parent=cast.other_district, name="Slotjes-West", slug="slotjes-west", cbs_code="BU08260102"
    )
    rows = [
        ("4849AB", "Kerkstraat", cast.neighbourhood),
        ("4849AC", "Kerkstraat", centrum),
        ("4849AD", "Molenstraat", centrum),
        ("4903KL", "Slotjesveld", west),
        ("4903KM", "Kerkstraat-Noord", west),
    ]
    for postcode, street, area in rows:
        PostcodeArea.objects.create(postcode=postcode, street=street, area=area, year=2026)
    return {"zuid": cast.neighbourhood, "centrum": centrum, "west": west}


def names(query: str) -> list[str]:
    return [area.name for area in area_search(query)]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("5051", "5051"),
        ("5051 AB", "5051AB"),
        ("5051AB", "5051AB"),
        ("5051ab", "5051AB"),
        (" 5051  ab ", "5051AB"),
        ("5051 a", "5051A"),
        ("0512 AB", None),
        ("505", None),
        ("5051 ABC", None),
        ("Kerkstraat", None),
    ],
)
def test_postcodes_are_read_as_residents_write_them(typed: str, stored: str | None) -> None:
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("query", ["4849AB", "4849 AB", "4849ab", "4849 ab"])
def test_a_full_postcode_finds_its_neighbourhood(places, query: str) -> None:
    found = area_search(query)
    assert [area.name for area in found] == ["Dorst-Zuid"]
    assert found[0].match == Match.POSTCODE


def test_the_digits_of_a_postcode_find_every_neighbourhood_they_reach(places) -> None:
    assert names("4849") == ["Dorst-Centrum", "Dorst-Zuid"]
    assert names("4849 A") == ["Dorst-Centrum", "Dorst-Zuid"]
    assert names("4903") == ["Slotjes-West"]
    assert names("4849 AZ") == []
    assert names("1234") == []


def test_a_street_finds_all_the_neighbourhoods_it_runs_through(places) -> None:
    found = area_search("Kerkstraat")
    # Kerkstraat lies in Dorst-Centrum and Dorst-Zuid; Kerkstraat-Noord (Slotjes-West) starts
    # with it too, as "kerkstr" finds all three.
    assert [area.name for area in found] == ["Dorst-Centrum", "Dorst-Zuid", "Slotjes-West"]
    assert {area.match for area in found} == {Match.STREET}
    assert names("kerkstr") == ["Dorst-Centrum", "Dorst-Zuid", "Slotjes-West"]
    assert names("MOLENSTRAAT") == ["Dorst-Centrum"]
    assert names("Veldstraat") == []


def test_a_typo_finds_the_name_meant(places) -> None:
    found = area_search("Dorts")
    assert found[0].name == "Dorst"
    assert found[0].match == Match.SIMILAR
    assert names("Slotje")[:2] == ["Slotjes", "Slotjes-West"]
    assert names("Slotjs") == ["Slotjes", "Slotjes-West"]
    assert names("Lihh") == []
    assert names("Atlantis") == []


def test_the_order_is_best_match_first(places) -> None:
    # names that start with the query, then names that contain it, then names alike
    assert names("Dorst") == ["Dorst", "Dorst-Zuid", "Dorst-Centrum"]
    assert [a.match for a in area_search("Dorst")] == [Match.NAME_START] * 3
    assert names("Zuid") == ["Dorst-Zuid"]
    assert names("west") == ["Slotjes-West"]


def test_the_home_page_says_how_each_area_was_found(client: Client, places) -> None:
    html = client.get(reverse("site:home"), {"q": "4849 ab"}).content.decode()
    assert ">Dorst-Zuid</a>" in html
    assert "postcode 4849 AB" in html
    html = client.get(reverse("site:home"), {"q": "kerkstraat"}).content.decode()
    assert "3 gebieden gevonden." in html
    assert "straat Kerkstraat" in html
    html = client.get(reverse("site:home"), {"q": "Dorts"}).content.decode()
    assert ">Dorst</a>" in html
    assert "lijkt op ‘Dorts’" in html


PAIRS = [
    ("Dorts", "Dorst"),
    ("Slotje", "Slotjes"),
    ("Slotje", "Slotjes-West"),
    ("dorst", "Buitengebied Dorst-Zuid"),
    ("'t Wild", "Wild"),
    ("Oss Centrum / Krinkelhoek", "centrum"),
    ("Zeeheldenbuurt II", "zeeheldenbuurt 2"),
    ("100% Groen", "groen"),
    ("a", "ab"),
    ("%", "Dorst"),
    ("", ""),
    ("Megen, Haren en Macharen", "Haren"),
]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_the_python_measure_is_pg_trgm(a: str, b: str) -> None:
    """On PostgreSQL: the Python measure (SQLite's) equals pg_trgm's, piece for piece. On SQLite:
    the registered function gives the Python measure in SQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT similarity(%s, %s), show_trgm(%s)", [a, b, a])
            database, pieces = cursor.fetchone()
            assert set(pieces) == trigrams(a)
        else:
            cursor.execute("SELECT wijkwerk_similarity(%s, %s)", [a, b])
            (database,) = cursor.fetchone()
    assert database == similarity(a, b)


def test_the_expression_scores_as_the_python_measure(places) -> None:
    scored = Area.objects.annotate(score=Similarity("name", "Dorst-Zuud")).order_by("pk")
    assert [(a.name, a.score) for a in scored] == [
        (a.name, similarity(a.name, "Dorst-Zuud")) for a in scored
    ]
    assert any(a.score > 0.5 for a in scored)
