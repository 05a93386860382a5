"""Fund overview, ledger and exports for staff; schemes, funds and categories for admins.

Gates: `staff_permission(perm)` for a person's permission (login, then 403), and
`core.gates.permission_required(perm, fn=_visible_fund, as_="fund")` for one on a fund (404 for a
fund the person may not see, 403 without the permission).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Municipality
from wijkwerk.core.gates import permission_required
from wijkwerk.core.money import format_money

from . import export, selectors, services
from .forms import (
    CategoryForm,
    CorrectionForm,
    FundForm,
    LedgerFilterForm,
    SchemeForm,
    YearFilterForm,
)
from .models import Category, Fund, PaymentBatch

View = Callable[..., HttpResponse]


def staff_permission(perm: str) -> Callable[[View], View]:
    """Login first (anonymous visitors go to the login page), then 403 without the permission."""

    def decorator(view: View) -> View:
        return login_required(permission_required(perm)(view))

    return decorator


def _year(request: HttpRequest) -> tuple[YearFilterForm, int | None]:
    form = YearFilterForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return form, year


def _overview_funds(request: HttpRequest, year: int | None) -> QuerySet[Fund]:
    funds = selectors.visible_funds(request.user)
    if year:
        funds = funds.filter(year=year)
    return funds.order_by("-year", "name")


@staff_permission("funds.view_funds")
def overview(request: HttpRequest) -> HttpResponse:
    form, year = _year(request)
    rows = selectors.with_figures(_overview_funds(request, year))
    return render(
        request,
        "funds/overview.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "may_manage": request.user.has_perm("funds.manage_schemes"),
        },
    )


def _visible_fund(request: HttpRequest, pk: int, **kwargs: Any) -> Fund:
    return get_object_or_404(
        selectors.visible_funds(request.user).select_related("scheme", "municipality"), pk=pk
    )


@staff_permission("funds.view_funds")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _visible_fund(request, pk)
    return render(
        request,
        "funds/detail.html",
        {
            "fund": fund,
            "figures": selectors.fund_figures(fund),
            "areas": fund.areas.all(),
            "per_area": selectors.area_figures(fund),
            "may_manage": request.user.has_perm("funds.manage_fund", fund),
        },
    )


@staff_permission("funds.view_funds")
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    fund = _visible_fund(request, pk)
    form = LedgerFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "kind": data["kind"] or None,
            "search": data["q"] or None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    entries = selectors.ledger_entries(fund, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "funds/ledger.html",
        {"fund": fund, "form": form, "page": page, "query": query.urlencode()},
    )


def manage_fund(view: View) -> View:
    """The fund of the URL, for its manager (404 for a fund the person may not see, else 403)."""
    return permission_required("funds.manage_fund", fn=_visible_fund, as_="fund")(view)


@staff_permission("funds.view_funds")
@require_http_methods(["GET", "POST"])
@manage_fund
def correct(request: HttpRequest, pk: int, fund: Fund) -> HttpResponse:
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct(
                actor=request.user,
                fund=fund,
                amount_cents=form.signed_cents(),
                reason=form.cleaned_data["reason"],
            )
        except services.LedgerRefused as refused:
            form.add_error("amount", refused.messages[0])
        else:
            messages.success(request, _("The correction has been booked."))
            return redirect("funds:detail", pk=fund.pk)
    return render(
        request,
        "funds/correct.html",
        {"fund": fund, "form": form, "figures": selectors.fund_figures(fund)},
    )


@staff_permission("funds.view_funds")
@require_http_methods(["GET", "POST"])
@manage_fund
def payments(request: HttpRequest, pk: int, fund: Fund) -> HttpResponse:
    """Payments not yet handed to the bank, and the batches made so far (the admin's page)."""
    if request.method == "POST":
        try:
            batch = services.payment_batch_create(actor=request.user, fund=fund)
        except services.LedgerRefused as refused:
            messages.error(request, refused.messages[0])
        else:
            messages.success(
                request,
                _("Payment batch %(reference)s made: %(count)d payments, %(total)s.")
                % {
                    "reference": batch.reference,
                    "count": batch.count,
                    "total": format_money(batch.total_cents),
                },
            )
        return redirect("funds:payments", pk=fund.pk)
    return render(
        request,
        "funds/payments.html",
        {
            "fund": fund,
            "waiting": selectors.unbatched_payments(fund),
            "batches": selectors.payment_batches(fund),
        },
    )


def _batch(fund: Fund, batch: int) -> tuple[PaymentBatch, list[Any]]:
    found = get_object_or_404(
        PaymentBatch.objects.select_related("fund__municipality"), pk=batch, fund=fund
    )
    return found, selectors.batch_instructions(found)


@staff_permission("funds.view_funds")
@manage_fund
def payment_batch_csv(request: HttpRequest, pk: int, batch: int, fund: Fund) -> HttpResponse:
    found, instructions = _batch(fund, batch)
    response = HttpResponse(
        export.payment_batch_csv(found, instructions), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{found.reference}.csv"'
    return response


@staff_permission("funds.view_funds")
@manage_fund
def payment_batch_xml(request: HttpRequest, pk: int, batch: int, fund: Fund) -> HttpResponse:
    found, instructions = _batch(fund, batch)
    try:
        xml = export.payment_batch_sepa(
            found, instructions, execution_date=timezone.localdate() + datetime.timedelta(days=1)
        )
    except export.SepaUnavailable as error:
        messages.error(request, str(error))
        return redirect("funds:payments", pk=pk)
    response = HttpResponse(xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="{found.reference}.xml"'
    return response


def _export_name(extension: str, year: int | None) -> str:
    stamp = datetime.date.today().isoformat()
    return f"fondsen-{year or 'alle'}-{stamp}.{extension}"


@staff_permission("funds.view_funds")
def export_csv(request: HttpRequest) -> HttpResponse:
    _form, year = _year(request)
    rows = selectors.with_figures(_overview_funds(request, year))
    response = HttpResponse(export.overview_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv", year)}"'
    return response


@staff_permission("funds.view_funds")
def export_xlsx(request: HttpRequest) -> HttpResponse:
    _form, year = _year(request)
    rows = selectors.with_figures(_overview_funds(request, year))
    per_area = selectors.area_figures_for_funds([fund for fund, _figures in rows])
    response = HttpResponse(
        export.overview_xlsx(rows, per_area),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name("xlsx", year)}"'
    return response


# Configuration pages for the municipality's admin.


def _admin_municipalities(request: HttpRequest) -> QuerySet[Municipality]:
    if request.user.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=role_index(request.user).admin_municipality_ids)


@staff_permission("funds.manage_schemes")
def schemes(request: HttpRequest) -> HttpResponse:
    municipalities = _admin_municipalities(request)
    return render(
        request,
        "funds/schemes.html",
        {
            "schemes": selectors.schemes_for(request.user).prefetch_related("categories"),
            "funds": selectors.managed_funds(request.user),
            "categories": Category.objects.filter(municipality__in=municipalities).select_related(
                "municipality"
            ),
        },
    )


@staff_permission("funds.manage_schemes")
@require_http_methods(["GET", "POST"])
def scheme_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipalities = _admin_municipalities(request)
    scheme = get_object_or_404(selectors.schemes_for(request.user), pk=pk) if pk else None
    form = SchemeForm(request.POST or None, instance=scheme, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        saved = services.save_scheme(
            actor=request.user,
            scheme=form.save(commit=False),
            categories=form.cleaned_data["categories"],
        )
        messages.success(request, _("Scheme %(name)s has been saved.") % {"name": saved.name})
        return redirect("funds:schemes")
    title = _("Edit scheme %(name)s") % {"name": scheme.name} if scheme else _("New scheme")
    return render(request, "funds/form.html", {"form": form, "title": title})


@staff_permission("funds.manage_schemes")
@require_http_methods(["GET", "POST"])
def fund_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipalities = _admin_municipalities(request)
    fund = get_object_or_404(selectors.managed_funds(request.user), pk=pk) if pk else None
    form = FundForm(request.POST or None, instance=fund, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_fund(
                actor=request.user, fund=form.save(commit=False), areas=form.cleaned_data["areas"]
            )
        except services.LedgerRefused as refused:
            form.add_error("amount_cents", refused.messages[0])
        else:
            messages.success(request, _("Fund %(name)s has been saved.") % {"name": saved.name})
            return redirect("funds:detail", pk=saved.pk)
    title = _("Edit fund %(name)s") % {"name": fund} if fund else _("New fund")
    return render(request, "funds/form.html", {"form": form, "title": title})


@staff_permission("funds.manage_schemes")
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipalities = _admin_municipalities(request)
    category = (
        get_object_or_404(Category.objects.filter(municipality__in=municipalities), pk=pk)
        if pk
        else None
    )
    form = CategoryForm(request.POST or None, instance=category, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        saved = services.save_category(actor=request.user, category=form.save(commit=False))
        messages.success(request, _("Category %(name)s has been saved.") % {"name": saved.name})
        return redirect("funds:schemes")
    title = _("Edit category %(name)s") % {"name": category.name} if category else _("New category")
    return render(request, "funds/form.html", {"form": form, "title": title})
