"""The list's search (full text on PostgreSQL, FTS5 on SQLite) and fixed query counts per page."""

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
def test_full_text_search_finds_dutch_word_forms_and_ranks(cast):
    cast.submitted(title="Een bloem voor iedereen", summary="Bloembakken langs de straat.")
    cast.submitted(title="Speeltuin", summary="Een bloem op het hek geschilderd.")
    cast.submitted(title="Jeu-de-boulesbaan", summary="Voor de ouderen van de buurt.")
    found = selectors.public_initiatives(selectors.ListFilters(query="bloemen", sort="relevance"))
    titles = [i.title for i in found]
    assert titles == ["Een bloem voor iedereen", "Speeltuin"], "title weighs more than summary"
    assert not selectors.public_initiatives(selectors.ListFilters(query="zwembad")).exists()


def titles_found(query: str, sort: str = "newest") -> list[str]:
    return [
        i.title for i in selectors.public_initiatives(selectors.ListFilters(query=query, sort=sort))
    ]


def test_search_needs_every_word_and_ranks_title_above_summary(cast):
    cast.submitted(title="Geveltuinen Kerkstraat", summary="Groen langs de gevels.")
    cast.submitted(title="Speeltuin", summary="Een geveltuin bij de ingang, voor de kinderen.")
    cast.submitted(title="Jeu-de-boulesbaan", summary="Voor de ouderen van de buurt.")
    assert titles_found("geveltuin", sort="relevance") == ["Geveltuinen Kerkstraat", "Speeltuin"]
    assert titles_found("geveltuin kinderen") == ["Speeltuin"]
    assert titles_found("zwembad") == []


def test_search_of_parts_of_words_and_short_words(cast):
    """SQLite (FTS5 trigrams) finds parts of words; PostgreSQL matches whole Dutch word forms."""
    cast.submitted(title="Geveltuinen Kerkstraat", summary="Bloembakken aan de gevel.")
    cast.submitted(title="Moestuin", summary="Een tuin op nr. 12 van de Dorpsstraat.")
    substrings = connection.vendor == "sqlite"
    assert sorted(titles_found("TUIN")) == (
        ["Geveltuinen Kerkstraat", "Moestuin"] if substrings else ["Moestuin"]
    )
    assert titles_found("bakken gevel") == (["Geveltuinen Kerkstraat"] if substrings else [])
    assert titles_found("tuin 12") == ["Moestuin"], "words under three characters still count"
    assert titles_found("12") == ["Moestuin"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("moestuin", ["Een moestuin bij school", "Moestuinen in de Kerkstraat"]),
        ("moestuinen", ["Een moestuin bij school", "Moestuinen in de Kerkstraat"]),
        ("Moestuinen school", ["Een moestuin bij school"]),
        ("speeltuinen", ["Speeltuin"]),
        ("buurtfeesten", []),
    ],
)
def test_search_finds_dutch_word_forms_both_ways(cast, query: str, expected: list[str]):
    """Dutch stemming on both databases: PostgreSQL's 'dutch' configuration, on SQLite the same
    Snowball stemmer in Python on the words searched for."""
    cast.submitted(title="Moestuinen in de Kerkstraat", summary="Groente kweken met de buren.")
    cast.submitted(title="Een moestuin bij school", summary="Voor de kinderen.")
    cast.submitted(title="Speeltuin", summary="Een klimrek en schommels.")
    assert sorted(titles_found(query)) == expected


def test_sqlite_search_follows_changes(cast):
    """The FTS5 table of migration 0006 is kept in sync by triggers; a migration that rebuilds
    the initiatives table on SQLite drops them, and this test notices."""
    initiative = cast.submitted(title="Bankjes", summary="Bij de vijver.")
    assert titles_found("vijver") == ["Bankjes"]
    Initiative.objects.filter(pk=initiative.pk).update(summary="Bij het plein.")
    assert titles_found("vijver") == []
    assert titles_found("plein") == ["Bankjes"]
    Initiative.objects.filter(pk=initiative.pk).delete()
    assert titles_found("plein") == []


def test_search_with_odd_input_does_not_fail(cast):
    cast.submitted(title="Bankjes")
    client = Client()
    for query in ("'", '"', "a & b", "!(", "<script>", "ééé", "x" * 100, "-", "or"):
        assert client.get(reverse("initiatives:list"), {"q": query}).status_code == 200


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_data(cast, settings):
    settings.WIJKWERK_RATE_LIMITS = {}  # the data is made faster than people may act
    first = cast.submitted(title="Eerste")
    services.message_post(actor=cast.applicant, initiative=first, body="Vraag", internal=False)
    anonymous, applicant, broker = Client(), client_for(cast.applicant), client_for(cast.broker)
    pages = [
        (anonymous, reverse("initiatives:list")),
        (anonymous, reverse("initiatives:list") + f"?area={cast.district.pk}&q=geveltuinen"),
        (anonymous, first.get_absolute_url()),
        (applicant, first.get_absolute_url()),
        (broker, first.get_absolute_url()),
        (broker, reverse("initiatives:dashboard")),
        (applicant, reverse("initiatives:mine")),
    ]
    before = [queries(client, url) for client, url in pages]
    for n in range(15):
        other = cast.submitted(title=f"Plan {n}")
        services.message_post(
            actor=cast.broker, initiative=first, body=f"Antwoord {n}", internal=n % 2 == 0
        )
        services.support_toggle(actor=cast.neighbour, initiative=other)
    after = [queries(client, url) for client, url in pages]
    assert before == after
    # The broker's initiative page is the most: 13 of its own (the session, the user with her
    # role index and two-factor state in one query, the initiative and its attachments, messages,
    # budget lines, co-applicants, status changes, offers of help, decisions, areas, categories,
    # brokers) and 3 from the panels at its foot (issue 14): the follow panel's follow of the
    # initiative, the comments panel's comments (with their replies) and the writer's block.
    assert max(after) == 16


def test_the_public_list_index_exists_on_every_database(db):
    """Migration 0007 keeps the index out of the model's state; SQLite makes a table anew from
    that state when it alters one, which dropped the index once (0011 made it again). The list
    walks this index in its order instead of sorting every public row."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "initiatives_initiative")
    index = constraints.get("initiative_public_list")
    assert index is not None and index["index"]
    assert index["columns"][:3] == ["consent_to_publish", "submitted_at", "id"]


@pytest.mark.postgres
def test_search_uses_the_stored_document_and_its_gin_index(cast):
    """The list searches migration 0006's stored column, whose GIN index answers the search
    condition alone when sequential scans are off (the full list query has other indexes the
    planner may rightly prefer on a small table); the column holds `search_vector()`."""
    cast.submitted(title="Geveltuinen")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    query = SearchQuery("geveltuin", config="dutch", search_type="websearch")
    plan = (
        Initiative.objects.alias(document=selectors.SearchDocument())
        .filter(document=query)
        .explain()
    )
    assert "initiative_search_document" in plan
    stored, computed = (
        Initiative.objects.annotate(
            stored=selectors.SearchDocument(), computed=selectors.search_vector()
        )
        .values_list("stored", "computed")
        .get()
    )
    assert stored == computed
