"""Each resource of the open data API: its fields, its filters, its pages and its refusals."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ..initiatives.factories import InitiativeFactory
from .conftest import PDF, World, results

pytestmark = pytest.mark.django_db

INITIATIVE_FIELDS = {
    "id",
    "title",
    "summary",
    "status",
    "area",
    "municipality",
    "category",
    "requested_cents",
    "granted_cents",
    "currency",
    "support_count",
    "submitted_at",
    "url",
}


def test_initiatives_are_the_public_ones_newest_first(world: World) -> None:
    response = Client().get("/api/v1/initiatives")
    found = results(response)
    assert [item["title"] for item in found] == [
        "Speeltuin Dorst-Zuid",
        "Geveltuinen in de Kerkstraat",
    ]
    assert response.json()["total"] == 2
    approved = found[0]
    assert set(approved) == INITIATIVE_FIELDS
    assert approved["id"] == world.approved.pk
    assert approved["status"] == "approved"
    assert approved["granted_cents"] == 125_000
    assert approved["requested_cents"] == 150_000
    assert approved["currency"] == "EUR"
    assert approved["category"] == "Fysieke leefomgeving"
    assert approved["area"] == {
        "id": world.cast.neighbourhood.pk,
        "name": "Dorst-Zuid",
        "cbs_code": "BU08261307",
    }
    assert approved["municipality"] == {
        "id": world.cast.municipality.pk,
        "name": "Oosterhout",
        "cbs_code": "GM0826",
    }
    assert approved["url"] == f"http://testserver/initiatieven/{world.approved.pk}/"
    assert found[1]["granted_cents"] is None


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("status=approved", ["Speeltuin Dorst-Zuid"]),
        ("status=under_review", ["Geveltuinen in de Kerkstraat"]),
        ("area=WK082613", ["Speeltuin Dorst-Zuid", "Geveltuinen in de Kerkstraat"]),  # Dorst
        ("area=BU08261307", ["Speeltuin Dorst-Zuid", "Geveltuinen in de Kerkstraat"]),
        ("area=WK082601", []),  # Slotjes
        ("area=WK099999", []),  # no such area
        ("municipality=GM0826", ["Speeltuin Dorst-Zuid", "Geveltuinen in de Kerkstraat"]),
        ("municipality=GM0828", []),  # Oss
        ("year=2001", []),
    ],
)
def test_initiative_filters(world: World, query: str, titles: list[str]) -> None:
    assert [
        item["title"] for item in results(Client().get(f"/api/v1/initiatives?{query}"))
    ] == titles


def test_drafts_and_initiatives_without_consent_are_not_there(world: World) -> None:
    client = Client()
    client.force_login(world.cast.admin)  # a session changes nothing
    listed = {item["id"] for item in results(client.get("/api/v1/initiatives"))}
    assert world.draft.pk not in listed
    assert world.hidden.pk not in listed
    for initiative in (world.draft, world.hidden):
        response = client.get(f"/api/v1/initiatives/{initiative.pk}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json() == {
            "type": "about:blank",
            "title": "Niet gevonden",
            "status": 404,
            "detail": f"Er is geen openbaar initiatief {initiative.pk}.",
            "instance": f"/api/v1/initiatives/{initiative.pk}",
        }
    assert client.get(f"/api/v1/initiatives/{world.public.pk}").json()["title"] == (
        "Geveltuinen in de Kerkstraat"
    )


def test_pages_link_to_each_other(world: World) -> None:
    client = Client()
    first = client.get("/api/v1/initiatives?page_size=1&status=")
    assert first.status_code == 400  # an empty status is no status
    first = client.get("/api/v1/initiatives?page_size=1").json()
    assert first["total"] == 2
    assert first["page"] == 1
    assert first["page_size"] == 1
    assert first["_links"] == {
        "self": {"href": "http://testserver/api/v1/initiatives?page_size=1"},
        "first": {"href": "http://testserver/api/v1/initiatives?page_size=1&page=1"},
        "last": {"href": "http://testserver/api/v1/initiatives?page_size=1&page=2"},
        "prev": None,
        "next": {"href": "http://testserver/api/v1/initiatives?page_size=1&page=2"},
    }
    second = client.get(first["_links"]["next"]["href"]).json()
    assert [item["title"] for item in second["results"]] == ["Geveltuinen in de Kerkstraat"]
    assert second["_links"]["next"] is None
    assert second["_links"]["prev"] == {
        "href": "http://testserver/api/v1/initiatives?page_size=1&page=1"
    }
    beyond = client.get("/api/v1/initiatives?page_size=1&page=3")
    assert beyond.status_code == 404
    assert beyond.json()["detail"] == "Pagina 3 bestaat niet: de laatste pagina is 2."


@pytest.mark.parametrize(
    ("url", "name", "dutch", "english"),
    [
        (
            "/api/v1/initiatives?page_size=101",
            "page_size",
            "mag hoogstens 100 zijn",
            "must be at most 100",
        ),
        ("/api/v1/initiatives?page=0", "page", "moet minstens 1 zijn", "must be at least 1"),
        (
            "/api/v1/initiatives?page=twee",
            "page",
            "moet een geheel getal zijn",
            "must be a whole number",
        ),
        (
            "/api/v1/initiatives?municipality=Oosterhout",
            "municipality",
            "heeft niet de goede vorm (^GM[0-9]{4}$)",
            "does not have the right form (^GM[0-9]{4}$)",
        ),
        (
            "/api/v1/areas/99999999999999999999",
            "id",
            "mag hoogstens 9223372036854775807 zijn",
            "must be at most 9223372036854775807",
        ),
        ("/api/v1/funds?year=99999", "year", "mag hoogstens 2200 zijn", "must be at most 2200"),
    ],
)
def test_bad_parameters_are_400_problems_in_dutch_or_english(
    url: str, name: str, dutch: str, english: str
) -> None:
    client = Client()
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Ongeldig verzoek"
    assert body["invalid_params"] == [{"name": name, "reason": dutch}]
    assert body["detail"] == f"“{name}” {dutch}."
    english_body = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8").json()
    assert english_body["title"] == "Bad request"
    assert english_body["detail"] == f"“{name}” {english}."


def test_a_status_outside_the_public_ones_is_refused() -> None:
    body = Client().get("/api/v1/initiatives?status=draft").json()
    assert body["status"] == 400
    assert body["invalid_params"][0]["name"] == "status"
    assert "draft" not in body["detail"].split("'")[1::2]


def test_fund_figures_follow_the_ledger(world: World) -> None:
    found = results(Client().get("/api/v1/funds?municipality=GM0826"))
    assert len(found) == 1
    fund = found[0]
    assert fund == {
        "id": world.cast.fund.pk,
        "name": "Bewonersinitiatieven",
        "year": world.cast.fund.year,
        "municipality": {
            "id": world.cast.municipality.pk,
            "name": "Oosterhout",
            "cbs_code": "GM0826",
        },
        "scheme": "Regeling bewonersinitiatieven",
        "council": None,
        "areas": [],
        "is_active": True,
        "amount_cents": 30_000_000,
        "committed_cents": 125_000,
        "paid_cents": 125_000,
        "released_cents": 0,
        "refunded_cents": 0,
        "corrected_cents": 0,
        "open_commitments_cents": 0,
        "available_cents": 30_000_000 - 125_000,
        "currency": "EUR",
    }
    assert Client().get(f"/api/v1/funds/{world.cast.fund.pk}").json() == fund
    assert results(Client().get("/api/v1/funds?municipality=GM0828")) == []
    assert results(Client().get(f"/api/v1/funds?year={world.cast.fund.year + 1}")) == []


def test_areas_and_municipalities(world: World) -> None:
    client = Client()
    found = results(client.get("/api/v1/areas?municipality=GM0826&kind=neighbourhood"))
    assert [area["cbs_code"] for area in found] == ["BU08261307"]
    assert found[0]["parent"] == {
        "id": world.cast.district.pk,
        "name": "Dorst",
        "cbs_code": "WK082613",
    }
    assert found[0]["kind"] == "neighbourhood"
    assert found[0]["url"] == "http://testserver/oosterhout/dorst-zuid/"
    children = results(client.get("/api/v1/areas?parent=WK082613"))
    assert [area["name"] for area in children] == ["Dorst-Zuid"]
    assert client.get("/api/v1/areas?kind=wijk").status_code == 400
    municipalities = results(client.get("/api/v1/municipalities"))
    assert [m["cbs_code"] for m in municipalities] == ["GM0826", "GM0828"]
    assert set(municipalities[0]) == {"id", "name", "cbs_code", "slug", "website", "url"}
    assert results(client.get("/api/v1/municipalities?cbs_code=GM0828"))[0]["name"] == "Oss"


def test_budget_rounds_with_their_published_results(world: World) -> None:
    client = Client()
    rounds = results(client.get("/api/v1/budget-rounds"))
    assert [r["id"] for r in rounds] == [world.counted.pk]  # the draft round is not there
    assert rounds[0]["status"] == "counted"
    assert rounds[0]["areas"] == [
        {
            "id": world.cast.district.pk,
            "name": "Dorst",
            "cbs_code": "WK082613",
            "budget_cents": 5_000_000,
        }
    ]
    assert rounds[0]["result_url"] == f"http://testserver/buurtbudget/{world.counted.pk}/uitslag/"
    assert results(client.get("/api/v1/budget-rounds?status=published")) == []
    assert client.get("/api/v1/budget-rounds?status=draft").status_code == 400
    assert client.get(f"/api/v1/budget-rounds/{world.draft_round.pk}").status_code == 404

    detail = client.get(f"/api/v1/budget-rounds/{world.counted.pk}").json()
    (result,) = detail["results"]
    assert result["voters"] == 2
    assert result["budget_cents"] == 5_000_000
    assert result["spent_cents"] == 2_000_000
    assert [(p["title"], p["votes"], p["funded"]) for p in result["plans"]] == [
        ("Bankjes op het Dorpsplein", 2, True),
        ("Banken bij het Dorpsplein", 1, True),
    ]
    pb = client.get(result["pb_file"]["url"])
    assert pb.status_code == 200
    assert hashlib.sha256(pb.content).hexdigest() == result["pb_file"]["sha256"]
    assert result["pb_file"]["filename"].endswith(".pb")

    plans = results(client.get(f"/api/v1/budget-rounds/{world.counted.pk}/plans"))
    assert {p["title"] for p in plans} == {"Bankjes op het Dorpsplein", "Banken bij het Dorpsplein"}
    assert set(plans[0]) == {
        "id",
        "title",
        "summary",
        "area",
        "category",
        "estimated_cost_cents",
        "feasibility",
        "municipal_cost_cents",
        "currency",
        "like_count",
        "created_at",
        "url",
    }
    assert client.get(f"/api/v1/budget-rounds/{world.draft_round.pk}/plans").status_code == 404


def test_a_list_page_costs_the_same_queries_for_more_rows(world: World) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get("/api/v1/initiatives?page_size=50").status_code == 200
        return len(captured)

    few = queries()
    area = world.cast.neighbourhood
    for _ in range(30):
        InitiativeFactory(
            area=area, applicant=world.cast.applicant, consent_to_publish=True, status="submitted"
        )
    assert queries() == few


def test_published_reports_with_their_pdf(world: World) -> None:
    client = Client()
    found = results(client.get("/api/v1/reports"))
    report = world.report
    quarter = report.slug
    assert found == [
        {
            "id": report.pk,
            "municipality": {
                "id": world.cast.municipality.pk,
                "name": "Oosterhout",
                "cbs_code": "GM0826",
            },
            "quarter": quarter,
            "published_at": found[0]["published_at"],
            "url": f"http://testserver/rapportages/oosterhout/{quarter}/",
            "pdf_url": f"http://testserver/rapportages/oosterhout/{quarter}/pdf/",
            "sha256": hashlib.sha256(PDF).hexdigest(),
        }
    ]
    assert found[0]["published_at"] is not None
    pdf = client.get(found[0]["pdf_url"])
    assert pdf.status_code == 200
    assert (
        hashlib.sha256(
            b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
        ).hexdigest()
        == found[0]["sha256"]
    )
    assert client.get(f"/api/v1/reports/{world.draft_report.pk}").status_code == 404
    assert results(client.get("/api/v1/reports?municipality=GM0828")) == []
    assert results(client.get(f"/api/v1/reports?year={report.year + 1}")) == []


def test_areas_carry_their_latest_population(world: World) -> None:
    found = Client().get(f"/api/v1/areas/{world.cast.neighbourhood.pk}").json()
    assert found["population"] == {"inhabitants": 1_234, "households": 567, "year": 2025}
    assert Client().get(f"/api/v1/areas/{world.cast.district.pk}").json()["population"] is None
