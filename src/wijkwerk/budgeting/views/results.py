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
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkwerk.core.gates import permission_required
from wijkwerk.core.money import format_money

from .. import result_sections, result_selectors, round_selectors
from ..models import BallotType, BudgetProcess
from ..refusals import BudgetRefused
from ..services import results as counting
from ..states import ProcessStatus

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
    areas = [result_sections.area_summary(process, item) for item in found]
    may_manage = request.user.has_perm("budgeting.manage_process", process)
    money_chart = result_sections.bar_chart(
        [(a["area"].name, a["spent_cents"], format_money(a["spent_cents"])) for a in areas]
    )
    turnout_chart = result_sections.bar_chart(
        [(a["area"].name, a["voters"], result_sections.number(a["voters"])) for a in areas]
    )
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
            "sections": result_sections.area_sections(process, found, may_manage),
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
