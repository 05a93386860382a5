"""The open data API, version 1 (`/api/v1`): read-only and public, on django-ninja.

Which Logius API Design Rules it follows, and how, is in docs/learning.md ("Open data API").
The operations return plain dictionaries built field by field from the selectors (schemas.py
lists every field); ninja checks them against the schemas and writes the OpenAPI document from
the same schemas. `views.api_view` wraps every URL: the API-Version header, HEAD and OPTIONS,
405 with Allow, ETags and the language of the messages.
"""

from __future__ import annotations

import math
from enum import Enum
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.params.functions import Path, Query

from wijkwerk.areas.models import AreaKind
from wijkwerk.budgeting.services.results import pb_filename
from wijkwerk.budgeting.states import PUBLIC_PROCESS, ProcessStatus
from wijkwerk.initiatives.states import PUBLIC

from . import problems, schemas, selectors

VERSION = "1.0.0"
BASE_PATH = "/api/v1"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
MAX_ID = 2**63 - 1  # what a database key holds
MUNICIPALITY_CODE = r"^GM[0-9]{4}$"
AREA_CODE = r"^[A-Z]{2}[0-9]{4,8}$"

# The choices of the filters, from the apps' own declarations: only public statuses.
InitiativeStatus = Enum(  # type: ignore[misc]
    "InitiativeStatus", {value: value for value in sorted(PUBLIC)}, type=str
)
RoundStatus = Enum(  # type: ignore[misc]
    "RoundStatus", {value: value for value in sorted(PUBLIC_PROCESS)}, type=str
)
Kind = Enum("Kind", {value: value for value in AreaKind.values}, type=str)  # type: ignore[misc]


class NotFound(HttpError):
    def __init__(self, detail: str) -> None:
        super().__init__(404, detail)


class OpenDataAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """Paths relative to the server `/api/v1` (the major version in the URI, API-20); errors
        as application/problem+json."""
        schema = super().get_openapi_schema(path_prefix="", path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[problems.PROBLEM_JSON] = content.pop("application/json")
        return schema


api = OpenDataAPI(
    title="wijkwerk open data",
    version=VERSION,
    description=(
        "Read-only open data of the municipalities on this platform: areas, public residents' "
        "initiatives, fund figures, neighbourhood budget rounds with their results and ballots "
        "files, and published quarterly reports. No personal data. Collections are paged "
        "(page, page_size) and carry links to the other pages; errors are problem details "
        "(RFC 9457); every response has an API-Version header. Amounts are whole euro cents."
    ),
    servers=[{"url": BASE_PATH}],
    urls_namespace="opendata",
    docs_url=None,
)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return problems.bad_parameters(request, exc.errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problems.problem(request, exc.status_code, str(exc))


ERRORS = {400: schemas.Problem}
ERRORS_404 = {400: schemas.Problem, 404: schemas.Problem}


# --- paging ---------------------------------------------------------------------------------


def _href(request: HttpRequest, page: int | None = None) -> dict[str, str]:
    query = request.GET.copy()
    if page is not None:
        query["page"] = str(page)
    text = query.urlencode()
    return {"href": request.build_absolute_uri(request.path + (f"?{text}" if text else ""))}


def page_frame(request: HttpRequest, total: int, page: int, page_size: int) -> dict[str, Any]:
    """The frame of a page (links, total, page, page_size), or 404 beyond the last page."""
    last = max(1, math.ceil(total / page_size))
    if page > last:
        raise NotFound(
            _("Page %(page)d does not exist: the last page is %(last)d.")
            % {"page": page, "last": last}
        )
    return {
        "_links": {
            "self": _href(request),
            "first": _href(request, 1),
            "last": _href(request, last),
            "prev": _href(request, page - 1) if page > 1 else None,
            "next": _href(request, page + 1) if page < last else None,
        },
        "total": total,
        "page": page,
        "page_size": page_size,
    }


def _window(page: int, page_size: int) -> slice:
    return slice((page - 1) * page_size, page * page_size)


def _page_param() -> Any:
    return Query(1, ge=1, le=MAX_PAGE, description="The page, from 1.")


def _size_param() -> Any:
    return Query(
        DEFAULT_PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Items per page, at most {MAX_PAGE_SIZE}.",
    )


def _id_param() -> Any:
    return Path(..., ge=1, le=MAX_ID)


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


# --- places ---------------------------------------------------------------------------------


def _municipality_ref(municipality: Any) -> dict[str, Any]:
    return {"id": municipality.pk, "name": municipality.name, "cbs_code": municipality.cbs_code}


def _area_ref(area: Any) -> dict[str, Any]:
    return {"id": area.pk, "name": area.name, "cbs_code": area.cbs_code}


def _municipality(request: HttpRequest, municipality: Any) -> dict[str, Any]:
    return {
        **_municipality_ref(municipality),
        "slug": municipality.slug,
        "website": municipality.website,
        "url": _absolute(request, municipality.get_absolute_url()),
    }


@api.get(
    "/municipalities",
    response={200: schemas.MunicipalityPage, **ERRORS_404},
    by_alias=True,
    url_name="municipalities",
    summary="Municipalities",
    tags=["places"],
)
def municipalities(
    request: HttpRequest,
    cbs_code: str | None = Query(None, pattern=MUNICIPALITY_CODE, description="e.g. GM0826"),
    page: int = _page_param(),
    page_size: int = _size_param(),
) -> dict[str, Any]:
    rows = selectors.municipalities(cbs_code=cbs_code)
    frame = page_frame(request, rows.count(), page, page_size)
    return {**frame, "results": [_municipality(request, m) for m in rows[_window(page, page_size)]]}


@api.get(
    "/municipalities/{id}",
    response={200: schemas.Municipality, **ERRORS_404},
    url_name="municipality",
    summary="A municipality",
    tags=["places"],
)
def municipality(request: HttpRequest, id: int = _id_param()) -> dict[str, Any]:
    found = selectors.municipality(id)
    if found is None:
        raise NotFound(_("There is no municipality %(id)d.") % {"id": id})
    return _municipality(request, found)


def _areas(request: HttpRequest, rows: list[Any]) -> list[dict[str, Any]]:
    population = selectors.populations([area.pk for area in rows])
    return [
        {
            **_area_ref(area),
            "slug": area.slug,
            "kind": area.kind,
            "code_is_official": not area.code_is_demo,
            "cbs_year": area.cbs_year,
            "municipality": _municipality_ref(area.municipality),
            "parent": _area_ref(area.parent) if area.parent_id else None,
            "population": (
                {
                    "inhabitants": population[area.pk].inhabitants,
                    "households": population[area.pk].households,
                    "year": population[area.pk].year,
                }
                if area.pk in population
                else None
            ),
            "url": _absolute(
                request,
                reverse(
                    "areas:area",
                    kwargs={"municipality": area.municipality.slug, "area": area.slug},
                ),
            ),
        }
        for area in rows
    ]


@api.get(
    "/areas",
    response={200: schemas.AreaPage, **ERRORS_404},
    by_alias=True,
    url_name="areas",
    summary="Areas: districts, villages and neighbourhoods",
    tags=["places"],
)
def areas(
    request: HttpRequest,
    municipality: str | None = Query(
        None, pattern=MUNICIPALITY_CODE, description="The municipality's CBS code (GM0826)."
    ),
    kind: Kind | None = Query(None),  # noqa: B008
    parent: str | None = Query(None, pattern=AREA_CODE, description="The parent's CBS code."),
    cbs_code: str | None = Query(None, pattern=AREA_CODE),
    page: int = _page_param(),
    page_size: int = _size_param(),
) -> dict[str, Any]:
    rows = selectors.areas(
        municipality=municipality,
        kind=kind.value if kind else None,
        parent=parent,
        cbs_code=cbs_code,
    )
    frame = page_frame(request, rows.count(), page, page_size)
    return {**frame, "results": _areas(request, list(rows[_window(page, page_size)]))}


@api.get(
    "/areas/{id}",
    response={200: schemas.Area, **ERRORS_404},
    url_name="area",
    summary="An area",
    tags=["places"],
)
def area(request: HttpRequest, id: int = _id_param()) -> dict[str, Any]:
    found = selectors.area(id)
    if found is None:
        raise NotFound(_("There is no area %(id)d.") % {"id": id})
    return _areas(request, [found])[0]


# --- initiatives ----------------------------------------------------------------------------

_INITIATIVE_PLACEHOLDER = 987654321


def _initiatives(request: HttpRequest, rows: list[Any]) -> list[dict[str, Any]]:
    # one reverse() for every link
    url = _absolute(request, reverse("initiatives:detail", kwargs={"pk": _INITIATIVE_PLACEHOLDER}))
    prefix, _sep, suffix = url.rpartition(str(_INITIATIVE_PLACEHOLDER))
    return [
        {
            "id": item.pk,
            "title": item.title,
            "summary": item.summary,
            "status": item.status,
            "area": _area_ref(item.area),
            "municipality": _municipality_ref(item.area.municipality),
            "category": item.category.name if item.category is not None else None,
            "requested_cents": item.requested_cents,
            "granted_cents": item.granted_cents,
            "support_count": item.support_count,
            "submitted_at": item.submitted_at,
            "url": f"{prefix}{item.pk}{suffix}",
        }
        for item in rows
    ]


@api.get(
    "/initiatives",
    response={200: schemas.InitiativePage, **ERRORS_404},
    by_alias=True,
    url_name="initiatives",
    summary="Public residents' initiatives, newest first",
    tags=["initiatives"],
)
def initiatives(
    request: HttpRequest,
    municipality: str | None = Query(None, pattern=MUNICIPALITY_CODE),
    area: str | None = Query(
        None,
        pattern=AREA_CODE,
        description="An area's CBS code: the initiatives in it and in the areas inside it.",
    ),
    status: InitiativeStatus | None = Query(None),  # noqa: B008
    category: int | None = Query(None, ge=1, le=MAX_ID),
    year: int | None = Query(None, ge=1900, le=2200, description="The year it was submitted."),
    page: int = _page_param(),
    page_size: int = _size_param(),
) -> dict[str, Any]:
    rows = selectors.initiatives(
        municipality=municipality,
        area=area,
        status=status.value if status else None,
        category=category,
        year=year,
    )
    frame = page_frame(request, rows.count(), page, page_size)
    return {**frame, "results": _initiatives(request, list(rows[_window(page, page_size)]))}


@api.get(
    "/initiatives/{id}",
    response={200: schemas.Initiative, **ERRORS_404},
    url_name="initiative",
    summary="A public residents' initiative",
    tags=["initiatives"],
)
def initiative(request: HttpRequest, id: int = _id_param()) -> dict[str, Any]:
    found = selectors.initiative(id)
    if found is None:
        raise NotFound(_("There is no public initiative %(id)d.") % {"id": id})
    return _initiatives(request, [found])[0]


# --- funds ----------------------------------------------------------------------------------


def _funds(rows: list[tuple[Any, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": fund.pk,
            "name": fund.name,
            "year": fund.year,
            "municipality": _municipality_ref(fund.municipality),
            "scheme": fund.scheme.name,
            "council": {"id": fund.council.pk, "name": fund.council.name}
            if fund.council_id
            else None,
            "areas": [_area_ref(area) for area in fund.areas.all()],
            "is_active": fund.is_active,
            "amount_cents": figures.amount,
            "committed_cents": figures.committed,
            "paid_cents": figures.paid,
            "released_cents": figures.released,
            "refunded_cents": figures.refunded,
            "corrected_cents": figures.corrected,
            "open_commitments_cents": figures.open_commitments,
            "available_cents": figures.available,
        }
        for fund, figures in rows
    ]


@api.get(
    "/funds",
    response={200: schemas.FundPage, **ERRORS_404},
    by_alias=True,
    url_name="funds",
    summary="Funds with what is committed, paid and available",
    tags=["money"],
)
def funds(
    request: HttpRequest,
    municipality: str | None = Query(None, pattern=MUNICIPALITY_CODE),
    year: int | None = Query(None, ge=1900, le=2200),
    page: int = _page_param(),
    page_size: int = _size_param(),
) -> dict[str, Any]:
    rows = selectors.funds(municipality=municipality, year=year)
    frame = page_frame(request, rows.count(), page, page_size)
    ids = list(rows.values_list("pk", flat=True)[_window(page, page_size)])
    return {**frame, "results": _funds(selectors.fund_figures(ids))}


@api.get(
    "/funds/{id}",
    response={200: schemas.Fund, **ERRORS_404},
    url_name="fund",
    summary="A fund with its figures",
    tags=["money"],
)
def fund(request: HttpRequest, id: int = _id_param()) -> dict[str, Any]:
    found = selectors.fund_figures([id])
    if not found:
        raise NotFound(_("There is no fund %(id)d.") % {"id": id})
    return _funds(found)[0]


# --- budget rounds --------------------------------------------------------------------------


def _round(request: HttpRequest, process: Any) -> dict[str, Any]:
    counted = process.status == ProcessStatus.COUNTED
    return {
        "id": process.pk,
        "title": process.title,
        "municipality": _municipality_ref(process.municipality),
        "status": process.status,
        "budget_cents": process.budget_cents,
        "ballot_type": process.ballot_type,
        "rule": process.rule,
        "areas": [
            {**_area_ref(item.area), "budget_cents": item.budget_cents}
            for item in process.process_areas.all()
        ],
        "phases": [
            {"kind": phase.kind, "starts_at": phase.starts_at, "ends_at": phase.ends_at}
            for phase in process.phases.all()
        ],
        "closed_at": process.closed_at,
        "counted_at": process.counted_at,
        "url": _absolute(request, reverse("budgeting:round_detail", kwargs={"pk": process.pk})),
        "result_url": _absolute(request, reverse("budgeting:result", kwargs={"pk": process.pk}))
        if counted
        else None,
        "result_json_url": _absolute(
            request, reverse("budgeting:result_json", kwargs={"pk": process.pk})
        )
        if counted
        else None,
    }


def _number(value: Any) -> int | str:
    return value if isinstance(value, int) else str(value)


def _results(request: HttpRequest, process: Any) -> list[dict[str, Any]]:
    found = []
    for result in selectors.round_results(process):
        figures = result.figures
        found.append(
            {
                "area": _area_ref(result.area),
                "budget_cents": figures["budget_cents"],
                "spent_cents": figures["spent_cents"],
                "voters": result.voters,
                "counted_at": result.counted_at,
                "pb_file": {
                    "url": _absolute(
                        request,
                        reverse(
                            "budgeting:result_pb",
                            kwargs={"pk": process.pk, "area": result.area_id},
                        ),
                    ),
                    "filename": pb_filename(process, result.area),
                    "sha256": result.pb_sha256,
                },
                "plans": [
                    {
                        "plan_id": plan["plan"],
                        "project_id": plan["project_id"],
                        "title": plan["title"],
                        "category": plan.get("category") or None,
                        "cost_cents": plan["cost_cents"],
                        "votes": _number(plan["votes"]),
                        "score": _number(plan["score"]),
                        "funded": plan["funded"],
                    }
                    for plan in figures["plans"]
                ],
            }
        )
    return found


@api.get(
    "/budget-rounds",
    response={200: schemas.BudgetRoundPage, **ERRORS_404},
    by_alias=True,
    url_name="budget_rounds",
    summary="Neighbourhood budget rounds, newest first",
    tags=["budget rounds"],
)
def budget_rounds(
    request: HttpRequest,
    municipality: str | None = Query(None, pattern=MUNICIPALITY_CODE),
    status: RoundStatus | None = Query(None),  # noqa: B008
    year: int | None = Query(
        None, ge=1900, le=2200, description="A year in which one of its phases starts."
    ),
    page: int = _page_param(),
    page_size: int = _size_param(),
) -> dict[str, Any]:
    rows = selectors.rounds(
        municipality=municipality, status=status.value if status else None, year=year
    )
    frame = page_frame(request, rows.count(), page, page_size)
    found = selectors.with_parts(list(rows[_window(page, page_size)]))
    return {**frame, "results": [_round(request, process) for process in found]}


@api.get(
    "/budget-rounds/{id}",
    response={200: schemas.BudgetRoundDetail, **ERRORS_404},
    url_name="budget_round",
    summary="A budget round with its published results",
    tags=["budget rounds"],
)
def budget_round(request: HttpRequest, id: int = _id_param()) -> dict[str, Any]:
    found = selectors.budget_round(id)
    if found is None:
        raise NotFound(_("There is no published budget round %(id)d.") % {"id": id})
    return {**_round(request, found), "results": _results(request, found)}


@api.get(
    "/budget-rounds/{id}/plans",
    response={200: schemas.PlanPage, **ERRORS_404},
    by_alias=True,
    url_name="budget_round_plans",
    summary="The plans of a budget round, most liked first",
    tags=["budget rounds"],
)
def budget_round_plans(
    request: HttpRequest,
    id: int = _id_param(),
    area: str | None = Query(None, pattern=AREA_CODE),
    page: int = _page_param(),
    page_size: int = _size_param(),
) -> dict[str, Any]:
    process = selectors.rounds().filter(pk=id).first()
    if process is None:
        raise NotFound(_("There is no published budget round %(id)d.") % {"id": id})
    rows = selectors.plans(process, area=area)
    frame = page_frame(request, rows.count(), page, page_size)
    return {
        **frame,
        "results": [
            {
                "id": plan.pk,
                "title": plan.title,
                "summary": plan.summary,
                "area": _area_ref(plan.area),
                "category": plan.category.name if plan.category is not None else None,
                "estimated_cost_cents": plan.estimated_cost_cents,
                "feasibility": plan.feasibility,
                "municipal_cost_cents": plan.municipal_cost_cents,
                "like_count": plan.like_count,
                "created_at": plan.created_at,
                "url": _absolute(request, reverse("budgeting:plan_detail", kwargs={"pk": plan.pk})),
            }
            for plan in rows[_window(page, page_size)]
        ],
    }


# --- quarterly reports ----------------------------------------------------------------------


def _report(request: HttpRequest, report: Any) -> dict[str, Any]:
    where = {"municipality": report.municipality.slug, "quarter": report.slug}
    return {
        "id": report.pk,
        "municipality": _municipality_ref(report.municipality),
        "quarter": report.slug,
        "published_at": report.published_at,
        "url": _absolute(request, reverse("reports:detail", kwargs=where)),
        "pdf_url": _absolute(request, reverse("reports:pdf", kwargs=where)),
        "sha256": report.pdf_sha256,
    }


@api.get(
    "/reports",
    response={200: schemas.ReportPage, **ERRORS_404},
    by_alias=True,
    url_name="reports",
    summary="Published quarterly reports to the council, newest quarter first",
    tags=["reports"],
)
def reports(
    request: HttpRequest,
    municipality: str | None = Query(None, pattern=MUNICIPALITY_CODE),
    year: int | None = Query(None, ge=1900, le=2200),
    page: int = _page_param(),
    page_size: int = _size_param(),
) -> dict[str, Any]:
    rows = selectors.reports(municipality=municipality, year=year)
    frame = page_frame(request, rows.count(), page, page_size)
    return {**frame, "results": [_report(request, r) for r in rows[_window(page, page_size)]]}


@api.get(
    "/reports/{id}",
    response={200: schemas.Report, **ERRORS_404},
    url_name="report",
    summary="A published quarterly report",
    tags=["reports"],
)
def report(request: HttpRequest, id: int = _id_param()) -> dict[str, Any]:
    found = selectors.report(id)
    if found is None:
        raise NotFound(_("There is no published quarterly report %(id)d.") % {"id": id})
    return _report(request, found)
