"""The paper ballots' pages, for the municipality's officials (`budgeting.count_paper`: the
round's administrator and the brokers of its areas):

    GET/POST paper_intake   take in a voter's code for a paper ballot (desk, posted envelope)
    GET      paper_list     per area: codes taken in, ballots entered, agreed, disputed,
                            invalid; the disputed ballots with a link to resolve them
    GET/POST paper_enter    one official's entry of a paper ballot (GET ?area= picks the area
                            whose plans the form shows; no JavaScript needed)
    GET/POST paper_resolve  a disputed ballot's two entries side by side, the differences
                            marked; a third official enters what the paper says

A draft round is a 404 for whoever may not see it; others without the permission get 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkwerk.core.gates import permission_required
from wijkwerk.core.money import format_money

from .. import paper_selectors, round_selectors
from ..models import BallotType, BudgetProcess, PaperStatus, Plan, ProcessArea
from ..paper_forms import IntakeForm, PaperBallotForm
from ..refusals import BudgetRefused
from ..selectors import ballot_plans
from ..services import paper as services
from ..states import ProcessStatus


def _process(request: HttpRequest, pk: int, **kwargs: Any) -> BudgetProcess:
    process = round_selectors.round_page(pk)
    if process is None or not request.user.has_perm("budgeting.view_process", process):
        raise Http404
    return process


def paper_gate(view: Any) -> Any:
    gated = permission_required("budgeting.count_paper", fn=_process, as_="process")(view)
    return login_required(gated)


def _entering(process: BudgetProcess) -> bool:
    """Whether paper ballots are entered now: while the round is published or closed."""
    return process.status in (ProcessStatus.PUBLISHED, ProcessStatus.CLOSED)


def _area_of(process: BudgetProcess, raw: Any) -> ProcessArea | None:
    """The round's area an `area` parameter names (its `ProcessArea` id), if any."""
    areas = list(process.process_areas.all())
    if len(areas) == 1:
        return areas[0]
    return next((item for item in areas if str(item.pk) == str(raw or "")), None)


@paper_gate
@require_http_methods(["GET", "POST"])
def paper_intake(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    form = IntakeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                code = services.paper_intake(
                    actor=request.user, process=process, typed_code=form.cleaned_data["code"]
                )
            except BudgetRefused as refused:
                for message in refused.messages:
                    form.add_error("code", message)
            else:
                messages.success(
                    request,
                    _(
                        "The voting code has been taken in. Give the voter a paper ballot "
                        "of %(area)s."
                    )
                    % {"area": code.process_area.area.name},
                )
                return redirect("budgeting:paper_intake", pk=process.pk)
        status = 400
    return render(
        request,
        "budgeting/paper/intake.html",
        {"process": process, "form": form, "open": process.status == ProcessStatus.PUBLISHED},
        status=status,
    )


@paper_gate
def paper_list(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    overview = paper_selectors.overview(process)
    return render(
        request,
        "budgeting/paper/list.html",
        {
            "process": process,
            "overview": overview,
            "entering": _entering(process),
            "may_count": process.status == ProcessStatus.CLOSED
            and not overview.outstanding
            and request.user.has_perm("budgeting.manage_process", process),
        },
    )


def _plans(process: BudgetProcess, process_area: ProcessArea) -> list[Plan]:
    return list(ballot_plans(process, process_area.area).select_related(None))


def _rules(process: BudgetProcess, process_area: ProcessArea) -> str:
    """What a valid paper ballot of the area holds, in words (as the online ballot says)."""
    parts = []
    if process.ballot_type == BallotType.KNAPSACK:
        parts.append(
            _("Plans together costing at most %(budget)s.")
            % {"budget": format_money(process_area.budget_cents)}
        )
    if process.ballot_type == BallotType.CUMULATIVE and process.points:
        parts.append(_("At most %(points)s points in all.") % {"points": process.points})
    if process.max_choices is not None:
        parts.append(
            _("From %(low)s to %(high)s plans.")
            % {"low": max(process.min_choices, 1), "high": process.max_choices}
        )
    elif process.min_choices > 1:
        parts.append(_("At least %(n)s plans.") % {"n": process.min_choices})
    return " ".join(parts)


def _entry_page(
    request: HttpRequest,
    process: BudgetProcess,
    template: str,
    *,
    paper: Any = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The entry form (or the resolution's): the area from `?area=` (or the form, or the
    paper's), its plans as on the online ballot, "invalid" with the reason."""
    raw_area = request.POST.get("area") or request.GET.get("area")
    if raw_area is None and paper is not None:
        raw_area = paper.process_area_id
    process_area = _area_of(process, raw_area)
    if process_area is None:
        return render(
            request,
            template,
            {"process": process, "process_area": None, "paper": paper, **(extra or {})},
            status=400 if request.method == "POST" else 200,
        )
    plans = _plans(process, process_area)
    form = PaperBallotForm(
        request.POST or None, process=process, plans=plans, with_number=paper is None
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            act = services.paper_enter if paper is None else services.paper_resolve
            number = form.cleaned_data["number"] if paper is None else paper.number
            try:
                done = act(
                    actor=request.user,
                    process=process,
                    number=number,
                    process_area=process_area,
                    choices=form.choices(),
                    invalid=form.invalid_reason(),
                )
            except BudgetRefused as refused:
                form.place(refused)
            else:
                messages.success(request, _said(done, resolved=paper is not None))
                if paper is None:
                    return redirect(
                        f"{reverse('budgeting:paper_enter', args=[process.pk])}"
                        f"?area={process_area.pk}"
                    )
                return redirect("budgeting:paper_list", pk=process.pk)
        status = 400
    return render(
        request,
        template,
        {
            "process": process,
            "process_area": process_area,
            "areas": list(process.process_areas.all()),
            "form": form,
            "plan_fields": [form[name] for name in form.plan_fields],
            "rules": _rules(process, process_area),
            "paper": paper,
            **(extra or {}),
        },
        status=status,
    )


def _said(paper: Any, *, resolved: bool) -> str:
    """What became of the entry, for the next page's message."""
    number = paper.number
    if paper.status == PaperStatus.PENDING:
        return _("Paper ballot %(number)s has been entered; another official enters it too.") % {
            "number": number
        }
    if paper.status == PaperStatus.DISPUTED:
        return _(
            "Paper ballot %(number)s has been entered: the two entries differ. A third official "
            "resolves it from the paper."
        ) % {"number": number}
    if paper.status == PaperStatus.VOID:
        return _("Paper ballot %(number)s has been recorded as invalid.") % {"number": number}
    if resolved:
        return _("Paper ballot %(number)s has been resolved and is counted.") % {"number": number}
    return _("Paper ballot %(number)s has been entered: both entries agree; it is counted.") % {
        "number": number
    }


@paper_gate
@require_http_methods(["GET", "POST"])
def paper_enter(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    if not _entering(process):
        return render(request, "budgeting/paper/not_now.html", {"process": process}, status=403)
    return _entry_page(request, process, "budgeting/paper/enter.html")


@paper_gate
@require_http_methods(["GET", "POST"])
def paper_resolve(
    request: HttpRequest, pk: int, number: int, process: BudgetProcess
) -> HttpResponse:
    paper = paper_selectors.paper_with_entries(process, number)
    if paper is None:
        raise Http404
    if paper.status != PaperStatus.DISPUTED:
        messages.info(
            request,
            _("Paper ballot %(number)s is not waiting for a third official.") % {"number": number},
        )
        return redirect("budgeting:paper_list", pk=process.pk)
    if not _entering(process):
        return render(request, "budgeting/paper/not_now.html", {"process": process}, status=403)
    entries = list(paper.entries.all())
    own = any(entry.entered_by_id == request.user.pk for entry in entries)
    return _entry_page(
        request,
        process,
        "budgeting/paper/resolve.html",
        paper=paper,
        extra={"comparison": _comparison(process, entries), "own": own, "entries": entries},
    )


def _comparison(process: BudgetProcess, entries: list[Any]) -> list[dict[str, Any]]:
    """The two entries row by row (the area, each plan read, invalid or not), each row with
    whether they differ."""
    readings = [services.Reading.from_json(entry.choices) for entry in entries[:2]]
    areas = {item.pk: item.area.name for item in process.process_areas.all()}
    plan_ids = sorted({plan for reading in readings for plan, _points in reading.choices})
    titles = dict(Plan.objects.filter(pk__in=plan_ids).values_list("pk", "title"))
    plan_ids.sort(key=lambda plan_id: (titles.get(plan_id, ""), plan_id))  # as on the ballot
    cumulative = process.ballot_type == BallotType.CUMULATIVE
    rows: list[dict[str, Any]] = []

    def row(label: str, values: list[str]) -> None:
        rows.append({"label": label, "values": values, "differ": len(set(values)) > 1})

    row(_("Area"), [areas.get(reading.process_area_id, "–") for reading in readings])
    row(
        _("Invalid"),
        [reading.invalid if reading.invalid else _("no") for reading in readings],
    )
    for plan_id in plan_ids:
        values = []
        for reading in readings:
            points = dict(reading.choices).get(plan_id, 0)
            if cumulative:
                values.append(str(points))
            else:
                values.append(_("yes") if points else _("no"))
        row(titles.get(plan_id, "–"), values)
    return rows
