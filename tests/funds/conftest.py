from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from wijkwerk.accounts.models import Role
from wijkwerk.funds.models import Fund

from ..accounts.factories import official
from ..areas.factories import AreaFactory, MunicipalityFactory
from ..initiatives.factories import InitiativeFactory
from .factories import FundFactory, SchemeFactory


@dataclass
class Setting:
    municipality: Any
    area: Any
    other_area: Any
    fund: Fund
    broker: Any
    admin: Any
    initiative: Any


@pytest.fixture
def setting(db: None) -> Setting:
    """A municipality with a EUR 7.000 fund (scheme maximum EUR 5.000), a broker for `area`, an
    admin, and an initiative under review in `area`."""
    municipality = MunicipalityFactory(name="Oosterhout", slug="oosterhout", cbs_code="GM0826")
    area = AreaFactory(municipality=municipality, name="Dorst")
    other_area = AreaFactory(municipality=municipality, name="Slotjes")
    scheme = SchemeFactory(municipality=municipality, max_per_initiative_cents=500_000)
    fund = FundFactory(scheme=scheme, name="Bewonersinitiatieven", year=2026, amount_cents=700_000)
    return Setting(
        municipality=municipality,
        area=area,
        other_area=other_area,
        fund=fund,
        broker=official(Role.BROKER, area=area),
        admin=official(Role.ADMIN, municipality=municipality),
        initiative=InitiativeFactory(area=area),
    )
