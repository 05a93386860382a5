from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .models import Area, Municipality


def municipality_detail(request: HttpRequest, municipality: str) -> HttpResponse:
    obj = get_object_or_404(Municipality, slug=municipality)
    areas = obj.areas.filter(parent__isnull=True).order_by("kind", "name")
    return render(request, "areas/municipality.html", {"municipality": obj, "areas": areas})


def area_detail(request: HttpRequest, municipality: str, area: str) -> HttpResponse:
    obj = get_object_or_404(
        Area.objects.select_related("municipality", "parent__parent"),
        municipality__slug=municipality,
        slug=area,
    )
    return render(request, "areas/area.html", {"area": obj})
