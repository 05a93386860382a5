"""The events' policy answers alike whichever way it is asked (property test).

On random worlds (who holds which role where; councils and resident groups in random areas with
random chairs, secretaries, members and contact persons; events of the municipality, a council or
a group in any area) `organise_event` gives the same answer as a check on the loaded event, as
membership of the event in the person's list, as membership of the person in the event's list
of users, and as `has_perm`.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from wijkwerk.areas.models import (
    AreaCouncil,
    CouncilMembership,
    CouncilPosition,
    GroupMembership,
    ResidentGroup,
)
from wijkwerk.events.models import Event
from wijkwerk.events.policy import POLICY

from ..policy_worlds import (
    AGREEMENT_SETTINGS,
    AREAS,
    PEOPLE,
    Map,
    assert_agreement,
    assign_roles,
    build_map,
    fresh_people,
)
from ..policy_worlds import roles as random_roles

pytestmark = pytest.mark.django_db

positions = st.sampled_from([p.value for p in CouncilPosition])
memberships = st.lists(
    st.tuples(st.integers(0, PEOPLE - 1), st.integers(0, 1), positions, st.booleans()),
    max_size=8,
)
events = st.lists(
    st.tuples(st.integers(0, AREAS - 1), st.sampled_from(["municipality", "council", "group"])),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def world(db: None) -> Map:
    return build_map()


@AGREEMENT_SETTINGS
@given(roles=random_roles, drawn_members=memberships, drawn_events=events)
def test_check_list_and_users_agree(world: Map, roles, drawn_members, drawn_events) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        assign_roles(world, roles)
        councils = [
            AreaCouncil.objects.create(area=world.areas[i * 3], name=f"Raad {i}") for i in (0, 1)
        ]
        groups = [
            ResidentGroup.objects.create(area=world.areas[i * 3 + 1], name=f"Groep {i}")
            for i in (0, 1)
        ]
        for person, which, position, contact in drawn_members:
            CouncilMembership.objects.get_or_create(
                council=councils[which], user=world.people[person], defaults={"position": position}
            )
            GroupMembership.objects.get_or_create(
                group=groups[which],
                user=world.people[person],
                defaults={"role": "contact" if contact else "member"},
            )
        start = timezone.now() + datetime.timedelta(days=3)
        made = []
        for i, (area_index, organiser) in enumerate(drawn_events):
            council = councils[i % 2] if organiser == "council" else None
            group = groups[i % 2] if organiser == "group" else None
            area = (council or group).area if (council or group) else world.areas[area_index]
            made.append(
                Event.objects.create(
                    area=area,
                    council=council,
                    group=group,
                    title=f"Bijeenkomst {i}",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=2),
                    place_name="Buurthuis",
                )
            )
        yes = assert_agreement(
            POLICY,
            "events",
            made,
            fresh_people(world),
            lambda ids: Event.objects.filter(pk__in=ids).select_related(
                "area__parent__parent", "area__municipality"
            ),
        )
        event("some allowed" if yes else "nothing allowed")
        transaction.set_rollback(True)
