"""The register extract's back-office page (`budgeting:manage_register`, the round's
administrator, `budgeting.manage_process`): upload the CSV, read every problem with its line,
and after a good file the counts (per area; residents, entrepreneurs, secret addresses) and when
the extract will be deleted. The page shows no person: counts only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import register_selectors
from ..models import BudgetProcess
from ..refusals import BudgetRefused
from ..register_forms import RegisterUploadForm
from ..services.register import COLUMNS, register_upload
from ..states import VOTING_ENDED
from .rounds import round_admin


@round_admin
@require_http_methods(["GET", "POST"])
def manage_register(request: HttpRequest, pk: int, process: BudgetProcess) -> HttpResponse:
    posted = request.method == "POST"
    form = RegisterUploadForm(request.POST if posted else None, request.FILES if posted else None)
    problems: list[str] = []
    status = 200
    if posted:
        if form.is_valid():
            try:
                saved = register_upload(
                    actor=request.user, process=process, file=form.cleaned_data["file"]
                )
            except BudgetRefused as refused:
                problems = form.refused(list(refused.messages))
            else:
                messages.success(
                    request,
                    _("The register extract has been saved: %(rows)s rows.")
                    % {"rows": saved.row_count},
                )
                return redirect("budgeting:manage_register", pk=process.pk)
        status = 400
    extract = register_selectors.current_extract(process)
    used = register_selectors.codes_used(process)
    closed = process.status in VOTING_ENDED
    return render(
        request,
        "budgeting/register/manage.html",
        {
            "municipality": process.municipality,
            "process": process,
            "form": form,
            "problems": problems,
            "summary": register_selectors.summary(extract) if extract is not None else None,
            "codes_used": used,
            "closed": closed,
            "may_upload": not closed and not used,
            "columns": COLUMNS,
        },
        status=status,
    )
