"""The ledger's money in the cast (tests/cast.py): `fund` is the cast's fund cut to € 7.000 (its
scheme allows at most € 5.000 per initiative), so the ledger's limits are near; `initiative` is
under review in Dorst."""

from __future__ import annotations

import pytest

from wijkwerk.funds.models import Fund
from wijkwerk.initiatives.models import Initiative

from ..cast import Cast
from ..initiatives.factories import InitiativeFactory


@pytest.fixture
def fund(cast: Cast) -> Fund:
    assert cast.fund.scheme.max_per_initiative_cents == 500_000
    cast.fund.amount_cents = 700_000
    cast.fund.save(update_fields=["amount_cents"])
    return cast.fund


@pytest.fixture
def initiative(cast: Cast) -> Initiative:
    return InitiativeFactory(area=cast.district)
