"""The list's search (full text on PostgreSQL) and fixed query counts per page."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wijkwerk.initiatives import selectors, services
from wijkwerk.initiatives.models import Initiative

from .test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_full_text_search_finds_dutch_word_forms_and_ranks(place):
    place.submitted(title="Een bloem voor iedereen", summary="Bloembakken langs de straat.")
    place.submitted(title="Speeltuin", summary="Een bloem op het hek geschilderd.")
    place.submitted(title="Jeu-de-boulesbaan", summary="Voor de ouderen van de buurt.")
    found = selectors.public_initiatives(selectors.ListFilters(query="bloemen", sort="relevance"))
    titles = [i.title for i in found]
    assert titles == ["Een bloem voor iedereen", "Speeltuin"], "title weighs more than summary"
    assert not selectors.public_initiatives(selectors.ListFilters(query="zwembad")).exists()


def test_search_with_odd_input_does_not_fail(place):
    place.submitted(title="Bankjes")
    client = Client()
    for query in ("'", '"', "a & b", "!(", "<script>", "ééé", "x" * 100, "-", "or"):
        assert client.get(reverse("initiatives:list"), {"q": query}).status_code == 200


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_data(place):
    first = place.submitted(title="Eerste")
    services.message_post(actor=place.applicant, initiative=first, body="Vraag", internal=False)
    anonymous, applicant, broker = Client(), client_for(place.applicant), client_for(place.broker)
    pages = [
        (anonymous, reverse("initiatives:list")),
        (anonymous, reverse("initiatives:list") + f"?area={place.district.pk}&q=geveltuinen"),
        (anonymous, first.get_absolute_url()),
        (applicant, first.get_absolute_url()),
        (broker, first.get_absolute_url()),
        (broker, reverse("initiatives:dashboard")),
        (applicant, reverse("initiatives:mine")),
    ]
    before = [queries(client, url) for client, url in pages]
    for n in range(15):
        other = place.submitted(title=f"Plan {n}")
        services.message_post(
            actor=place.broker, initiative=first, body=f"Antwoord {n}", internal=n % 2 == 0
        )
        services.support_toggle(actor=place.neighbour, initiative=other)
    after = [queries(client, url) for client, url in pages]
    assert before == after
    assert max(after) <= 15


@pytest.mark.postgres
def test_search_expression_matches_the_gin_index(place):
    """If the selector's search expression drifts from migration 0003's index, PostgreSQL can no
    longer use the index. The search condition alone, with sequential scans off, can only be
    answered through that index when the expressions match (the full list query has other
    indexes, e.g. on status, that the planner may rightly prefer on a small table)."""
    place.submitted(title="Geveltuinen")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    query = SearchQuery("geveltuin", config="dutch", search_type="websearch")
    plan = (
        Initiative.objects.alias(document=selectors.search_vector())
        .filter(document=query)
        .explain()
    )
    assert "initiative_search_gin" in plan
