"""The world the open data tests read: the cast with initiatives in several states, its fund's
ledger, a counted budget round and a draft one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest

from wijkwerk.budgeting.models import BudgetProcess, Plan
from wijkwerk.core.quarters import Quarter
from wijkwerk.initiatives.models import Initiative
from wijkwerk.reach.models import Population
from wijkwerk.reports import services as reports
from wijkwerk.reports.models import QuarterlyReport

from ..budgeting.factories import PlanFactory, counted_round, make_round
from ..cast import Cast


@dataclass
class World:
    cast: Cast
    public: Initiative  # submitted, public
    approved: Initiative  # approved with 1.250,00, the advance paid; its payee given
    draft: Initiative
    hidden: Initiative  # submitted without consent to publication
    counted: BudgetProcess
    draft_round: BudgetProcess
    plans: list[Plan]
    report: QuarterlyReport  # published, for the last quarter
    draft_report: QuarterlyReport  # the quarter before it, not published


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build_world(cast: Cast) -> World:
    public = cast.submitted(title="Geveltuinen in de Kerkstraat")
    approved = cast.advance_paid(125_000, title="Speeltuin Dorst-Zuid")
    draft = cast.draft(title="Nog niet ingediend")
    hidden = cast.submitted(title="Liever niet openbaar", consent_to_publish=False)
    process = make_round(cast, phase="voting")
    plans = [
        PlanFactory(process=process, author=cast.applicant, title="Bankjes op het Dorpsplein"),
        PlanFactory(process=process, author=cast.neighbour, title="Banken bij het Dorpsplein"),
    ]
    counted = counted_round(
        process,
        [(cast.applicant, [plans[0]]), (cast.neighbour, [plans[0], plans[1]])],
        actor=cast.admin,
    )
    draft_round = make_round(cast, phase="ideas", publish=False, title="Concept Dorst 2028")
    Population.objects.create(area=cast.neighbourhood, year=2024, inhabitants=1_100)
    Population.objects.create(area=cast.neighbourhood, year=2025, inhabitants=1_234, households=567)
    last = Quarter.current().previous()
    report = reports.generate(cast.clerk, cast.municipality, last)
    # what the API says of a report, not how its PDF looks: a stand-in PDF, rendered fast
    with mock.patch("wijkwerk.reports.rendering.render_pdf", return_value=PDF):
        report = reports.publish(cast.clerk, report)
    draft_report = reports.generate(cast.clerk, cast.municipality, last.previous())
    return World(
        cast, public, approved, draft, hidden, counted, draft_round, plans, report, draft_report
    )


@pytest.fixture
def world(cast: Cast) -> World:
    return build_world(cast)


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    data: list[dict[str, Any]] = response.json()["results"]
    return data
