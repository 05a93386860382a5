"""The pilots' and lessons' policies answer alike whichever way they are asked (property test,
tests/policy_worlds.py).

On random worlds (who holds which role where; pilots over one or two areas; lessons of a pilot,
an area or both, in every status, by any of the people) every action of `PILOT_POLICY`,
`LESSON_POLICY` and `MUNICIPALITY_POLICY` gives the same answer as a check on the loaded object,
as membership of the object in the person's list, as membership of the person in the object's
list of users, and as `has_perm`.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.db.models import Prefetch
from hypothesis import event, given
from hypothesis import strategies as st

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.learning.models import Lesson, LessonStatus, Perspective, Pilot
from wijkwerk.learning.policy import LESSON_POLICY, MUNICIPALITY_POLICY, PILOT_POLICY

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

pilots = st.lists(
    st.tuples(st.integers(0, AREAS - 1), st.integers(0, AREAS - 1)), min_size=1, max_size=3
)
lessons = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(0, 2)),  # the pilot (if drawn)
        st.one_of(st.none(), st.integers(0, AREAS - 1)),  # the area
        st.sampled_from(sorted(LessonStatus.values)),
        st.integers(0, PEOPLE - 1),  # the author
    ),
    min_size=1,
    max_size=5,
)


@pytest.fixture
def world(db: None) -> Map:
    return build_map()


AREAS_LOADED = Prefetch("areas", queryset=Area.objects.select_related("parent__parent"))


@AGREEMENT_SETTINGS
@given(roles=random_roles, drawn_pilots=pilots, drawn_lessons=lessons)
def test_check_list_and_users_agree(world: Map, roles, drawn_pilots, drawn_lessons) -> None:
    with transaction.atomic():
        assign_roles(world, roles)
        today = datetime.date(2026, 6, 1)
        made_pilots = []
        for i, (first, second) in enumerate(drawn_pilots):
            municipality_id = world.areas[first].municipality_id
            pilot = Pilot.objects.create(
                municipality_id=municipality_id,
                title=f"Pilot {i}",
                goal="x",
                starts_on=today,
                ends_on=today + datetime.timedelta(days=10),
                created_by=world.people[0],
            )
            areas = [world.areas[first]]
            if world.areas[second].municipality_id == municipality_id:
                areas.append(world.areas[second])
            pilot.areas.set(areas)
            made_pilots.append(pilot)
        made_lessons = []
        for i, (pilot_index, area_index, status, author) in enumerate(drawn_lessons):
            pilot = made_pilots[pilot_index % len(made_pilots)] if pilot_index is not None else None
            area = world.areas[area_index] if area_index is not None else None
            if pilot is None and area is None:
                area = world.areas[0]
            municipality_id = pilot.municipality_id if pilot else area.municipality_id
            if area is not None and area.municipality_id != municipality_id:
                area = None
            made_lessons.append(
                Lesson.objects.create(
                    municipality_id=municipality_id,
                    pilot=pilot,
                    area=area,
                    perspective=Perspective.RESIDENTS,
                    title=f"Les {i}",
                    text="y",
                    learned_on=today,
                    author=world.people[author],
                    status=status,
                    rejection_reason="reden" if status == LessonStatus.REJECTED else "",
                )
            )
        people = fresh_people(world)
        yes = assert_agreement(
            PILOT_POLICY,
            "learning",
            made_pilots,
            people,
            lambda ids: Pilot.objects.filter(pk__in=ids).prefetch_related(AREAS_LOADED),
        )
        yes += assert_agreement(
            LESSON_POLICY,
            "learning",
            made_lessons,
            fresh_people(world),
            lambda ids: (
                Lesson.objects.filter(pk__in=ids)
                .select_related("area__parent__parent", "pilot")
                .prefetch_related(
                    Prefetch("pilot__areas", queryset=Area.objects.select_related("parent__parent"))
                )
            ),
        )
        yes += assert_agreement(
            MUNICIPALITY_POLICY,
            "learning",
            list(Municipality.objects.all()),
            fresh_people(world),
            lambda ids: Municipality.objects.filter(pk__in=ids),
        )
        event("some allowed" if yes else "nothing allowed")
        transaction.set_rollback(True)
