"""The funds' policies answer alike whichever way they are asked (property test).

On random worlds (who holds which role where; funds of either municipality, municipality-wide or
covering some of its areas; initiatives granted from them by random officials, above or below the
scheme's second-official threshold) every action of `FUND_POLICY` and `BOOKING_POLICY` gives the
same answer as a check on the loaded object, as membership of the object in the person's list, as
membership of the person in the object's list of users, and as `has_perm`. The overview's list
(`visible_funds`) is the policy's.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import event, given
from hypothesis import strategies as st

from wijkwerk.funds.models import Fund, Scheme
from wijkwerk.funds.policy import BOOKING_POLICY, FUND_POLICY
from wijkwerk.funds.selectors import visible_funds
from wijkwerk.initiatives.models import Initiative, Status

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

funds = st.lists(
    st.tuples(st.integers(0, 1), st.sets(st.integers(0, AREAS - 1), max_size=3)),
    min_size=1,
    max_size=4,
)
grants = st.lists(
    st.tuples(
        st.integers(0, AREAS - 1),  # area
        st.integers(0, 3),  # fund (modulo the funds drawn), or none when 3
        st.none() | st.integers(0, PEOPLE - 1),  # who approved the grant
        st.sampled_from([None, 0, 50_000, 100_000, 150_000]),  # granted
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def world(db: None) -> Map:
    world = build_map()
    for municipality in world.municipalities:
        Scheme.objects.create(
            municipality=municipality,
            name="Regeling",
            max_per_initiative_cents=500_000,
            second_official_above_cents=100_000 if municipality.pk % 2 else 0,
        )
    return world


def _make_funds(world: Map, drawn: list[tuple[int, set[int]]]) -> list[Fund]:
    made = []
    for i, (m, covered) in enumerate(drawn):
        municipality = world.municipalities[m]
        fund = Fund.objects.create(
            municipality=municipality,
            scheme=Scheme.objects.get(municipality=municipality),
            name=f"Fonds {i}",
            year=2026,
            amount_cents=1_000_000,
        )
        # only areas of its own municipality, as the fund form allows
        fund.areas.set(
            [world.areas[a] for a in covered if world.areas[a].municipality_id == municipality.pk]
        )
        made.append(fund)
    return made


@AGREEMENT_SETTINGS
@given(roles=random_roles, drawn_funds=funds, drawn_grants=grants)
def test_check_list_and_users_agree(world: Map, roles, drawn_funds, drawn_grants) -> None:
    with transaction.atomic():
        assign_roles(world, roles)
        made_funds = _make_funds(world, drawn_funds)
        people = fresh_people(world)
        yes = assert_agreement(
            FUND_POLICY,
            "funds",
            made_funds,
            people,
            lambda ids: Fund.objects.filter(pk__in=ids).select_related("municipality"),
        )
        for person in people:
            assert set(visible_funds(person)) == set(
                FUND_POLICY.instances_user_has_permission_for(person, "view_fund")
            )
        made = []
        for i, (area_index, fund_index, approver, granted) in enumerate(drawn_grants):
            area = world.areas[area_index]
            fund = made_funds[fund_index % len(made_funds)] if fund_index < 3 else None
            made.append(
                Initiative.objects.create(
                    title=f"Plan {i}",
                    area=area,
                    applicant=world.people[0],
                    status=Status.APPROVED,
                    requested_cents=200_000,
                    granted_cents=granted,
                    fund=fund,
                    approved_by=None if approver is None else world.people[approver],
                )
            )
        yes += assert_agreement(
            BOOKING_POLICY,
            "funds",
            made,
            people,
            lambda ids: Initiative.objects.filter(pk__in=ids).select_related(
                "area__parent__parent", "fund__scheme"
            ),
        )
        event("some allowed" if yes else "nothing allowed")
        transaction.set_rollback(True)
