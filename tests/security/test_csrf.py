"""A POST with a missing or wrong CSRF token is refused with our clear page, never processed."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


def assert_clear_refusal(response) -> None:
    assert response.status_code == 403
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "utrecht-heading-1" in html
    assert 'lang="nl"' in html
    assert "formulier" in html.lower()  # "Het formulier is verlopen", in plain Dutch


def test_missing_token(strict_client: Client, cast: Cast) -> None:
    user = cast.applicant
    strict_client.force_login(user)
    response = strict_client.post("/account/profiel/", {"full_name": "Mallory"})
    assert_clear_refusal(response)
    user.refresh_from_db()
    assert user.full_name == "Anna Aanvrager"


def test_wrong_token(strict_client: Client, cast: Cast) -> None:
    user = cast.applicant
    strict_client.force_login(user)
    strict_client.get("/account/profiel/")  # sets the CSRF cookie
    response = strict_client.post(
        "/account/profiel/",
        {"full_name": "Mallory", "csrfmiddlewaretoken": "x" * 64},
    )
    assert_clear_refusal(response)
    user.refresh_from_db()
    assert user.full_name == "Anna Aanvrager"


def test_login_without_token(strict_client: Client, cast: Cast) -> None:
    user = cast.applicant
    response = strict_client.post("/accounts/login/", {"login": user.email, "password": "x"})
    assert_clear_refusal(response)
    assert "_auth_user_id" not in strict_client.session


def test_right_token_is_accepted(strict_client: Client, cast: Cast) -> None:
    user = cast.applicant
    strict_client.force_login(user)
    strict_client.get("/account/profiel/")
    token = strict_client.cookies["csrftoken"].value
    response = strict_client.post(
        "/account/profiel/",
        {
            "full_name": "Anna Jansen",
            "home_area": user.home_area.pk,
            "phone": "",
            "expertise": "",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.home_area) == ("Anna Jansen", cast.neighbourhood)
