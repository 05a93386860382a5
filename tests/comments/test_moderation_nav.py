"""The moderation queue has an entry in the main menu for who moderates comments (the broker,
area coordinator and community worker of an area, the municipality's administrator), leading to
the queue of their municipality; residents and the alderman get none."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def menu(user) -> str:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(user)
    page = client.get("/").content.decode()
    start = page.index('<nav class="site-nav"')
    return page[start : page.index("</nav>", start)]


def test_moderators_find_the_queue_in_the_menu(cast) -> None:
    queue = reverse("comments:queue", args=[cast.municipality.slug])
    for moderator in (cast.broker, cast.community_worker, cast.coordinator, cast.admin):
        nav = menu(moderator)
        assert (
            f'<a class="utrecht-link site-nav__link" href="{queue}">Reacties om te modereren</a>'
            in nav
        ), moderator
    assert reverse("comments:queue", args=["oss"]) not in menu(cast.broker)
    for other in (cast.applicant, cast.alderman):
        assert "Reacties om te modereren" not in menu(other)
    # the entry leads to the queue the moderator may open
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(cast.broker)
    page = client.get(queue)
    assert page.status_code == 200
    assert 'aria-current="page">Reacties om te modereren</a>' in page.content.decode()
