"""The HTTP side of the open data API (Logius API Design Rules): the version header, the
methods, no trailing slashes, CORS for reading from any site, ETags, the OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_answer_has_the_version_header() -> None:
    client = Client()
    for url in (
        "/api/v1",
        "/api/v1/areas",
        "/api/v1/areas/0",
        "/api/v1/nothing",
        "/api/v1/openapi.json",
    ):
        assert client.get(url)["API-Version"] == "1.0.0", url


def test_the_openapi_document_is_served_at_the_standard_place() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["version"] == "1.0.0"
    assert document["servers"] == [{"url": "/api/v1"}]
    assert sorted(document["paths"]) == [
        "/areas",
        "/areas/{id}",
        "/budget-rounds",
        "/budget-rounds/{id}",
        "/budget-rounds/{id}/plans",
        "/funds",
        "/funds/{id}",
        "/initiatives",
        "/initiatives/{id}",
        "/municipalities",
        "/municipalities/{id}",
        "/reports",
        "/reports/{id}",
    ]
    for path, operations in document["paths"].items():
        assert not path.endswith("/"), path
        assert set(operations) == {"get"}, path
        problem = operations["get"]["responses"]["400"]["content"]
        assert set(problem) == {"application/problem+json"}


def test_only_reading_methods() -> None:
    client = Client()
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/initiatives")
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["detail"] == (
            f"Deze API kan alleen lezen: gebruik GET (of HEAD of OPTIONS), niet {method.upper()}."
        )
    head = client.head("/api/v1/areas")
    assert head.status_code == 200
    assert head.content == b""
    assert int(head["Content-Length"]) == len(client.get("/api/v1/areas").content)
    options = client.options("/api/v1/areas")
    assert options.status_code == 204
    assert options["Allow"] == "GET, HEAD, OPTIONS"


def test_a_trailing_slash_is_404_not_a_redirect() -> None:
    for url in ("/api/v1/areas/", "/api/v1/initiatives/", "/api/v1/"):
        response = Client().get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["detail"] == (
            f"Op {url} staat niets. Wat de API bevat, staat op /api/v1."
        )


def test_cors_lets_any_site_read_the_api_and_only_the_api() -> None:
    client = Client()
    preflight = client.options(
        "/api/v1/initiatives",
        HTTP_ORIGIN="https://data.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    response = client.get("/api/v1/initiatives", HTTP_ORIGIN="https://data.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "API-Version" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response
    site = client.get("/", HTTP_ORIGIN="https://data.example.org")
    assert "Access-Control-Allow-Origin" not in site


def test_an_unchanged_answer_is_not_sent_again() -> None:
    client = Client()
    first = client.get("/api/v1/municipalities")
    etag = first["ETag"]
    again = client.get("/api/v1/municipalities", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get("/api/v1/municipalities", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_the_page_about_the_api() -> None:
    home = Client().get("/").content.decode()
    assert '<a class="utrecht-link site-footer__link" href="/api/">Open data</a>' in home
    response = Client().get("/api/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Open data" in text
    assert "/api/v1/openapi.json" in text
    assert (
        '<code lang="en">/api/v1/budget-rounds/{id}</code>: Eén ronde met de uitslag per gebied'
        in text
    )
