"""The surveys' policy answers alike whichever way it is asked (property test on
tests/policy_worlds.py): on random worlds (who holds which role where; surveys of any area, in
any status, with results live or after closing, an end passed or ahead, held by the area, a
council with a random chair and secretary, or a group with a random contact) every action gives
the same answer as a check on the loaded object, as membership of the object in the person's
list, as membership of the person in the object's list of users, and as `has_perm`."""

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
from wijkwerk.surveys.models import ResultsShown, Survey, SurveyStatus
from wijkwerk.surveys.policy import POLICY

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

surveys = st.lists(
    st.tuples(
        st.integers(0, AREAS - 1),
        st.sampled_from(SurveyStatus.values),
        st.sampled_from(ResultsShown.values),
        st.booleans(),  # the end has passed
        st.sampled_from(["area", "council", "group"]),
        st.integers(0, PEOPLE - 1),  # the council's chair or secretary, the group's contact
        st.sampled_from(list(CouncilPosition.values)),
    ),
    min_size=1,
    max_size=5,
)


@pytest.fixture
def world(db: None) -> Map:
    return build_map()


@AGREEMENT_SETTINGS
@given(roles=random_roles, drawn=surveys)
def test_check_list_and_users_agree(world: Map, roles, drawn) -> None:
    now = timezone.now()
    with transaction.atomic():
        assign_roles(world, roles)
        made = []
        for i, (area_index, status, shown, ended, holder, person, position) in enumerate(drawn):
            area = world.areas[area_index]
            council = group = None
            if holder == "council":
                council = AreaCouncil.objects.create(
                    area=area, kind="village_council", name=f"Raad {i}"
                )
                CouncilMembership.objects.create(
                    council=council, user=world.people[person], position=position
                )
            elif holder == "group":
                group = ResidentGroup.objects.create(area=area, name=f"Groep {i}")
                GroupMembership.objects.create(
                    group=group,
                    user=world.people[person],
                    role="contact" if position != "member" else "member",
                )
            made.append(
                Survey.objects.create(
                    municipality=area.municipality,
                    area=area,
                    council=council,
                    group=group,
                    title=f"Peiling {i}",
                    status=status,
                    results_shown=shown,
                    closes_at=now + datetime.timedelta(days=-1 if ended else 1),
                )
            )
        yes = assert_agreement(
            POLICY,
            "surveys",
            made,
            fresh_people(world),
            lambda ids: Survey.objects.filter(pk__in=ids).select_related("area__parent__parent"),
        )
        event("some allowed" if yes else "nothing allowed")
        transaction.set_rollback(True)
