"""Hostile or oversized input is escaped or refused, never a 500 or a half-saved record."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cast import Cast
from wijkwerk.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def post_profile(client: Client, **fields: str):
    data = {"full_name": "", "home_area": "", "phone": "", "expertise": ""} | fields
    return client.post("/account/profiel/", data)


def test_html_in_the_name_is_escaped_everywhere_it_is_shown(client: Client, cast: Cast) -> None:
    user = cast.applicant
    client.force_login(user)
    assert post_profile(client, full_name=PAYLOAD, expertise=PAYLOAD).status_code == 302
    user.refresh_from_db()
    assert user.full_name == PAYLOAD  # stored as typed ...
    html = client.get("/account/profiel/").content.decode()
    assert "<script>alert" not in html  # ... and shown as text
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_too_long_name_is_a_form_error(client: Client, cast: Cast) -> None:
    user = cast.applicant
    client.force_login(user)
    response = post_profile(client, full_name="A" * 151, phone="0162 123 456")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_full_name_error"' in html
    assert 'aria-invalid="true"' in html
    user.refresh_from_db()
    assert (user.full_name, user.phone) == ("Anna Aanvrager", "")  # nothing half saved
    assert not AuditEvent.objects.exists()


def test_too_long_name_at_sign_up_is_a_form_error(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "email": "lang@example.org",
            "full_name": "B" * 500,
            "password1": "correct horse battery staple",
            "password2": "correct horse battery staple",
        },
    )
    assert response.status_code == 200
    assert 'id="id_full_name_error"' in response.content.decode()


@pytest.mark.parametrize(
    "field,value",
    [("phone", "9" * 200), ("home_area", "'; DROP TABLE accounts_user; --"), ("home_area", "-1")],
)
def test_bad_values_are_form_errors(client: Client, cast: Cast, field: str, value: str) -> None:
    client.force_login(cast.applicant)
    assert post_profile(client, **{field: value}).status_code == 400


def test_null_byte_is_refused_not_a_500(client: Client, cast: Cast) -> None:
    client.force_login(cast.applicant)
    assert post_profile(client, full_name="Anna\x00").status_code == 400
