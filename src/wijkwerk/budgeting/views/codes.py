"""Voting codes: the voter's code page, the letters in the back office, the desk.

    GET/POST code_entry    anyone: type the code from the letter (`?code=` from the QR code
                           fills it in); a good code grants the round's pass → the ballot
    GET      manage_codes  the round's administrator: how many codes, letters, desk codes, used
    POST     manage_codes  the codes and their letters, as the PDF download of this response
    GET/POST desk          officials of the round (`budgeting.hand_out_codes`): find a register
                           entry, hand out a code after seeing ID; the code is shown once

A code never goes into the session, a message, a log line or the audit trail: the pass holds
the code's id; the letters PDF and the desk's code exist only in the response that made them.
"""

from __future__ import annotations

import contextlib
from types import SimpleNamespace
from typing import Any

from allauth.core.internal.httpkit import get_client_ip
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wijkwerk.core import ratelimit
from wijkwerk.core.gates import permission_required
from wijkwerk.core.ratelimit import RateLimited

from .. import code_selectors
from ..code_forms import CodeEntryForm, DeskSearchForm, HandOutForm, LettersAgainForm
from ..eligibility import code_stamp, grant_pass
from ..models import BudgetProcess, CodeIssue, RegisterEntry
from ..refusals import BudgetRefused
from ..services import codes, letters
from ..states import ProcessStatus
from .rounds import _round_or_404
from .voting import _closed, _is_open, gate

# The status of a refused code, by the refusal's code.
REFUSED_STATUS = {
    "code_typo": 400,
    "code_unknown": 400,
    "code_other_round": 400,
    "code_used": 409,
    "voting_closed": 403,
    "codes_off": 404,
}


def _limits(request: HttpRequest, process: BudgetProcess) -> None:
    """Count a typed code per address; refuse it while the round's codes not found are spent
    (guessing from many addresses): RateLimited.

    The round's limit counts only the codes that were not found (`_not_found`): a guesser's
    tries are nearly all misses, a voter's code is found. So the voters of a busy evening,
    on every app server, do not all rewrite one cache entry under its lock; they only read it."""
    ratelimit.limit(SimpleNamespace(pk=f"ip:{get_client_ip(request) or 'unknown'}"), "code_ip")
    if ratelimit.spent(_round_actor(process), "code_round"):
        raise RateLimited(
            _("Too many wrong voting codes were typed in this round just now. Try again later."),
            code="rate_limited",
        )


def _round_actor(process: BudgetProcess) -> Any:
    return SimpleNamespace(pk=f"round:{process.pk}")


def _not_found(process: BudgetProcess) -> None:
    """Count a code not found against the round's limit (spent: the next try is refused)."""
    with contextlib.suppress(RateLimited):
        ratelimit.limit(_round_actor(process), "code_round")


@never_cache
@require_http_methods(["GET", "POST"])
@gate
def code_entry(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    if not process.vote_with_code:
        raise Http404
    if not _is_open(process):
        return _closed(request, process)
    if request.method == "GET":
        form = CodeEntryForm(initial={"code": request.GET.get("code", "")[:40]})
        return _entry_page(request, process, form)
    form = CodeEntryForm(request.POST)
    try:
        _limits(request, process)
    except RateLimited as limited:
        return _entry_page(request, process, form, limited=limited.messages[0], status=429)
    if not form.is_valid():
        return _entry_page(request, process, form, status=400)
    try:
        code = codes.find_code(
            process, form.cleaned_data["code"], to_change=process.may_change_ballot
        )
    except BudgetRefused as refused:
        if refused.code == "voting_closed":
            return _closed(request, process, refused.messages[0])
        if refused.code in ("code_typo", "code_unknown", "code_other_round"):
            _not_found(process)
        form.add_error("code", refused.messages[0])
        return _entry_page(
            request, process, form, status=REFUSED_STATUS.get(refused.code or "", 400)
        )
    grant_pass(request.session, process, "code", code_id=code.pk, stamp=code_stamp(code))
    return redirect("budgeting:ballot", pk=process.pk)


def _entry_page(
    request: HttpRequest,
    process: BudgetProcess,
    form: CodeEntryForm,
    *,
    limited: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "budgeting/codes/entry.html",
        {"process": process, "form": form, "limited": limited},
        status=status,
    )


# ----- The letters (the round's administrator) --------------------------------------------------


def _round_admin(view: Any) -> Any:
    gated = permission_required("budgeting.manage_process", fn=_round_or_404, as_="process")(view)
    return login_required(gated)


def _codes_page(
    request: HttpRequest,
    process: BudgetProcess,
    *,
    again: LettersAgainForm | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    figures = code_selectors.code_figures(process)
    return render(
        request,
        "budgeting/codes/manage.html",
        {
            "municipality": process.municipality,
            "process": process,
            "figures": figures,
            "batch": min(figures.letters_to_make, codes.letters_per_pdf()),
            "per_pdf": codes.letters_per_pdf(),
            "again": again or LettersAgainForm(),
            "errors": errors or [],
            "open_for_codes": process.status in (ProcessStatus.DRAFT, ProcessStatus.PUBLISHED),
        },
        status=status,
    )


@never_cache
@_round_admin
@require_http_methods(["GET", "POST"])
def manage_codes(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    """The figures (GET); POST makes the codes and the letters, whose PDF is this response's
    download and is kept nowhere."""
    if request.method == "GET":
        return _codes_page(request, process)
    again = "again" in request.POST
    form = LettersAgainForm(request.POST) if again else None
    if form is not None and not form.is_valid():
        return _codes_page(request, process, again=form, status=400)
    after = form.cleaned_data["after"].strip() if form is not None else ""
    try:
        batch = letters.make_letters(actor=request.user, process=process, again=again, after=after)
    except BudgetRefused as refused:
        return _codes_page(request, process, errors=list(refused.messages), status=400)
    if batch.pdf is None:
        messages.info(request, _("Every letter has been made already: there were no new ones."))
        return redirect("budgeting:manage_codes", pk=process.pk)
    response = HttpResponse(batch.pdf, content_type="application/pdf")
    parts = ["stemcodes", process.title, "opnieuw" if again else "", batch.first, batch.last]
    name = slugify("-".join(part for part in parts if part)) or "stemcodes"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# ----- The desk (officials of the round) --------------------------------------------------------


def _desk_round(request: HttpRequest, pk: int, **kwargs: Any) -> BudgetProcess:
    process = (
        BudgetProcess.objects.select_related("municipality")
        .prefetch_related("process_areas__area")
        .filter(pk=pk)
        .first()
    )
    if process is None or not request.user.has_perm("budgeting.view_process", process):
        raise Http404
    return process


def _entry_state(entry: RegisterEntry) -> str:
    code = getattr(entry, "code", None)
    if code is None:
        return _("no letter (secret address)") if entry.secret_address else _("no code yet")
    if code.issued == CodeIssue.DESK:
        return _("code handed out at the desk")
    return _("letter with a code")


@never_cache
@login_required
@permission_required("budgeting.hand_out_codes", fn=_desk_round, as_="process")
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    if not process.vote_with_code:
        raise Http404
    search = DeskSearchForm(request.GET if request.GET else None)
    posted_entry = str(request.POST.get("entry", ""))
    hand_out = (
        HandOutForm(
            request.POST,
            auto_id=f"entry{posted_entry if posted_entry.isdigit() else ''}-%s",
        )
        if request.method == "POST"
        else None
    )
    handed: str = ""
    errors: list[str] = []
    status = 200
    if hand_out is not None:
        if hand_out.is_valid():
            entry = RegisterEntry.objects.filter(
                pk=hand_out.cleaned_data["entry"], process=process
            ).first()
            if entry is None:
                errors = [_("This register entry is not part of this round.")]
                status = 400
            else:
                try:
                    handed = codes.hand_out_code(
                        actor=request.user,
                        process=process,
                        entry=entry,
                        replace=hand_out.cleaned_data["replace"],
                    )
                except BudgetRefused as refused:
                    errors = list(refused.messages)
                    status = 409 if refused.code in ("code_used", "code_handed_out") else 400
        else:
            status = 400
    rows: list[Any] = []
    if search.is_bound and search.is_valid():
        posted = hand_out.data.get("entry") if hand_out is not None and not handed else None
        rows = [
            SimpleNamespace(
                entry=entry,
                state=_entry_state(entry),
                address=f"{letters.postcode_spaced(entry.postcode)} {entry.house_number}",
                has_code=getattr(entry, "code", None) is not None,
                form=hand_out
                if hand_out is not None and posted == str(entry.pk)
                else HandOutForm(initial={"entry": entry.pk}, auto_id=f"entry{entry.pk}-%s"),
            )
            for entry in code_selectors.desk_entries(
                process,
                reference=search.cleaned_data["reference"],
                postcode=search.cleaned_data["postcode"],
                house_number=search.cleaned_data["house_number"],
            )
        ]
    elif search.is_bound:
        status = 400
    return render(
        request,
        "budgeting/codes/desk.html",
        {
            "process": process,
            "search": search,
            "rows": rows,
            "handed": codes.grouped(codes.normalise(handed)) if handed else "",
            "errors": errors,
            "open_for_codes": process.status in (ProcessStatus.DRAFT, ProcessStatus.PUBLISHED),
        },
        status=status,
    )
