"""The page tour (tests/page_tour.py) is what it says: every stop is an HTML page its visitor
gets a 200 for, and every page case of the matrix is in it."""

from __future__ import annotations

import pytest
from django.test import Client

from ..cast import Cast
from ..page_tour import page_cases, tour


@pytest.mark.django_db
def test_every_stop_is_a_page_its_visitor_sees(cast: Cast) -> None:
    stops = tour(cast)
    wrong = []
    clients: dict[str, Client] = {}
    for stop in stops:
        if stop.visitor not in clients:
            clients[stop.visitor] = Client()
            if stop.user is not None:
                clients[stop.visitor].force_login(stop.user)
        response = clients[stop.visitor].get(stop.url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            wrong.append((stop.visitor, stop.name, stop.url, response.status_code))
    assert not wrong, wrong
    names = {stop.name for stop in stops}
    assert {f"{case.url_name} {case.label}".strip() for case in page_cases()} <= names
