"""The demo's postcode table: residents of the demo find their area by postcode and street."""

from __future__ import annotations

import pytest

from wijkwerk.areas.models import PostcodeArea
from wijkwerk.areas.selectors import area_search
from wijkwerk.demo.areas import load_demo

pytestmark = pytest.mark.django_db


def names(query: str) -> list[str]:
    return [area.name for area in area_search(query)]


def test_the_demo_finds_areas_by_postcode_street_and_typo() -> None:
    load_demo()
    assert PostcodeArea.objects.filter(area__municipality__slug="oosterhout").count() > 10
    assert PostcodeArea.objects.filter(area__municipality__slug="oss").count() > 10
    assert names("4849 AB") == ["Dorst"]
    assert names("4849pa") == ["Buitengebied Dorst-Zuid"]
    # the Kerkstraat runs through Dorst and Dorst-Zuid, and Oss has one too
    assert sorted(names("Kerkstraat")) == ["Buitengebied Dorst-Zuid", "Dorst", "Moleneind"]
    assert names("Zeeheldenbuurt")[0] == "Zeeheldenbuurt II"
    assert names("Elzenbrug")[0] == "Elzenburg"


def test_loading_again_keeps_the_table() -> None:
    load_demo()
    rows = set(PostcodeArea.objects.values_list("pk", "postcode", "street", "area_id"))
    load_demo()
    assert set(PostcodeArea.objects.values_list("pk", "postcode", "street", "area_id")) == rows
