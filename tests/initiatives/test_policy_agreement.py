"""The initiatives' policy answers alike whichever way it is asked (property test).

On random worlds (who holds which role where, initiatives of random applicants in random areas,
statuses and consent) every action of `initiatives.policy.POLICY` gives the same answer as a check
on the loaded initiative, as membership of the initiative in the person's list, as membership of
the person in the initiative's list of users, and as `has_perm`.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import event, given
from hypothesis import strategies as st

from wijkwerk.initiatives.models import Initiative, Status
from wijkwerk.initiatives.policy import POLICY

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

# One initiative in every area of the map (so every role meets every lineage), in random
# statuses, of random applicants, with or without consent.
initiatives = st.lists(
    st.tuples(
        st.integers(0, PEOPLE - 1),  # applicant
        st.sampled_from(Status.values),
        st.booleans(),  # consent to publish
    ),
    min_size=AREAS,
    max_size=AREAS,
)


@pytest.fixture
def world(db: None) -> Map:
    return build_map()


def _load(ids: list[int]) -> list[Initiative]:
    return list(
        Initiative.objects.filter(pk__in=ids).select_related(
            "area__parent__parent", "area__municipality"
        )
    )


@AGREEMENT_SETTINGS
@given(roles=random_roles, drawn=initiatives)
def test_check_list_and_users_agree(world: Map, roles, drawn) -> None:
    with transaction.atomic():
        assign_roles(world, roles)
        made = [
            Initiative.objects.create(
                title=f"Plan {i}",
                area=area,
                applicant=world.people[applicant],
                status=status,
                consent_to_publish=consent,
            )
            for i, (area, (applicant, status, consent)) in enumerate(
                zip(world.areas, drawn, strict=True)
            )
        ]
        yes = assert_agreement(POLICY, "initiatives", made, fresh_people(world), _load)
        event("some allowed" if yes else "nothing allowed")
        transaction.set_rollback(True)


def test_every_rule_of_the_policy_is_registered() -> None:
    from rules import perm_exists

    assert all(perm_exists(f"initiatives.{action}") for action in POLICY.actions)
