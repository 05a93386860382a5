"""The home page: municipalities with their area counts and the "find your area" search."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.areas.factories import AreaFactory, MunicipalityFactory, NeighbourhoodFactory
from tests.cast import Cast
from wijkwerk.areas.selectors import SEARCH_LIMIT
from wijkwerk.site.views import SEARCH_MAX_LENGTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def oosterhout(cast: Cast):
    """The cast's Oosterhout (Dorst with Dorst-Zuid, and Slotjes), with a neighbourhood of Dorst
    whose name has "Dorst" inside, not at the start: it sorts before Dorst by name, so the
    search order "names that start with the query first" is seen."""
    NeighbourhoodFactory(
        parent=cast.district,
        name="Buitengebied Dorst",
        slug="buitengebied-dorst",
        cbs_code="BU08261309",
    )
    return cast.municipality


def search(client: Client, query: str):
    return client.get(reverse("site:home"), {"q": query})


def test_home_lists_municipalities_with_their_number_of_areas(client: Client, oosterhout) -> None:
    # Oosterhout: Dorst, Dorst-Zuid, Buitengebied Dorst and Slotjes; Oss: Lith; Dongen: none.
    MunicipalityFactory(name="Dongen", slug="dongen", cbs_code="GM0766")
    response = client.get(reverse("site:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    counts = dict(
        re.findall(
            r'>Gemeente (\w+)</a></h3>\s*<p class="utrecht-paragraph meta">([^<]+)</p>', html
        )
    )
    assert counts == {"Oosterhout": "4 gebieden", "Oss": "1 gebied", "Dongen": "0 gebieden"}
    assert f'href="{oosterhout.get_absolute_url()}"' in html
    assert 'role="search"' in html


def test_search_by_name_shows_municipality_and_parent(client: Client, oosterhout) -> None:
    response = search(client, "dorst")
    html = response.content.decode()
    assert response.status_code == 200
    assert "3 gebieden gevonden." in html
    # The names that start with the query come first, though "Buitengebied" sorts before them.
    assert html.index(">Dorst</a>") < html.index(">Dorst-Zuid</a>")
    assert html.index(">Dorst-Zuid</a>") < html.index(">Buitengebied Dorst</a>")
    assert "onderdeel van Dorst" in html
    assert "gemeente Oosterhout" in html


def test_search_by_cbs_code_exact_and_prefix(client: Client, oosterhout) -> None:
    html = search(client, "bu08261307").content.decode()
    assert ">Dorst-Zuid</a>" in html
    assert "1 gebied gevonden." in html
    html = search(client, "WK0826").content.decode()
    assert ">Dorst</a>" in html and ">Slotjes</a>" in html
    assert "2 gebieden gevonden." in html
    assert "Dorst-Zuid" not in html and "Buitengebied" not in html


def test_nothing_found_gives_a_clear_message(client: Client, oosterhout) -> None:
    response = search(client, "Atlantis")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geen gebied gevonden voor ‘Atlantis’." in html
    assert "utrecht-alert" in html


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_query_shows_no_results_and_no_error(client: Client, oosterhout, query: str) -> None:
    response = search(client, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zoekresultaten" not in html
    assert "Geen gebied gevonden" not in html
    assert 'aria-invalid="true"' not in html


def test_too_long_query_is_refused_at_the_field(client: Client, oosterhout) -> None:
    response = search(client, "x" * (SEARCH_MAX_LENGTH + 1))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_q_helptext id_q_error"' in html
    assert 'id="id_q_error"' in html
    assert f"Typ hooguit {SEARCH_MAX_LENGTH} tekens (je typte er {SEARCH_MAX_LENGTH + 1})" in html
    assert "Zoekresultaten" not in html


def test_query_at_the_limit_is_searched(client: Client, oosterhout) -> None:
    response = search(client, "d" * SEARCH_MAX_LENGTH)
    assert response.status_code == 200
    assert "Geen gebied gevonden" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["%", "_", "100%", "O'Brien", '"; DROP TABLE areas_area; --', "\\", "ë", "🏘️", "[a-z]*"]
)
def test_special_characters_are_searched_literally(client: Client, oosterhout, query: str) -> None:
    response = search(client, query)
    assert response.status_code == 200
    html = response.content.decode()
    # LIKE wildcards are escaped: "%" and "_" match nothing here instead of everything.
    assert ">Slotjes</a>" not in html


def test_null_character_is_a_form_error_not_a_server_error(client: Client, oosterhout) -> None:
    response = search(client, "Dor\x00st")
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_query_is_escaped_in_the_page(client: Client, oosterhout) -> None:
    response = search(client, "<script>alert(1)</script>")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_area_names_are_escaped_in_results(client: Client, oosterhout) -> None:
    AreaFactory(municipality=oosterhout, name='<img src=x onerror="alert(1)">Hof')
    html = search(client, "Hof").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Hof" in html


def test_many_results_are_capped_and_say_so(client: Client, oosterhout) -> None:
    parent = AreaFactory(municipality=oosterhout, name="Centrum")
    NeighbourhoodFactory.create_batch(SEARCH_LIMIT + 5, parent=parent)
    html = search(client, "Buurt").content.decode()
    assert html.count('class="utrecht-link" href="/oosterhout/buurt-') == SEARCH_LIMIT
    assert f"Meer dan {SEARCH_LIMIT} gebieden gevonden" in html


def test_home_query_count_does_not_grow_with_rows(
    client: Client, oosterhout, django_assert_max_num_queries
) -> None:
    for n in range(30):
        gemeente = MunicipalityFactory()
        AreaFactory.create_batch(2, municipality=gemeente, name=f"Dorpsplein {n}")
    # three, and one for the budget rounds' home block (none running here)
    with django_assert_max_num_queries(4):
        response = search(client, "Dorpsplein")
    assert response.status_code == 200
