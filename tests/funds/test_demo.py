"""The demo schemes and funds follow the council documents and load idempotently."""

from __future__ import annotations

import pytest

from wijkwerk.areas.models import AreaKind
from wijkwerk.demo.funds import load_demo_funds
from wijkwerk.funds.models import Fund, Scheme
from wijkwerk.funds.selectors import funds_for_area

from ..areas.factories import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def test_demo_funds_for_oosterhout_and_oss() -> None:
    oosterhout = MunicipalityFactory(name="Oosterhout", slug="oosterhout", cbs_code="GM0826")
    oss = MunicipalityFactory(name="Oss", slug="oss", cbs_code="GM0828")
    dorst = AreaFactory(municipality=oosterhout, name="Dorst", kind=AreaKind.VILLAGE)
    lith = AreaFactory(municipality=oss, name="Lith", kind=AreaKind.VILLAGE)
    AreaFactory(municipality=oss, name="Geffen", kind=AreaKind.VILLAGE)

    first = load_demo_funds()
    assert first.skipped == []
    physical = Fund.objects.filter(name="Bewonersinitiatieven fysieke leefomgeving")
    assert physical.get(year=2020).amount_cents == 15_000_000
    assert set(physical.filter(year__gte=2021).values_list("amount_cents", flat=True)) == {
        30_000_000
    }
    assert physical.filter(year__gte=2021).count() == 7  # 2021 up to next year's budget
    assert {f.payment_iban for f in Fund.objects.all()} == {
        "NL66BNGH0285094291",
        "NL83BNGH0285110378",
    }
    assert Scheme.objects.get(name="Buurtzapbudget").max_per_initiative_cents == 50_000
    assert {f.name for f in funds_for_area(dorst, 2026)} == {
        "Bewonersinitiatieven fysieke leefomgeving",
        "Buurtzapbudget",
        "Buurtzapproject",
        "Jeugdzapproject",
        "Lokaal sociaal beleid",
    }
    lith_fund = Fund.objects.get(name="Leefbaarheidsbudget Lith", year=2026)
    assert lith_fund.amount_cents == 1_000_000
    assert list(funds_for_area(lith, 2026)) == [lith_fund]

    second = load_demo_funds()
    assert (second.schemes, second.funds, second.categories) == (0, 0, 0)
    assert Fund.objects.count() == first.funds


def test_missing_municipalities_are_skipped() -> None:
    assert load_demo_funds().skipped == ["GM0826", "GM0828"]
    assert not Fund.objects.exists()
