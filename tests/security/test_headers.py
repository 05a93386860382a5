"""Security headers on every kind of page: CSP without 'unsafe-inline', nonces on scripts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.cast import Cast

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "/",  # public page
    "/over-wijkgericht-werken/",
    "/accounts/login/",  # allauth entrance pages
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/confirm-email/not-a-real-key/",
    "/bestaat-niet/helemaal-niet/",  # 404
]
RESIDENT_PAGES = ["/account/profiel/", "/accounts/email/", "/accounts/password/change/"]


def check_headers(response) -> None:
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in csp.split(";") if part.strip()
    )
    assert "'self'" in directives["default-src"]
    assert "'none'" in directives["frame-ancestors"]
    assert "'none'" in directives["object-src"]
    nonce = re.search(r"'nonce-([^']+)'", directives["script-src"])
    assert nonce, csp
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        if 'type="application/json"' in tag:
            continue  # data, not code: never executed
        if "src=" in tag:
            continue  # same-origin file, allowed by 'self'
        assert f'nonce="{nonce.group(1)}"' in tag, tag
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert " style=" not in html, "inline style attribute"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_anonymous_pages(client: Client, cast: Cast, path: str) -> None:
    check_headers(client.get(path))


@pytest.mark.parametrize("path", RESIDENT_PAGES)
def test_resident_pages(client: Client, cast: Cast, path: str) -> None:
    client.force_login(cast.applicant)
    response = client.get(path)
    assert response.status_code == 200
    check_headers(response)


def test_form_error_page(client: Client) -> None:
    response = client.post("/accounts/login/", {"login": "x@example.org", "password": "nope"})
    assert response.status_code == 200
    check_headers(response)


def test_two_factor_pages(client: Client, cast: Cast) -> None:
    client.force_login(cast.clerk)
    for path in ["/accounts/2fa/", "/beheer/"]:
        check_headers(client.get(path))


def test_csrf_failure_page(client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    check_headers(strict.post("/accounts/login/", {"login": "a@example.org", "password": "x"}))


def test_nonce_differs_per_response(client: Client) -> None:
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    assert first != second
