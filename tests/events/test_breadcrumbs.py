"""Event pages' breadcrumbs start at the home page, as every other page's do."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from ..cast import Cast
from .factories import make_event

pytestmark = pytest.mark.django_db


def crumbs(page: str) -> list[str]:
    nav = page[
        page.index('class="utrecht-breadcrumb-nav') : page.index(
            "</nav>", page.index('class="utrecht-breadcrumb-nav')
        )
    ]
    return re.findall(r'<a class="[^"]*" href="([^"]+)">([^<]+)</a>', nav)


def test_every_event_page_starts_its_breadcrumbs_at_home(cast: Cast) -> None:
    event = make_event(cast.district)
    home = (reverse("site:home"), "Home")
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    page = client.get(event.get_absolute_url()).content.decode()
    assert crumbs(page) == [
        home,
        (
            reverse("events:municipality", args=[cast.municipality.slug]),
            "Bijeenkomsten in Oosterhout",
        ),
        (reverse("events:area", args=[cast.municipality.slug, cast.district.slug]), "Dorst"),
    ]
    listing = client.get(reverse("events:area", args=[cast.municipality.slug, cast.district.slug]))
    assert crumbs(listing.content.decode())[0] == home
    client.force_login(cast.broker)
    edit = client.get(reverse("events:edit", args=[event.pk]))
    assert edit.status_code == 200 and crumbs(edit.content.decode())[0] == home
