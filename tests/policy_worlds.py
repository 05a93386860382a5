"""Random worlds for the policies' agreement tests (tests/*/test_policy_agreement.py).

A fixed map (two municipalities; districts with neighbourhoods, and a village in a district with
a neighbourhood of its own: three levels, the deepest the app nests)
and six people, built once per test; hypothesis draws who holds which role where, who is a
superuser, and the objects (initiatives in any status, funds covering any of their municipality's
areas), written inside a transaction the test rolls back. `assert_agreement` then asks a policy
every question three ways and compares: the check on each loaded object, membership of the
object in the user's list, and membership of the user in the object's list of users. For people
who are not superusers (Django lets an active superuser do anything before any rule is asked) it
compares `has_perm` too: the registered rule is the policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from wijkwerk.accounts.models import AREA_ROLES, MUNICIPALITY_ROLES, User
from wijkwerk.areas.models import AreaKind
from wijkwerk.core.policy import PermissionPolicy

from .accounts.factories import RoleAssignmentFactory, UserFactory
from .areas.factories import AreaFactory, MunicipalityFactory, NeighbourhoodFactory

PEOPLE = 6
# Each example writes a world and asks every question; forty find a wrong leaf in seconds.
AGREEMENT_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
AREAS = 10  # the map's areas: see build_map


@dataclass
class Map:
    municipalities: list[Any]
    areas: list[Any]  # every area, districts and neighbourhoods of both municipalities
    people: list[User]


def build_map() -> Map:
    municipalities, areas = [], []
    for m, (districts, depth) in enumerate([(2, 2), (1, 1)]):
        municipality = MunicipalityFactory(name=f"Gemeente {m}", slug=f"gemeente-{m}")
        municipalities.append(municipality)
        for d in range(districts):
            district = AreaFactory(
                municipality=municipality, name=f"Wijk {m}.{d}", kind=AreaKind.DISTRICT
            )
            areas.append(district)
            for n in range(depth):
                areas.append(NeighbourhoodFactory(parent=district, name=f"Buurt {m}.{d}.{n}"))
            if m == d == 0:  # three levels deep: a village in a district, with a neighbourhood
                village = AreaFactory(
                    municipality=municipality, parent=district, name="Dorp", kind=AreaKind.VILLAGE
                )
                areas += [village, NeighbourhoodFactory(parent=village, name="Dorpsbuurt")]
    people = [UserFactory(full_name=f"Persoon {i}") for i in range(PEOPLE)]
    assert len(areas) == AREAS
    return Map(municipalities, areas, people)


area_role = st.tuples(
    st.integers(0, PEOPLE - 1), st.sampled_from(sorted(AREA_ROLES)), st.integers(0, 99)
)
municipality_role = st.tuples(
    st.integers(0, PEOPLE - 1), st.sampled_from(sorted(MUNICIPALITY_ROLES)), st.integers(0, 1)
)
roles = st.tuples(
    st.lists(area_role, max_size=8),
    st.lists(municipality_role, max_size=3),
    st.lists(st.booleans(), min_size=PEOPLE, max_size=PEOPLE),
)


def assign_roles(world: Map, drawn: tuple[list[Any], list[Any], list[bool]]) -> None:
    area_roles, municipality_roles, superusers = drawn
    for person, role, area_index in set(area_roles):
        area = world.areas[area_index % len(world.areas)]
        RoleAssignmentFactory(
            user=world.people[person], role=role, area=area, municipality=area.municipality
        )
    for person, role, m in set(municipality_roles):
        RoleAssignmentFactory(
            user=world.people[person], role=role, area=None, municipality=world.municipalities[m]
        )
    for person, is_superuser in zip(world.people, superusers, strict=True):
        # only a few superusers: most worlds are about roles
        person.is_superuser = is_superuser and person.pk % 3 == 0
        person.save(update_fields=["is_superuser"])


def fresh_people(world: Map) -> list[Any]:
    """The people as a request would load them (no role index cached yet), and a visitor."""
    return [*User.objects.filter(pk__in=[p.pk for p in world.people]), AnonymousUser()]


def assert_agreement(
    policy: PermissionPolicy,
    app_label: str,
    objects: Iterable[Model],
    people: list[Any],
    load: Callable[[list[int]], Iterable[Model]],
) -> int:
    """Every action, object and person: the check, the object list and the user list agree.
    Returns how many checks said yes (so a test can see it is not vacuous)."""
    ids = [obj.pk for obj in objects]
    loaded = list(load(ids))
    real = [person for person in people if person.is_authenticated]
    yes = 0
    for action in policy.actions:
        listed = {
            person.pk: set(
                policy.instances_user_has_permission_for(person, action)
                .filter(pk__in=ids)
                .values_list("pk", flat=True)
            )
            for person in people
        }
        for obj in loaded:
            users = set(
                policy.users_with_permission_for_instance(action, obj).values_list("pk", flat=True)
            )
            for person in people:
                allowed = policy.user_has_permission_for_instance(person, action, obj)
                yes += allowed
                where = f"{action} {obj!r} (pk {obj.pk}) for {person!r}"
                assert allowed == (obj.pk in listed[person.pk]), f"check vs list: {where}"
                if person in real:
                    assert allowed == (person.pk in users), f"check vs users: {where}"
                if not person.is_superuser:
                    assert person.has_perm(f"{app_label}.{action}", obj) == allowed, where
    return yes
