"""Parameters at the ends of their range are answered, not turned into server errors (the
probe's `?page=99999999999999999999` and `?date_to=9999-12-31`); and they still mean what they
say."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.services import role_assign
from wijkwerk.backoffice.selectors import audit_events
from wijkwerk.initiatives.selectors import MAX_PAGE, page_number

from ..cast import Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("99999999999999999999", MAX_PAGE),
        ("9" * 5_000, 1),
        ("-5", 1),
        ("abc", 1),
        ("1\x00", 1),
        (None, 1),
        ("3", 3),
    ],
)
def test_page_number_stays_in_range(text: str | None, number: int) -> None:
    assert page_number(text) == number


def test_a_page_far_beyond_the_end_shows_the_last_page_to_anyone() -> None:
    response = Client().get(reverse("initiatives:list"), {"page": "99999999999999999999"})
    assert response.status_code == 200


def test_audit_log_dates_at_the_ends_of_the_calendar(cast: Cast) -> None:
    municipality, admin = cast.municipality, cast.admin
    role_assign(
        actor=admin,
        user=cast.neighbour,
        role=Role.BROKER,
        municipality=municipality,
        area=cast.neighbourhood,
    )
    everything = list(audit_events(municipality))
    assert everything
    assert list(audit_events(municipality, date_to=date.max)) == everything
    assert list(audit_events(municipality, date_from=date.min)) == everything
    client = Client()
    client.force_login(admin)
    url = reverse("backoffice:audit_log", kwargs={"municipality": municipality.slug})
    for params in (
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
    ):
        response = client.get(url, params)
        assert response.status_code == 200, params
        assert len(response.context["events"]) == len(everything)
    response = client.get(url, {"date_to": "0001-01-01"})
    assert response.status_code == 200
    assert not response.context["events"]


def test_role_list_area_filter_ignores_numbers_that_are_no_id(cast: Cast) -> None:
    municipality = cast.municipality
    client = Client()
    client.force_login(cast.admin)
    url = reverse("backoffice:role_list", kwargs={"municipality": municipality.slug})
    for value in ("9" * 5_000, "²", "99999999999999999999"):
        assert client.get(url, {"gebied": value}).status_code in (200, 404), value
