"""The result of a round: the page (funded plans, the rule in words, charts with their tables,
each plan's explanation), the result as JSON, each area's ballots file, and the recount.

The count is stored (`AreaResult`, with the figures its page draws), so the page reads the
round and its results and nothing else: no ballots, no plans (docs/budgeting.md). Everyone may
see a published round's result; the recount is its administrator's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerk.core.gates import permission_required
from wijkwerk.core.money import format_money

from .. import result_selectors, round_selectors
from ..models import AreaResult, BallotType, BudgetProcess
from ..refusals import BudgetRefused
from ..services import results as counting
from ..states import ProcessStatus

# --- Charts ---------------------------------------------------------------------------------

# A phone's width in user units, so that its 14 px text stays about 14 px from 320 px wide up
# (the chart is at most 24rem wide).
CHART_WIDTH = 320
LABEL_HEIGHT = 20
BAR_HEIGHT = 14
ROW_HEIGHT = 44
BAR_SPACE = 200  # the longest bar; its value is written after it


def bar_chart(rows: list[tuple[str, int, str]], *, highlight: set[int] | None = None) -> dict:
    """A horizontal bar chart's geometry: each row (label, value, value in words) as a label
    above a bar proportional to its value; `highlight`: indices drawn in the accent colour."""
    top = max((value for _label, value, _text in rows), default=0) or 1
    bars = []
    for i, (label, value, text) in enumerate(rows):
        y = i * ROW_HEIGHT
        width = round(BAR_SPACE * value / top, 1)
        bars.append(
            {
                "label": label,
                "text": text,
                "label_y": y + 15,
                "bar_y": y + LABEL_HEIGHT + 2,
                "width": width,
                "value_x": width + 6,
                "value_y": y + LABEL_HEIGHT + 2 + BAR_HEIGHT - 2,
                "accent": highlight is not None and i in highlight,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": max(len(rows), 1) * ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
    }


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _age_label(band: str) -> str:
    if not band:
        return _("age not known")
    if band.endswith("+"):
        return _("%(age)s years and older") % {"age": band[:-1]}
    low, _sep, high = band.partition("-")
    return _("%(low)s to %(high)s years") % {"low": low, "high": high}


def area_summary(process: BudgetProcess, result: AreaResult) -> dict[str, Any]:
    """What the page's top shows of an area: the figures only (cheap; no words)."""
    figures = result.figures
    funded = [{**p, "anchor": slugify(p["project_id"])} for p in figures["plans"] if p["funded"]]
    return {
        "result": result,
        "area": result.area,
        "funded": funded,
        "budget_cents": figures["budget_cents"],
        "spent_cents": figures["spent_cents"],
        "left_cents": figures["budget_cents"] - figures["spent_cents"],
        "voters": figures["voters"],
    }


def area_details(process: BudgetProcess, result: AreaResult) -> dict[str, Any]:
    """An area's section: every plan with its explanation in words, the charts and their
    tables, the ballots file (rendered once per language and recount: `_area_section`)."""
    figures = result.figures
    outcome = {p["project_id"]: p for p in result.outcome["projects"]}
    points = process.ballot_type == BallotType.CUMULATIVE
    funding = figures.get("funding", {})
    score = "score" if points else "votes"
    titles = result_selectors.titles_of(result)
    plans = []
    for item in figures["plans"]:
        project = outcome[item["project_id"]]
        funded_as = funding.get(item["project_id"]) or {}
        initiative = funded_as.get("initiative")
        plans.append(
            {
                **item,
                "anchor": slugify(item["project_id"]),
                "url": reverse("budgeting:plan_detail", kwargs={"pk": item["plan"]}),
                "count_text": _number(item[score]),
                "cost_text": format_money(item["cost_cents"]),
                "explanation": result_selectors.explanation(project, titles),
                "initiative_url": reverse("initiatives:detail", kwargs={"pk": initiative})
                if initiative
                else "",
                "problem": funded_as.get("problem", ""),
            }
        )
    unit = _("points") if points else _("votes")
    votes_chart = bar_chart(
        [(p["title"], p[score], f"{_number(p[score])} {unit}") for p in plans],
        highlight={i for i, p in enumerate(plans) if p["funded"]},
    )
    categories = [
        (name or _("no category"), cents) for name, cents in figures.get("categories", [])
    ]
    money_chart = bar_chart([(name, cents, format_money(cents)) for name, cents in categories])
    turnout = [(_age_label(band), n) for band, n in figures.get("turnout", [])]
    turnout_chart = bar_chart([(label, n, _number(n)) for label, n in turnout])
    filename = counting.pb_filename(process, result.area)
    return {
        **area_summary(process, result),
        "plans": plans,
        "votes_chart": votes_chart,
        "categories": categories,
        "money_chart": money_chart,
        "turnout": turnout,
        "turnout_total": sum(n for _label, n in turnout),
        "turnout_chart": turnout_chart,
        "filename": filename,
        "command": counting.recount_command(process, filename),
    }


# A rendered area section is kept until the area is counted again (its key holds the count's
# time), per language and for managers (who see why a funded plan is not paid yet) apart.
SECTION_SECONDS = 7 * 24 * 3600


def _section_key(result: AreaResult, language: str, may_manage: bool) -> str:
    stamp = int(result.counted_at.timestamp() * 1_000_000)
    return f"budgeting:result-area:{result.pk}:{stamp}:{language}:{int(may_manage)}"


def area_sections(
    request: HttpRequest, process: BudgetProcess, results: list[AreaResult], may_manage: bool
) -> list[SafeString]:
    """Each area's section as HTML: from the cache (one read for all), else rendered and kept."""
    language = get_language()
    keys = [_section_key(result, language, may_manage) for result in results]
    kept = cache.get_many(keys) if keys else {}
    sections = []
    for key, result in zip(keys, results, strict=True):
        html = kept.get(key)
        if html is None:
            html = render_to_string(
                "budgeting/results/_area.html",
                {
                    "item": area_details(process, result),
                    "process": process,
                    "is_points": process.ballot_type == BallotType.CUMULATIVE,
                    "may_manage": may_manage,
                },
            )
            cache.set(key, html, SECTION_SECONDS)
        sections.append(html)  # a SafeString, as rendered (the cache keeps its class)
    return sections


# --- Pages ----------------------------------------------------------------------------------


def _round_or_404(request: HttpRequest, pk: int, **kwargs: Any) -> BudgetProcess:
    if not 0 < pk <= result_selectors.MAX_ID:
        raise Http404
    process = round_selectors.round_page(pk)
    if process is None or not request.user.has_perm("budgeting.view_process", process):
        raise Http404
    return process


@permission_required("budgeting.view_process", fn=_round_or_404, as_="process")
def result(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    found = result_selectors.page_results(process)
    areas = [area_summary(process, item) for item in found]
    may_manage = request.user.has_perm("budgeting.manage_process", process)
    money_chart = bar_chart(
        [(a["area"].name, a["spent_cents"], format_money(a["spent_cents"])) for a in areas]
    )
    turnout_chart = bar_chart([(a["area"].name, a["voters"], _number(a["voters"])) for a in areas])
    return render(
        request,
        "budgeting/results/result.html",
        {
            "process": process,
            "areas": areas,
            "counted": bool(areas),
            "being_counted": process.status == ProcessStatus.CLOSED,
            "rule": counting.rule_explained(process),
            "rule_name": counting.rule_name(process),
            "money_chart": money_chart,
            "turnout_chart": turnout_chart,
            "spent_cents": sum(a["spent_cents"] for a in areas),
            "voters": sum(a["voters"] for a in areas),
            "may_manage": may_manage,
            "sections": area_sections(request, process, found, may_manage),
            "is_points": process.ballot_type == BallotType.CUMULATIVE,
        },
    )


@permission_required("budgeting.view_process", fn=_round_or_404, as_="process")
def result_json(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    data = result_selectors.result_data(process, request.build_absolute_uri("/").rstrip("/"))
    if data is None:
        raise Http404
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = (
        f'inline; filename="{process.municipality.slug}-{process.slug}-uitslag.json"'
    )
    return response


@permission_required("budgeting.view_process", fn=_round_or_404, as_="process")
def result_pb(request: HttpRequest, pk: int, area: int, process: BudgetProcess) -> HttpResponse:
    found = result_selectors.pb_file(process, area)
    if found is None:
        raise Http404
    response = HttpResponse(found.pb_text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    filename = counting.pb_filename(process, found.area)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-SHA256"] = found.pb_sha256
    return response


@login_required
@require_POST
@permission_required("budgeting.manage_process", fn=_round_or_404, as_="process")
def manage_recount(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    try:
        counting.count_now(process, actor=request.user)
    except BudgetRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The votes of %(title)s have been counted again.") % {"title": process.title}
        )
    return redirect(reverse("budgeting:result", kwargs={"pk": process.pk}))
