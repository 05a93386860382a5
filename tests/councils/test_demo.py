"""The demo's councils: Oss's councils own their leefbaarheidsbudget, Wijkraad Oss Noordwest and
Dorpsraad Lith decided at a past meeting with published minutes and have a meeting coming."""

from __future__ import annotations

import pytest
from django.test import Client

from wijkwerk.areas.models import AreaCouncil
from wijkwerk.councils.models import CouncilDecision, Meeting
from wijkwerk.demo.areas import load_demo
from wijkwerk.demo.councils import load_demo_councils
from wijkwerk.demo.funds import load_demo_funds
from wijkwerk.demo.initiatives import load_demo_initiatives
from wijkwerk.funds.models import Fund
from wijkwerk.funds.selectors import fund_figures

pytestmark = pytest.mark.django_db


def load() -> None:
    """The parts of the demo the councils build on (load_demo runs them in this order)."""
    load_demo()
    load_demo_funds()
    load_demo_initiatives()
    load_demo_councils()


def test_the_demo_councils_decide_and_publish() -> None:
    load()
    noordwest = AreaCouncil.objects.get(name="Wijkraad Oss Noordwest")
    fund = Fund.objects.get(council=noordwest)
    decisions = CouncilDecision.objects.filter(council=noordwest).order_by("pk")
    assert [(d.outcome, d.amount_cents, d.votes_for, d.votes_against) for d in decisions] == [
        ("approved", 185_000, 5, 1),
        ("rejected", None, 2, 4),
    ]
    assert fund_figures(fund).committed >= 185_000
    past, coming = Meeting.objects.filter(council=noordwest).order_by("event__starts_at")
    assert past.minutes_status == "published"
    assert coming.agenda.filter(initiative__isnull=False).count() == 1
    lith = AreaCouncil.objects.get(name="Dorpsraad Lith")
    assert CouncilDecision.objects.filter(council=lith, outcome="approved").count() == 1
    assert Meeting.objects.filter(council__name="Dorpsraad Dorst").count() == 1
    assert Client().get(f"/raden/{noordwest.pk}/").status_code == 200
    assert Client().get(past.get_absolute_url()).status_code == 200
    # loading again adds nothing
    load()
    assert CouncilDecision.objects.count() == 3
