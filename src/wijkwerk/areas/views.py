from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors

# Public pages: `areas/rules.py` decides who may see them; someone who may not gets a 404, as for
# an area that does not exist.


def municipality_detail(request: HttpRequest, municipality: str) -> HttpResponse:
    overview = selectors.municipality_overview(municipality)
    if overview is None or not request.user.has_perm(
        "areas.view_municipality", overview.municipality
    ):
        raise Http404
    return render(request, "areas/municipality.html", {"overview": overview})


def area_detail(request: HttpRequest, municipality: str, area: str) -> HttpResponse:
    page = selectors.area_page(municipality, area)
    if page is None or not request.user.has_perm("areas.view_area", page.area):
        raise Http404
    return render(request, "areas/area.html", {"page": page, "area": page.area})
