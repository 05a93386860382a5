"""The rounds' pages: the public list and round page, and setting rounds up in the back office.

Access: the round page is for everyone once published (`budgeting.view_process`; a draft is a
404 for whoever may not manage it). Setting up (`budgeting.manage_process`) is the
municipality's administrator's: anonymous visitors go to the login page, a person who is no
administrator gets 403, an administrator of another municipality 404 (the back office's
convention). The manage pages wear the back office's layout (by template name; budgeting does
not import the back office).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkwerk.areas.models import Municipality
from wijkwerk.core.gates import permission_required

from .. import round_selectors
from ..forms import (
    MAX_AREA_ROWS,
    AreaBudgetFormSet,
    PhasesForm,
    RoundForm,
    area_rows,
    place_refusal,
)
from ..models import BudgetProcess
from ..refusals import BudgetRefused
from ..services.results import funding_warnings
from ..services.rounds import process_publish, process_save
from ..services.voting import voting_close
from ..states import EDITABLE_PROCESS, ProcessStatus
from ..texts import rules_in_words

View = Callable[..., HttpResponse]
MAX_ID_DIGITS = 18


# ----- The public pages ------------------------------------------------------------------------


def round_list(request: HttpRequest) -> HttpResponse:
    return render(request, "budgeting/rounds/list.html", {"rows": round_selectors.public_rounds()})


def _round_or_404(request: HttpRequest, pk: int, **kwargs: Any) -> BudgetProcess:
    """The round, for whoever may see it (a draft is its administrator's only: 404 to others)."""
    process = round_selectors.round_page(pk)
    if process is None or not request.user.has_perm("budgeting.view_process", process):
        raise Http404
    return process


@permission_required("budgeting.view_process", fn=_round_or_404, as_="process")
def round_detail(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    place = round_selectors.standing(process)
    return render(
        request,
        "budgeting/rounds/detail.html",
        {
            "process": process,
            "place": place,
            "areas": list(process.process_areas.all()),
            "rules": rules_in_words(process),
            "can": round_selectors.actions_now(process),
            "may_manage": request.user.has_perm("budgeting.manage_process", process),
            # the desk that hands out voting codes, for the officials of a code round
            "may_hand_out": process.vote_with_code
            and request.user.is_authenticated
            and request.user.has_perm("budgeting.hand_out_codes", process),
            # the paper ballots (taking codes in, the double entry), once the round is public
            "may_count_paper": process.vote_with_code
            and process.status != ProcessStatus.DRAFT
            and request.user.is_authenticated
            and request.user.has_perm("budgeting.count_paper", process),
        },
    )


# ----- Setting rounds up -----------------------------------------------------------------------


def _may_manage_in(user: Any, municipality: Municipality) -> bool:
    return bool(user.has_perm("budgeting.manage_process", BudgetProcess(municipality=municipality)))


def municipality_admin(view: View) -> View:
    """The municipality of the URL's slug, for its administrator."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, municipality: str, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        found = Municipality.objects.filter(slug=municipality).first()
        if found is not None and _may_manage_in(request.user, found):
            return view(request, found, **kwargs)
        if request.user.has_perm("backoffice.access"):
            raise Http404  # an administrator, of another municipality
        raise PermissionDenied(_("Budget rounds are set up by the municipality's administrator."))

    return wrapped


def round_admin(view: View) -> View:
    """The round of the URL, for its municipality's administrator (404 for a draft one may not
    see, 403 for a published round one may not manage)."""
    gated = permission_required("budgeting.manage_process", fn=_round_or_404, as_="process")(view)
    return login_required(gated)


@municipality_admin
def manage_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return render(
        request,
        "budgeting/rounds/manage_list.html",
        {"municipality": municipality, "rows": round_selectors.municipality_rounds(municipality)},
    )


def voting_began(process: BudgetProcess) -> bool:
    voting = next((p for p in process.phases.all() if p.kind == "voting"), None)
    return voting is not None and voting.starts_at <= timezone.now()


def is_editable(process: BudgetProcess) -> bool:
    if process.status not in EDITABLE_PROCESS:
        return False
    return process.status == ProcessStatus.DRAFT or not voting_began(process)


def _show_unjudged(*items: Any) -> None:
    """Show the forms with what was typed, without judging it (the "one row more" button: the
    person is not done yet)."""
    for item in items:
        if hasattr(item, "forms"):
            item._errors = []
            item._non_form_errors = ErrorList(error_class="nonform")
            for form in item.forms:
                form._errors = ErrorDict()
        else:
            item._errors = ErrorDict()


def _setup(
    request: HttpRequest, municipality: Municipality, process: BudgetProcess | None
) -> HttpResponse:
    data = request.POST.copy() if request.method == "POST" else None
    adding = data is not None and "add_area" in data
    if adding and data is not None:
        raw = str(data.get("areas-TOTAL_FORMS", ""))
        if raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS:
            data["areas-TOTAL_FORMS"] = str(min(int(raw) + 1, MAX_AREA_ROWS))
    instance = process if process is not None else BudgetProcess(municipality=municipality)
    form = RoundForm(data, instance=instance, municipality=municipality)
    initial_areas = (
        [{"area": item.area, "budget": item.budget_cents} for item in process.process_areas.all()]
        if process is not None
        else []
    )
    areas = AreaBudgetFormSet(
        data, initial=initial_areas, prefix="areas", form_kwargs={"municipality": municipality}
    )
    if data is None:
        areas.extra = 1 if initial_areas else 2
    phases = PhasesForm(data, initial=PhasesForm.initial_for(process), prefix="phases")
    status = 200
    if adding:
        _show_unjudged(form, areas, phases)
    elif data is not None:
        valid = form.is_valid() & areas.is_valid() & phases.is_valid()
        if valid:
            try:
                saved = process_save(
                    actor=request.user,
                    process=form.round(),
                    areas=area_rows(areas),
                    phases=phases.phase_dates(),
                )
            except BudgetRefused as refused:
                place_refusal(refused, form, areas, phases)
            else:
                messages.success(
                    request, _("The round %(title)s has been saved.") % {"title": saved.title}
                )
                return redirect("budgeting:manage_edit", pk=saved.pk)
        status = 400
    return render(
        request,
        "budgeting/rounds/manage_form.html",
        {
            "municipality": municipality,
            "process": process,
            "form": form,
            "areas": areas,
            "phases": phases,
            "editable": process is None or is_editable(process),
            "next_row": areas.total_form_count() + 1,
            "funding_warnings": funding_warnings(process) if process is not None else [],
        },
        status=status,
    )


@municipality_admin
@require_http_methods(["GET", "POST"])
def manage_create(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    return _setup(request, municipality, None)


@round_admin
@require_http_methods(["GET", "POST"])
def manage_edit(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    return _setup(request, process.municipality, process)


def _confirm(
    request: HttpRequest,
    process: BudgetProcess,
    step: str,
    act: Callable[..., BudgetProcess],
    done: str,
) -> HttpResponse:
    """A step's confirmation page (GET) and the step itself (POST)."""
    errors: list[str] = []
    if request.method == "POST":
        try:
            act(actor=request.user, process=process)
        except BudgetRefused as refused:
            errors = list(refused.messages)
        else:
            messages.success(request, done % {"title": process.title})
            return redirect("budgeting:manage_edit", pk=process.pk)
    voting = next((p for p in process.phases.all() if p.kind == "voting"), None)
    return render(
        request,
        "budgeting/rounds/manage_confirm.html",
        {
            "municipality": process.municipality,
            "process": process,
            "step": step,
            "errors": errors,
            "voting": voting,
            "voting_over": voting is not None and voting.ends_at <= timezone.now(),
        },
        status=400 if errors else 200,
    )


@round_admin
@require_http_methods(["GET", "POST"])
def manage_publish(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    return _confirm(
        request, process, "publish", process_publish, _("The round %(title)s has been published.")
    )


@round_admin
@require_http_methods(["GET", "POST"])
def manage_close(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    return _confirm(
        request,
        process,
        "close",
        voting_close,
        _("The voting in %(title)s has been closed; the votes are being counted."),
    )
