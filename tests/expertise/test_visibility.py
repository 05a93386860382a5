"""Nothing of an offer is shown beyond what the resident chose: over random visibility settings
and viewers, the offer's page, the search, the invitation form and the policy's three answers
(check, which offers, which users) all agree with a rule written out here from the spec."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkwerk.accounts.models import Role
from wijkwerk.expertise import policy, selectors
from wijkwerk.expertise.models import Offer
from wijkwerk.initiatives.models import Initiative

from ..accounts.factories import UserFactory, official
from . import factories

pytestmark = pytest.mark.django_db

VIEWERS = (
    "anonymous",
    "owner",
    "resident_elsewhere",  # lives in Slotjes
    "resident_in_area",  # lives in Dorst-Zuid, no initiative
    "initiator_in_area",  # a running initiative in Dorst-Zuid
    "initiator_elsewhere",  # a running initiative in Slotjes
    "initiator_of_draft",  # only a draft in Dorst-Zuid: not an initiator yet
    "broker",  # of Dorst
    "broker_elsewhere",  # of Slotjes, same municipality
    "alderman",
    "clerk",  # works for the council, not an official for offers
    "admin",
    "coordinator_oss",  # area coordinator in another municipality
    "oss_admin",
)
OOSTERHOUT_OFFICIALS = {"broker", "broker_elsewhere", "alderman", "admin"}
INVITERS = {"broker", "broker_elsewhere", "admin", "coordinator_oss", "oss_admin"} | {
    "initiator_in_area",
    "initiator_elsewhere",
}


def expected_visible(viewer: str, visibility: str, active: bool) -> bool:
    """The spec, written out apart from the policy."""
    if viewer == "owner":
        return True
    if not active:
        return False
    if visibility == "everyone":
        return True
    if viewer in OOSTERHOUT_OFFICIALS:
        return True
    return visibility == "initiators" and viewer == "initiator_in_area"


def _initiative(user: Any, area: Any, status: str) -> None:
    Initiative.objects.create(
        title="Plan", summary="Plan", area=area, applicant=user, status=status, requested_cents=1
    )


@pytest.fixture
def world(cast: Any) -> dict[str, Any]:
    people: dict[str, Any] = {
        "owner": cast.neighbour,
        "resident_elsewhere": cast.outsider,
        "resident_in_area": UserFactory(home_area=cast.neighbourhood),
        "initiator_in_area": UserFactory(home_area=cast.district),
        "initiator_elsewhere": UserFactory(home_area=cast.other_district),
        "initiator_of_draft": UserFactory(home_area=cast.neighbourhood),
        "broker": cast.broker,
        "broker_elsewhere": cast.other_broker,
        "alderman": cast.alderman,
        "clerk": cast.clerk,
        "admin": cast.admin,
        "coordinator_oss": official(Role.AREA_COORDINATOR, area=cast.lith),
        "oss_admin": cast.oss_admin,
    }
    _initiative(people["initiator_in_area"], cast.neighbourhood, "in_progress")
    _initiative(people["initiator_elsewhere"], cast.other_district, "submitted")
    _initiative(people["initiator_of_draft"], cast.neighbourhood, "draft")
    offer = factories.offer(cast.neighbour, areas=[cast.neighbourhood])
    clients = {}
    for name in VIEWERS:
        client = Client()
        if name != "anonymous":
            client.force_login(people[name])
        clients[name] = client
    return {"people": people, "offer": offer, "clients": clients}


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    visibility=st.sampled_from(["everyone", "officials", "initiators"]),
    active=st.booleans(),
    viewer=st.sampled_from(VIEWERS),
)
def test_every_way_of_reading_an_offer_follows_the_residents_choice(
    world: dict[str, Any], visibility: str, active: bool, viewer: str
) -> None:
    offer: Offer = world["offer"]
    Offer.objects.filter(pk=offer.pk).update(
        visibility=visibility, status="active" if active else "paused"
    )
    user = world["people"].get(viewer)
    if user is not None:  # a fresh user object: no rules cached from another example
        user = type(user).objects.get(pk=user.pk)
    client = world["clients"][viewer]
    visible = expected_visible(viewer, visibility, active)
    owner_name = world["people"]["owner"].display_name

    # the offer's page
    page = client.get(reverse("expertise:offer", kwargs={"pk": offer.pk}))
    assert page.status_code == (200 if visible else 404)
    assert (owner_name in page.content.decode()) is visible

    # the policy: a check, a query of offers and a query of users, all the same
    loaded = Offer.objects.prefetch_related("areas").get(pk=offer.pk)
    assert policy.OFFER_POLICY.user_has_permission_for_instance(user, "view_offer", loaded) is (
        visible
    )
    assert selectors.visible_offers(user).filter(pk=offer.pk).exists() is visible
    if user is not None:
        users = policy.OFFER_POLICY.users_with_permission_for_instance("view_offer", loaded)
        assert users.filter(pk=user.pk).exists() is visible

    # the search: finds the offer (and shows the name) only for who may see it
    found = selectors.search_offers(user, selectors.SearchFilters(query="Timmerwerk"))
    assert found.filter(pk=offer.pk).exists() is (visible and active)
    search = client.get(reverse("expertise:search"), {"q": "Timmerwerk"})
    if viewer in INVITERS:
        assert search.status_code == 200
        assert (owner_name in search.content.decode()) is (visible and active)
    else:
        assert search.status_code == (302 if viewer == "anonymous" else 403)

    # the invitation form: 404 for who may not know of the offer, 200 for an inviter who may
    invite = client.get(reverse("expertise:invite", kwargs={"pk": offer.pk}))
    if viewer == "anonymous":
        assert invite.status_code == 302
    elif not visible:
        assert invite.status_code == 404
    elif viewer in INVITERS and viewer != "owner" and active:
        assert invite.status_code == 200
    else:
        assert invite.status_code == 403
