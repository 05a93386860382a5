from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from wijkwerk.areas.selectors import area_search, municipalities_with_counts


def home(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "core/home.html",
        {
            "municipalities": municipalities_with_counts(),
            "query": query,
            "results": area_search(query) if query else None,
        },
    )


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": _("The form has expired"),
            "message": _(
                "For your security the form could not be sent: its security token was missing "
                "or wrong. Go back, reload the page and try again."
            ),
        },
        status=403,
    )
