"""Properties of the area search over arbitrary input: never a server error, only real matches
(the name or code, or a name alike by trigram similarity; there are no postcodes here)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.areas.factories import AreaFactory, NeighbourhoodFactory
from tests.cast import Cast
from wijkwerk.areas.models import Area
from wijkwerk.areas.selectors import SEARCH_LIMIT, area_search
from wijkwerk.core.similarity import THRESHOLD, similarity

pytestmark = pytest.mark.django_db

# Letters, digits and the characters that mean something to SQL LIKE, HTML or URLs.
QUERY_ALPHABET = st.sampled_from(list("abcdorstuwBDKWë0123456789 -_%\\'\"<>&;/?#*[]\x00"))
# The cast's areas, and neighbourhoods of a district "Centrum" with awkward names.
CAST_NAMES = ["Dorst", "Dorst-Zuid", "Slotjes", "Lith"]
NAMES = ["Buitengebied Dorst-Zuid", "Slotjes-West", "'t Wild", "100% Groen", "Wijk_A"]


@pytest.fixture
def areas(cast: Cast) -> None:
    district = AreaFactory(municipality=cast.municipality, name="Centrum", cbs_code="WK082600")
    for n, name in enumerate(NAMES):
        NeighbourhoodFactory(parent=district, name=name, cbs_code=f"BU082600{n:02d}")
    assert sorted(Area.objects.values_list("name", flat=True)) == sorted(
        [*CAST_NAMES, "Centrum", *NAMES]
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(QUERY_ALPHABET, max_size=12))
def test_any_query_gives_a_page_and_only_matching_areas(areas, query: str) -> None:
    response = Client().get(reverse("site:home"), {"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "\x00" in query
        return
    cleaned = query.strip()
    if not cleaned:
        return
    found = area_search(cleaned)
    assert len(found) <= SEARCH_LIMIT + 1
    for area in found:
        assert (
            cleaned.lower() in area.name.lower()
            or area.cbs_code.lower().startswith(cleaned.lower())
            or similarity(cleaned, area.name) >= THRESHOLD
        )
    expected = {
        name for name in [*CAST_NAMES, "Centrum", *NAMES] if cleaned.lower() in name.lower()
    }
    assert expected <= {area.name for area in found}
