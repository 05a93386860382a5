"""What the open data API returns: every field by name, so that nothing else can leave.

The representations are whitelists. A field is only here when the public page of the object
shows it to a visitor who is not logged in; personal data (names, e-mail addresses, addresses,
bank accounts, ages) and internal notes are never fields. `tests/opendata/test_privacy.py`
walks every endpoint and looks for them.
"""

from __future__ import annotations

import datetime

from ninja import Schema
from pydantic import ConfigDict, Field

CURRENCY = "EUR"


class Link(Schema):
    href: str


class PageLinks(Schema):
    model_config = ConfigDict(populate_by_name=True)

    self_: Link = Field(alias="self")
    first: Link
    last: Link
    prev: Link | None = None
    next: Link | None = None


class Page(Schema):
    """The frame of every collection: the links to walk it, the total and this page's items."""

    model_config = ConfigDict(populate_by_name=True)

    links: PageLinks = Field(alias="_links")
    total: int = Field(description="How many items all pages hold together.")
    page: int
    page_size: int


class InvalidParam(Schema):
    name: str
    reason: str


class Problem(Schema):
    """An error as RFC 9457 describes it (application/problem+json)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    invalid_params: list[InvalidParam] | None = None


# --- places ---------------------------------------------------------------------------------


class MunicipalityRef(Schema):
    id: int
    name: str
    cbs_code: str


class Municipality(MunicipalityRef):
    slug: str
    website: str
    url: str = Field(description="The municipality's page on this site.")


class AreaRef(Schema):
    id: int
    name: str
    cbs_code: str


class Population(Schema):
    inhabitants: int
    households: int | None
    year: int = Field(description="On 1 January of this year (CBS).")


class Area(AreaRef):
    slug: str
    kind: str = Field(description="district, village or neighbourhood")
    code_is_official: bool = Field(
        description="False where the code was made up because CBS has none for this area."
    )
    cbs_year: int | None
    municipality: MunicipalityRef
    parent: AreaRef | None
    population: Population | None = Field(
        None, description="The latest population figure imported for the area, if any."
    )
    url: str


class AreaPage(Page):
    results: list[Area]


class MunicipalityPage(Page):
    results: list[Municipality]


# --- initiatives ----------------------------------------------------------------------------


class Initiative(Schema):
    id: int
    title: str
    summary: str
    status: str
    area: AreaRef
    municipality: MunicipalityRef
    category: str | None
    requested_cents: int
    granted_cents: int | None = Field(description="Set once the municipality granted money.")
    currency: str = CURRENCY
    support_count: int
    submitted_at: datetime.datetime | None
    url: str


class InitiativePage(Page):
    results: list[Initiative]


# --- money ----------------------------------------------------------------------------------


class CouncilRef(Schema):
    id: int
    name: str


class Fund(Schema):
    id: int
    name: str
    year: int
    municipality: MunicipalityRef
    scheme: str
    council: CouncilRef | None = Field(description="A council's own budget: the council decides.")
    areas: list[AreaRef] = Field(description="Empty: the fund covers the whole municipality.")
    is_active: bool
    amount_cents: int
    committed_cents: int
    paid_cents: int
    released_cents: int
    refunded_cents: int
    corrected_cents: int
    open_commitments_cents: int = Field(description="committed - paid - released")
    available_cents: int = Field(description="amount - committed + released + refunded + corrected")
    currency: str = CURRENCY


class FundPage(Page):
    results: list[Fund]


# --- budget rounds --------------------------------------------------------------------------


class RoundArea(AreaRef):
    budget_cents: int


class Phase(Schema):
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class BallotsFile(Schema):
    url: str
    filename: str
    sha256: str


class ResultPlan(Schema):
    plan_id: int
    project_id: str
    title: str
    category: str | None
    cost_cents: int
    votes: int | str = Field(
        description='Ballots for the plan; an exact fraction such as "7/2" when the round '
        "weighs its ballots."
    )
    score: int | str
    funded: bool


class AreaResult(Schema):
    area: AreaRef
    budget_cents: int
    spent_cents: int
    voters: int
    counted_at: datetime.datetime
    pb_file: BallotsFile
    plans: list[ResultPlan]


class BudgetRound(Schema):
    id: int
    title: str
    municipality: MunicipalityRef
    status: str
    budget_cents: int
    currency: str = CURRENCY
    ballot_type: str
    rule: str
    areas: list[RoundArea]
    phases: list[Phase]
    closed_at: datetime.datetime | None
    counted_at: datetime.datetime | None
    url: str
    result_url: str | None = Field(description="The result page, once counted.")
    result_json_url: str | None = Field(description="The full result as JSON, once counted.")


class BudgetRoundDetail(BudgetRound):
    results: list[AreaResult] = Field(
        description="Per area the published count with its ballots file (.pb); empty until "
        "the round is counted."
    )


class BudgetRoundPage(Page):
    results: list[BudgetRound]


class Plan(Schema):
    id: int
    title: str
    summary: str
    area: AreaRef
    category: str | None
    estimated_cost_cents: int
    feasibility: str
    municipal_cost_cents: int | None
    currency: str = CURRENCY
    like_count: int
    created_at: datetime.datetime
    url: str


class PlanPage(Page):
    results: list[Plan]


# --- reports --------------------------------------------------------------------------------


class Report(Schema):
    id: int
    municipality: MunicipalityRef
    quarter: str = Field(description="The quarter, e.g. 2026-K3.")
    published_at: datetime.datetime
    url: str
    pdf_url: str
    sha256: str


class ReportPage(Page):
    results: list[Report]
