"""Approval offers only the funds that may pay the initiative, with what each has available, and
refuses a fund of another scheme, year or area with a message that says which."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives import services
from wijkwerk.initiatives.forms import TransitionForm
from wijkwerk.initiatives.models import Status
from wijkwerk.initiatives.workflow import BY_ACTION

from ..cast import budget_year
from ..funds.factories import FundFactory, SchemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_funds(cast):
    """Funds an approval must not offer: another scheme's, last year's, another area's, a closed
    one; and a second good one for the whole municipality."""
    other_scheme = SchemeFactory(municipality=cast.municipality, name="Buurtzapbudget")
    year = budget_year()
    wrong = {
        "scheme": FundFactory(scheme=other_scheme, name="Buurtzap", year=year),
        "year": FundFactory(scheme=cast.scheme, name="Bewonersinitiatieven", year=year - 1),
        "area": FundFactory(scheme=cast.scheme, name="Slotjesbudget", year=year),
        "closed": FundFactory(scheme=cast.scheme, name="Oud potje", year=year, is_active=False),
    }
    wrong["area"].areas.set([cast.other_district])
    village = FundFactory(
        scheme=cast.scheme, name="Dorpsbudget Dorst", year=year, amount_cents=50_000
    )
    village.areas.set([cast.district])
    return wrong, village


def test_only_matching_funds_are_offered_with_what_they_have(cast, other_funds):
    _wrong, village = other_funds
    initiative = cast.submitted()
    form = TransitionForm(step=BY_ACTION["approve"], initiative=initiative)
    field = form.fields["fund"]
    offered = {fund.pk for fund in field.queryset}
    assert offered == {cast.fund.pk, village.pk}
    labels = [str(label) for _value, label in field.choices]
    year = budget_year()
    assert labels == [
        "Kies een fonds",
        f"Bewonersinitiatieven ({year}): € 300.000,00 beschikbaar",
        f"Dorpsbudget Dorst ({year}): € 500,00 beschikbaar",
    ]
    # the village's own fund comes first, but it cannot pay € 1.500: the big one is chosen
    assert field.initial == cast.fund.pk


def test_the_area_fund_is_chosen_when_it_can_pay(cast, other_funds):
    _wrong, village = other_funds
    initiative = cast.submitted(lines=(20_000, 10_000))
    form = TransitionForm(step=BY_ACTION["approve"], initiative=initiative)
    assert form.fields["fund"].initial == village.pk


@pytest.mark.parametrize("which", ["scheme", "year", "area", "closed"])
def test_a_fund_that_does_not_match_is_refused_and_books_nothing(cast, other_funds, which):
    wrong, _village = other_funds
    initiative = cast.submitted()
    with pytest.raises(ValidationError) as refused:
        services.initiative_transition(
            actor=cast.broker,
            initiative=initiative,
            action="approve",
            amount_cents=125_000,
            fund=wrong[which],
        )
    assert (
        refused.value.code
        == {
            "scheme": "fund_scheme",
            "year": "fund_year",
            "area": "fund_area",
            "closed": "fund_closed",
        }[which]
    )
    assert wrong[which].name in refused.value.messages[0]
    assert fund_figures(wrong[which]).committed == 0
    initiative.refresh_from_db()
    assert initiative.status == Status.UNDER_REVIEW


def test_the_approval_page_shows_balances_and_refuses_a_posted_mismatch(cast, other_funds):
    wrong, _village = other_funds
    initiative = cast.submitted()
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(cast.broker)
    url = reverse("initiatives:transition", args=[initiative.pk, "approve"])
    html = client.get(url).content.decode()
    assert "€ 300.000,00 beschikbaar" in html
    assert "Buurtzap" not in html and "Slotjesbudget" not in html
    response = client.post(url, {"amount": "1.250,00", "fund": wrong["scheme"].pk})
    assert response.status_code == 400
    assert fund_figures(wrong["scheme"]).committed == 0
