"""The news policy answers alike whichever way it is asked (property test, tests/policy_worlds.py).

On random worlds (who holds which role where; councils and groups with chairs, secretaries,
members and contacts drawn from the same people; posts of an area, a council or a group in any
state) every action of `news.policy.POLICY` gives the same answer as a check on the loaded post,
as membership of the post in the person's list, as membership of the person in the post's list
of users, and as `has_perm`.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import event, given
from hypothesis import strategies as st

from wijkwerk.areas.models import AreaCouncil, CouncilPosition, ResidentGroup
from wijkwerk.news.models import NewsPost
from wijkwerk.news.policy import POLICY
from wijkwerk.news.states import PostStatus

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

memberships = st.lists(
    st.tuples(
        st.integers(0, PEOPLE - 1),
        st.integers(0, 1),  # council or group number
        st.sampled_from(sorted(CouncilPosition.values)),
        st.booleans(),  # a group's contact
    ),
    max_size=6,
)
posts = st.lists(
    st.tuples(
        st.integers(0, AREAS - 1),
        st.sampled_from(["area", "council", "group"]),
        st.integers(0, 1),
        st.sampled_from(sorted(PostStatus.values)),
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def world(db: None) -> Map:
    return build_map()


@AGREEMENT_SETTINGS
@given(roles=random_roles, drawn_members=memberships, drawn_posts=posts)
def test_check_list_and_users_agree(world: Map, roles, drawn_members, drawn_posts) -> None:
    with transaction.atomic():
        assign_roles(world, roles)
        councils = [
            AreaCouncil.objects.create(area=world.areas[i * 3], kind="district", name=f"Raad {i}")
            for i in range(2)
        ]
        groups = [
            ResidentGroup.objects.create(area=world.areas[i * 3 + 1], name=f"Groep {i}")
            for i in range(2)
        ]
        for person, number, position, contact in drawn_members:
            councils[number].memberships.get_or_create(
                user=world.people[person], defaults={"position": position}
            )
            groups[number].memberships.get_or_create(
                user=world.people[person], defaults={"role": "contact" if contact else "member"}
            )
        made = []
        for i, (area_index, kind, number, status) in enumerate(drawn_posts):
            council = councils[number] if kind == "council" else None
            group = groups[number] if kind == "group" else None
            area = council.area if council else group.area if group else world.areas[area_index]
            made.append(
                NewsPost.objects.create(
                    municipality_id=area.municipality_id,
                    area=area,
                    council=council,
                    group=group,
                    title=f"Bericht {i}",
                    lead="x",
                    body="y",
                    status=status,
                    published_at=timezone.now() if status != PostStatus.DRAFT else None,
                )
            )
        yes = assert_agreement(
            POLICY,
            "news",
            made,
            fresh_people(world),
            lambda ids: NewsPost.objects.filter(pk__in=ids).select_related("area__parent__parent"),
        )
        event("some allowed" if yes else "nothing allowed")
        transaction.set_rollback(True)
