"""Reach pages: the municipality's table per quarter, an area's and a council's reach over the
last quarters (SVG chart and its data table), and the population upload for administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkwerk.areas.models import Area, AreaCouncil, Municipality
from wijkwerk.core.gates import permission_required
from wijkwerk.core.quarters import Quarter, QuarterError

from . import selectors, services
from .charts import bar_chart
from .forms import PopulationForm, QuarterForm
from .models import PopulationImport

HISTORY = 8  # quarters on an area's or council's page


def _municipality(request: HttpRequest, municipality: str, **kwargs: Any) -> Municipality:
    return get_object_or_404(Municipality, slug=municipality)


def _quarter(slug: str | None) -> Quarter:
    if slug is None:
        return Quarter.current()
    try:
        return Quarter.parse(slug)
    except QuarterError:
        raise Http404 from None


def _channels() -> list[tuple[str, Any]]:
    return list(selectors.CHANNELS)


@permission_required("reach.view_reach", fn=_municipality, as_="municipality")
def municipality_reach(
    request: HttpRequest, municipality: Municipality, quarter: str | None = None
) -> HttpResponse:
    if quarter is None and "kwartaal" in request.GET:
        form = QuarterForm(request.GET)
        if form.is_valid():
            return redirect(
                "reach:municipality_quarter",
                municipality=municipality.slug,
                quarter=form.cleaned_data["kwartaal"],
            )
    chosen = _quarter(quarter)
    if chosen > Quarter.current():
        raise Http404
    table = selectors.reach_table(municipality, chosen)
    form = QuarterForm(initial={"kwartaal": chosen.slug})
    return render(
        request,
        "reach/municipality.html",
        {
            "municipality": municipality,
            "quarter": chosen,
            "table": table,
            "form": form,
            "channels": _channels(),
            "threshold": selectors.THRESHOLD,
            "may_import": request.user.has_perm("reach.import_population", municipality),
        },
    )


def _history(request: HttpRequest, target: Any, municipality: Municipality) -> dict[str, Any]:
    until = _quarter(request.GET.get("tot")) if request.GET.get("tot") else Quarter.current()
    quarters = selectors.last_quarters(HISTORY, until)
    points = selectors.reach_over_time(target, quarters)
    return {
        "municipality": municipality,
        "points": points,
        "chart": bar_chart(points, _("<5")),
        "channels": _channels(),
        "threshold": selectors.THRESHOLD,
        "first": quarters[0],
        "last": quarters[-1],
        "has_data": any(p.has_data for p in points),
    }


@permission_required("reach.view_reach", fn=_municipality, as_="municipality")
def area_reach(request: HttpRequest, municipality: Municipality, area: str) -> HttpResponse:
    found = get_object_or_404(
        Area.objects.select_related("municipality", "parent"), municipality=municipality, slug=area
    )
    context = _history(request, found, municipality)
    context.update({"target": found, "kind": "area"})
    return render(request, "reach/history.html", context)


@permission_required("reach.view_reach", fn=_municipality, as_="municipality")
def council_reach(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    found = get_object_or_404(
        AreaCouncil.objects.select_related("area__municipality"),
        area__municipality=municipality,
        pk=pk,
    )
    context = _history(request, found, municipality)
    context.update({"target": found, "kind": "council"})
    return render(request, "reach/history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@permission_required("reach.import_population", fn=_municipality, as_="municipality")
def population(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = PopulationForm(
        request.POST or None,
        request.FILES or None,
        initial={"year": timezone.localdate().year},
    )
    problems: list[tuple[int, str]] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                results = services.population_import(
                    actor=request.user,
                    municipalities=[municipality],
                    data=upload.read(),
                    year=form.cleaned_data["year"],
                    file_name=upload.name or "",
                )
            except services.PopulationImportError as error:
                problems = error.errors
                status = 400
            else:
                result = results[0]
                messages.success(
                    request,
                    _(
                        "The population of %(year)s has been imported: %(rows)s areas, "
                        "%(replaced)s earlier figures of that year replaced."
                    )
                    % {
                        "year": result.imported.year,
                        "rows": result.rows,
                        "replaced": result.replaced,
                    },
                )
                return redirect("reach:population", municipality=municipality.slug)
        else:
            status = 400
    imports = list(
        PopulationImport.objects.filter(municipality=municipality).order_by("-imported_at")[:10]
    )
    return render(
        request,
        "reach/population.html",
        {"municipality": municipality, "form": form, "problems": problems, "imports": imports},
        status=status,
    )
