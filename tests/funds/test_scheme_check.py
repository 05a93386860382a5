"""The scheme's rules applied to an application, and what accountability is asked."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from wijkwerk.funds.checks import Cosigner, accountability_level, scheme_check
from wijkwerk.funds.models import AccountabilityLevel, Scheme

from .factories import CategoryFactory, SchemeFactory

TODAY = datetime.date(2026, 3, 2)


def scheme(**fields: object) -> Scheme:
    values: dict[str, object] = {
        "name": "Buurtzapbudget",
        "max_per_initiative_cents": 50_000,
        "min_applicant_age": 18,
        "applicant_must_live_in_area": True,
        "legal_entity_above_cents": None,
        "required_cosigners": 4,
        "cosigner_min_age": 12,
        "cosigners_must_live_in_area": True,
        "required_online_supporters": 0,
        "lead_time_days": 28,
        "settle_at_once_below_cents": 500_000,
        "report_up_to_cents": 5_000_000,
    }
    values.update(fields)
    return Scheme(**values)  # type: ignore[arg-type]


def check(s: Scheme, **overrides: object) -> list[str]:
    args: dict[str, object] = {
        "applicant_age": 30,
        "lives_in_area": True,
        "is_legal_entity": False,
        "amount_cents": 40_000,
        "activity_start": TODAY + datetime.timedelta(days=28),
        "today": TODAY,
        "cosigners": [Cosigner(age=12, lives_in_area=True)] * 4,
        "online_supporters": 0,
    }
    args.update(overrides)
    return [p.code for p in scheme_check(s, **args)]  # type: ignore[arg-type]


def test_a_good_application_has_no_problems() -> None:
    assert check(scheme()) == []


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"amount_cents": 50_001}, "amount_above_maximum"),
        ({"amount_cents": 0}, "amount_not_positive"),
        ({"amount_cents": -100}, "amount_not_positive"),
        ({"applicant_age": 17}, "applicant_too_young"),
        ({"lives_in_area": False}, "applicant_not_in_area"),
        ({"activity_start": TODAY + datetime.timedelta(days=27)}, "lead_time_too_short"),
        ({"activity_start": None}, "activity_start_missing"),
        ({"cosigners": [Cosigner(age=12, lives_in_area=True)] * 3}, "support_insufficient"),
        (
            {"cosigners": [Cosigner(age=11, lives_in_area=True)] * 4},
            "support_insufficient",
        ),
        (
            {"cosigners": [Cosigner(age=40, lives_in_area=False)] * 4},
            "support_insufficient",
        ),
    ],
)
def test_each_rule_gives_its_problem(overrides: dict[str, object], code: str) -> None:
    assert check(scheme(), **overrides) == [code]


def test_maximum_is_inclusive_and_the_message_names_the_amounts() -> None:
    s = scheme()
    assert check(s, amount_cents=50_000) == []
    with translation.override("nl"):
        [problem] = scheme_check(
            s,
            applicant_age=30,
            lives_in_area=True,
            is_legal_entity=False,
            amount_cents=60_000,
            activity_start=TODAY + datetime.timedelta(days=30),
            today=TODAY,
            cosigners=[Cosigner(age=20, lives_in_area=True)] * 4,
        )
    assert problem.field == "amount"
    assert "€ 500,00" in problem.message
    assert "€ 600,00" in problem.message


def test_legal_entity_required_only_above_the_amount() -> None:
    s = scheme(max_per_initiative_cents=2_000_000, legal_entity_above_cents=500_000)
    assert check(s, amount_cents=500_000) == []
    assert check(s, amount_cents=500_001) == ["legal_entity_required"]
    assert check(s, amount_cents=500_001, is_legal_entity=True) == []


def test_non_residents_may_apply_and_cosign_where_the_scheme_allows() -> None:
    s = scheme(applicant_must_live_in_area=False, cosigners_must_live_in_area=False)
    assert check(s, lives_in_area=False, cosigners=[Cosigner(30, False)] * 4) == []


def test_online_supporters_are_an_alternative_to_cosigners() -> None:
    s = scheme(required_online_supporters=25)
    assert check(s, cosigners=[], online_supporters=25) == []
    assert check(s, cosigners=[], online_supporters=24) == ["support_insufficient"]
    only_online = scheme(required_cosigners=0, required_online_supporters=10)
    assert check(only_online, cosigners=[Cosigner(30, True)] * 9, online_supporters=9) == [
        "support_insufficient"
    ]
    no_support = scheme(required_cosigners=0)
    assert check(no_support, cosigners=[]) == []


def test_several_problems_are_all_reported() -> None:
    codes = check(scheme(), amount_cents=99_999_999, applicant_age=10, lives_in_area=False)
    assert codes == ["amount_above_maximum", "applicant_too_young", "applicant_not_in_area"]


@pytest.mark.django_db
def test_category_must_be_accepted_when_the_scheme_names_categories() -> None:
    s = SchemeFactory(required_cosigners=0)
    physical = CategoryFactory(municipality=s.municipality, name="Fysiek")
    social = CategoryFactory(municipality=s.municipality, name="Sociaal")
    assert check(s, category=social) == []  # no categories named: all accepted
    s.categories.add(physical)
    assert check(s, category=physical) == []
    assert check(s, category=social) == ["category_not_accepted"]


@pytest.mark.parametrize(
    ("granted", "level"),
    [
        (1, AccountabilityLevel.NOTICE),
        (499_999, AccountabilityLevel.NOTICE),
        (500_000, AccountabilityLevel.REPORT),
        (5_000_000, AccountabilityLevel.REPORT),
        (5_000_001, AccountabilityLevel.ACCOUNTANT),
    ],
)
def test_accountability_level_by_amount(granted: int, level: AccountabilityLevel) -> None:
    assert accountability_level(scheme(), granted) == level
