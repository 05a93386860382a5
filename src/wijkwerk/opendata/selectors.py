"""Reads for the open data API: what a visitor who is not logged in may see, and nothing else.

Visibility is never decided here: each app's own policy answers it for an anonymous visitor
(`POLICY.condition(action).objects(ANONYMOUS)`, the same Q its public pages use) or its public
selector does (`initiatives.selectors.public_initiatives`, `budgeting.result_selectors`). A
logged-in official gets the same answers as everyone: the API has no sessions and no drafts.

Every list is a queryset in a stable order (its id last), paged by the caller; what a page needs
is joined or prefetched, so a page costs the same number of queries however many rows there are.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.budgeting.models import AreaResult, BudgetProcess, Plan, ProcessArea, ProcessPhase
from wijkwerk.budgeting.policy import PLAN_POLICY, PROCESS_POLICY
from wijkwerk.budgeting.result_selectors import page_results
from wijkwerk.budgeting.states import VISIBLE_PLAN
from wijkwerk.funds.models import Fund
from wijkwerk.funds.selectors import Figures, with_figures
from wijkwerk.initiatives.models import Initiative
from wijkwerk.initiatives.policy import POLICY as INITIATIVE_POLICY
from wijkwerk.initiatives.selectors import LIST_FIELDS, ListFilters, public_initiatives
from wijkwerk.reach.models import Population
from wijkwerk.reports.models import QuarterlyReport
from wijkwerk.reports.policy import POLICY as REPORT_POLICY

ANONYMOUS = AnonymousUser()


def municipalities(*, cbs_code: str | None = None) -> QuerySet[Municipality]:
    rows = Municipality.objects.only("id", "name", "slug", "cbs_code", "website")
    if cbs_code:
        rows = rows.filter(cbs_code=cbs_code)
    return rows.order_by("name", "id")


def municipality(pk: int) -> Municipality | None:
    return municipalities().filter(pk=pk).first()


AREA_FIELDS = (
    "id",
    "name",
    "slug",
    "kind",
    "cbs_code",
    "cbs_year",
    "code_is_demo",
    "municipality__id",
    "municipality__name",
    "municipality__slug",
    "municipality__cbs_code",
    "parent__id",
    "parent__name",
    "parent__cbs_code",
)


def areas(
    *,
    municipality: str | None = None,
    kind: str | None = None,
    parent: str | None = None,
    cbs_code: str | None = None,
) -> QuerySet[Area]:
    """Every area (areas are public): `municipality` and `parent` by their CBS codes."""
    rows = Area.objects.select_related("municipality", "parent").only(*AREA_FIELDS)
    if municipality:
        rows = rows.filter(municipality__cbs_code=municipality)
    if kind:
        rows = rows.filter(kind=kind)
    if parent:
        rows = rows.filter(parent__cbs_code=parent)
    if cbs_code:
        rows = rows.filter(cbs_code=cbs_code)
    return rows.order_by("municipality__name", "name", "id")


def area(pk: int) -> Area | None:
    return areas().filter(pk=pk).first()


def populations(area_ids: list[int]) -> dict[int, Any]:
    """The latest population figure (the reach app's, imported from CBS tables) per area, for
    the areas that have one (one query)."""
    found: dict[int, Any] = {}
    if not area_ids:
        return found
    rows = Population.objects.filter(area_id__in=area_ids).order_by("area_id", "-year", "-id")
    for row in rows.only("area_id", "year", "inhabitants", "households"):
        found.setdefault(row.area_id, row)
    return found


# --- initiatives ----------------------------------------------------------------------------

INITIATIVE_FIELDS = (
    *LIST_FIELDS,
    "area__cbs_code",
    "area__municipality__id",
    "area__municipality__name",
    "area__municipality__cbs_code",
)


def initiatives(
    *,
    municipality: str | None = None,
    area: str | None = None,
    status: str | None = None,
    category: int | None = None,
    year: int | None = None,
) -> QuerySet[Initiative]:
    """The public initiatives as the public list selects them (`public_initiatives`, newest
    first), also by the municipality's and area's CBS codes (an area with the areas inside it)."""
    area_id = None
    if area:
        area_id = Area.objects.filter(cbs_code=area).values_list("pk", flat=True).first()
        if area_id is None:
            return Initiative.objects.none()
    rows = public_initiatives(
        ListFilters(area=area_id, status=status or "", category=category, year=year)
    )
    # the policy's own answer for a visitor who is not logged in, on top of the public list's
    rows = rows.filter(INITIATIVE_POLICY.condition("view_initiative").objects(ANONYMOUS))
    if municipality:
        rows = rows.filter(area__municipality__cbs_code=municipality)
    return rows.select_related("area__municipality", "category").only(*INITIATIVE_FIELDS)


def initiative(pk: int) -> Initiative | None:
    return initiatives().filter(pk=pk).first()


# --- funds ----------------------------------------------------------------------------------


def funds(*, municipality: str | None = None, year: int | None = None) -> QuerySet[Fund]:
    rows = Fund.objects.all()
    if municipality:
        rows = rows.filter(municipality__cbs_code=municipality)
    if year:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "name", "id")


def fund_figures(ids: list[int]) -> list[tuple[Fund, Figures]]:
    """The funds with these ids, in the order of `ids`, with their figures (one GROUP BY over
    the ledger) and the areas they cover (one query)."""
    if not ids:
        return []
    rows = Fund.objects.filter(pk__in=ids).prefetch_related(
        Prefetch("areas", queryset=Area.objects.only("id", "name", "cbs_code").order_by("name")),
        "council",
    )
    found = {fund.pk: (fund, figures) for fund, figures in with_figures(rows)}
    return [found[pk] for pk in ids if pk in found]


# --- budget rounds --------------------------------------------------------------------------


def _public_rounds() -> QuerySet[BudgetProcess]:
    return BudgetProcess.objects.filter(PROCESS_POLICY.condition("view_process").objects(ANONYMOUS))


def rounds(
    *, municipality: str | None = None, status: str | None = None, year: int | None = None
) -> QuerySet[BudgetProcess]:
    """The published rounds (the policy's answer for everyone), newest first; `year` is the
    year their first phase starts."""
    rows = _public_rounds()
    if municipality:
        rows = rows.filter(municipality__cbs_code=municipality)
    if status:
        rows = rows.filter(status=status)
    if year:
        first_phases = ProcessPhase.objects.filter(starts_at__year=year).values("process_id")
        rows = rows.filter(pk__in=first_phases)
    return rows.select_related("municipality").order_by("-created_at", "-id")


def with_parts(rows: list[BudgetProcess]) -> list[BudgetProcess]:
    """Rounds with their phases and areas (two queries for all of them)."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        rows,
        Prefetch("phases", queryset=ProcessPhase.objects.order_by("starts_at", "id")),
        Prefetch(
            "process_areas",
            queryset=ProcessArea.objects.select_related("area").order_by("area__name", "id"),
        ),
    )
    return rows


def budget_round(pk: int) -> BudgetProcess | None:
    found = rounds().filter(pk=pk).first()
    return with_parts([found])[0] if found is not None else None


def round_results(process: BudgetProcess) -> list[AreaResult]:
    """The published count per area (budgeting's own selector: none before it is counted)."""
    return page_results(process)


def plans(process: BudgetProcess, *, area: str | None = None) -> QuerySet[Plan]:
    """The round's plans a visitor sees listed (the plan policy for everyone, and listed:
    hidden and merged plans only show their notice on the site)."""
    rows = (
        Plan.objects.filter(process=process)
        .filter(PLAN_POLICY.condition("view_plan").objects(ANONYMOUS))
        .filter(VISIBLE_PLAN.q())
    )
    if area:
        rows = rows.filter(Q(area__cbs_code=area) | Q(area__parent__cbs_code=area))
    return (
        rows.select_related("area", "category")
        .only(
            "id",
            "title",
            "summary",
            "estimated_cost_cents",
            "feasibility",
            "municipal_cost_cents",
            "like_count",
            "created_at",
            "area__id",
            "area__name",
            "area__cbs_code",
            "category__id",
            "category__name",
        )
        .order_by("-like_count", "title", "id")
    )


# --- quarterly reports ----------------------------------------------------------------------


def reports(*, municipality: str | None = None, year: int | None = None) -> QuerySet[Any]:
    """The published quarterly reports (the reports' policy for everyone), newest quarter
    first."""
    rows = QuarterlyReport.objects.filter(REPORT_POLICY.condition("view_report").objects(ANONYMOUS))
    if municipality:
        rows = rows.filter(municipality__cbs_code=municipality)
    if year:
        rows = rows.filter(year=year)
    return (
        rows.select_related("municipality")
        .only(
            "id",
            "year",
            "number",
            "status",
            "published_at",
            "pdf_sha256",
            "municipality__id",
            "municipality__name",
            "municipality__slug",
            "municipality__cbs_code",
        )
        .order_by("-year", "-number", "municipality__name", "id")
    )


def report(pk: int) -> Any:
    return reports().filter(pk=pk).first()
