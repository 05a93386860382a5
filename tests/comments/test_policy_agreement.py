"""The comments policy answers alike whichever way it is asked (property test,
tests/policy_worlds.py): on random worlds of roles and comments (in any area, by any person,
visible or hidden) every action of `comments.policy.POLICY` agrees as a check, a list of
comments, a list of users and `has_perm`; and `moderates_in_municipality` (the queue's gate)
holds exactly for those who moderate some comment that could be there."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from hypothesis import event, given
from hypothesis import strategies as st

from wijkwerk.comments.models import Comment, CommentStatus
from wijkwerk.comments.policy import POLICY, moderates_in_municipality

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

comments = st.lists(
    st.tuples(st.integers(0, AREAS - 1), st.integers(0, PEOPLE - 1), st.booleans()),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def world(db: None) -> Map:
    return build_map()


@AGREEMENT_SETTINGS
@given(roles=random_roles, drawn=comments)
def test_check_list_and_users_agree(world: Map, roles, drawn) -> None:
    with transaction.atomic():
        assign_roles(world, roles)
        content_type = ContentType.objects.get_for_model(Comment)
        made = []
        for i, (area_index, author, hidden) in enumerate(drawn):
            area = world.areas[area_index]
            made.append(
                Comment.objects.create(
                    content_type=content_type,
                    object_id=i + 1,
                    municipality_id=area.municipality_id,
                    area=area,
                    author=world.people[author],
                    body="Reactie",
                    status=CommentStatus.HIDDEN if hidden else CommentStatus.VISIBLE,
                    hidden_reason="Reden" if hidden else "",
                )
            )
        people = fresh_people(world)
        yes = assert_agreement(
            POLICY,
            "comments",
            made,
            people,
            lambda ids: Comment.objects.filter(pk__in=ids).select_related("area__parent__parent"),
        )
        # the queue's gate: whoever moderates a comment in an area of the municipality
        for municipality in world.municipalities:
            probes = [
                Comment(area=area, municipality_id=municipality.pk)
                for area in world.areas
                if area.municipality_id == municipality.pk
            ]
            for person in people:
                expected = any(
                    POLICY.user_has_permission_for_instance(person, "moderate_comment", probe)
                    for probe in probes
                )
                assert moderates_in_municipality(person, municipality) == expected, person
        event("some allowed" if yes else "nothing allowed")
        transaction.set_rollback(True)
