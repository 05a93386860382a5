"""The report pages: the public list and report (page and PDF), the clerk's drafts, edit form,
regeneration and publication. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wijkwerk.areas.models import Municipality
from wijkwerk.core.gates import permission_required
from wijkwerk.core.quarters import Quarter, QuarterError

from . import rendering, selectors, services
from .forms import EditForm, GenerateForm
from .models import QuarterlyReport
from .policy import POLICY, managed_municipality_ids
from .refusals import ReportRefused


def _not_found(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "reports/not_found.html", {"reason": reason}, status=404)


def _find(
    request: HttpRequest, municipality: str, quarter: str
) -> tuple[QuarterlyReport | None, HttpResponse | None]:
    """The report at the URL, or the 404 page saying why there is none to show."""
    try:
        parsed = Quarter.parse(quarter)
    except QuarterError as error:
        return None, _not_found(request, str(error))
    found = selectors.report(municipality, parsed)
    if found is None or not request.user.has_perm("reports.view_report", found):
        return None, _not_found(
            request,
            _("There is no published report for %(quarter)s here.") % {"quarter": parsed},
        )
    return found, None


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reports/list.html", {"municipalities": selectors.published_by_municipality()}
    )


@require_GET
def report_detail(request: HttpRequest, municipality: str, quarter: str) -> HttpResponse:
    report, refusal = _find(request, municipality, quarter)
    if refusal is not None or report is None:
        return refusal or _not_found(request, "")
    context = rendering.view(report)
    context["may_change"] = request.user.has_perm("reports.change_report", report)
    if report.states.published:
        context["stored_sha256"] = report.stored_sha256()
    return render(request, "reports/detail.html", context)


@require_GET
def report_pdf(
    request: HttpRequest, municipality: str, quarter: str
) -> HttpResponse | FileResponse:
    report, refusal = _find(request, municipality, quarter)
    if refusal is not None or report is None:
        return refusal or _not_found(request, "")
    if not report.states.published:
        return _not_found(request, _("A draft has no PDF yet: it is made when it is published."))
    response = FileResponse(
        report.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=f"kwartaalrapportage-{report.municipality.slug}-{report.slug}.pdf",
    )
    response["X-Content-SHA256"] = report.pdf_sha256
    return response


def _managed(user: Any) -> QuerySet[Municipality]:
    if getattr(user, "is_superuser", False):
        return Municipality.objects.order_by("name")
    return Municipality.objects.filter(pk__in=sorted(managed_municipality_ids(user))).order_by(
        "name"
    )


@login_required
@permission_required("reports.use_drafts")
@require_http_methods(["GET", "POST"])
def drafts(request: HttpRequest) -> HttpResponse:
    municipalities = _managed(request.user)
    form = GenerateForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.generate(
                request.user, form.cleaned_data["municipality"], form.cleaned_data["quarter"]
            )
        except ReportRefused as refusal:
            form.add_error("quarter", refusal)
        else:
            messages.success(request, _("The draft is ready. Add the introduction and notes."))
            return redirect("reports:edit", report.municipality.slug, report.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reports/drafts.html",
        {"form": form, "reports": selectors.reports_to_manage(request.user)},
        status=status,
    )


def _report_or_404(request: HttpRequest, municipality: str, quarter: str) -> Any:
    report, refusal = _find(request, municipality, quarter)
    if refusal is not None or report is None:
        return None, refusal
    if not POLICY.user_has_permission_for_instance(request.user, "manage_report", report):
        raise PermissionDenied
    return report, None


def _published_response(request: HttpRequest, report: QuarterlyReport) -> HttpResponse:
    return render(
        request,
        "reports/published_refusal.html",
        {"report": report, "message": services.published_refusal().messages[0]},
        status=409,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, municipality: str, quarter: str) -> HttpResponse:
    report, refusal = _report_or_404(request, municipality, quarter)
    if refusal is not None:
        return refusal
    if report.states.published:
        return _published_response(request, report)
    initial = {"introduction": report.introduction}
    initial.update({f"note_{key}": text for key, text in (report.notes or {}).items()})
    form = EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit(
                request.user,
                report,
                introduction=form.cleaned_data["introduction"],
                notes=form.notes(),
            )
        except ReportRefused as error:
            if error.code == "published":
                return _published_response(request, report)
            form.add_error(None, error)
        else:
            messages.success(request, _("The texts are saved."))
            return redirect("reports:edit", report.municipality.slug, report.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/edit.html", {"report": report, "form": form}, status=status)


@login_required
@require_POST
def regenerate(request: HttpRequest, municipality: str, quarter: str) -> HttpResponse:
    report, refusal = _report_or_404(request, municipality, quarter)
    if refusal is not None:
        return refusal
    try:
        services.regenerate(request.user, report)
    except ReportRefused:
        return _published_response(request, report)
    messages.success(request, _("The figures have been taken again."))
    return redirect("reports:edit", report.municipality.slug, report.slug)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, municipality: str, quarter: str) -> HttpResponse:
    report, refusal = _report_or_404(request, municipality, quarter)
    if refusal is not None:
        return refusal
    if report.states.published:
        return _published_response(request, report)
    if request.method == "POST":
        try:
            report = services.publish(request.user, report)
        except ReportRefused:
            return _published_response(request, report)
        messages.success(request, _("The report is published. It no longer changes."))
        return redirect(report.get_absolute_url())
    return render(request, "reports/publish.html", {"report": report})
