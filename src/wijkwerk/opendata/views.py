"""The open data API's URLs around ninja's operations, and the human page about it (/api/).

`api_view` wraps every URL under /api/v1 (ninja's operations, the OpenAPI document, the index
and the 404 for unknown paths):

- `API-Version: 1.0.0` on every response (Logius /core/version-header, API-57);
- GET and HEAD (HEAD is a GET without its body), OPTIONS answers 204 with `Allow` (a CORS
  preflight is answered by django-cors-headers before it gets here); any other method 405 with
  `Allow`, as a problem (/core/http-methods, API-03);
- an ETag on every 200, and 304 Not Modified when the client already has it;
- messages in Dutch, or in English when the client's Accept-Language prefers it (the site itself
  never asks the browser; an API client has no language switch).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation.trans_real import parse_accept_lang_header

from . import problems
from .api import VERSION, api

ALLOW = "GET, HEAD, OPTIONS"
View = Callable[..., HttpResponse]


def _language(request: HttpRequest) -> str:
    header = request.headers.get("Accept-Language", "")
    wanted = parse_accept_lang_header(header) if header else ()
    for code, _quality in wanted:
        short = code.split("-")[0].lower()
        if short in ("nl", "en"):
            return short
    return "nl"


def api_view(view: View) -> View:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = _language(request)
        with translation.override(language):
            response = _answer(view, request, *args, **kwargs)
        response["API-Version"] = VERSION
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # read-only: no cookies, no forms
    return wrapper


def _answer(view: View, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    method = request.method
    if method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"] = ALLOW
        return response
    if method not in ("GET", "HEAD"):
        response = problems.problem(
            request,
            405,
            _("This API only reads: use GET (or HEAD or OPTIONS), not %(method)s.")
            % {"method": method},
        )
        response["Allow"] = ALLOW
        return response
    request.method = "GET"
    try:
        response = view(request, *args, **kwargs)
    finally:
        request.method = method
    if response.status_code == 200:
        etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        response["ETag"] = etag
        response["Cache-Control"] = "public, no-cache"
        conditional = get_conditional_response(request, etag=etag, response=response)
        if conditional is not None and conditional is not response:
            conditional["ETag"] = etag
            return conditional
    if method == "HEAD":
        length = len(response.content)
        response.content = b""
        response["Content-Length"] = str(length)
    return response


def index(request: HttpRequest) -> HttpResponse:
    """The API's base (`/api/v1`): what it holds, as links."""
    absolute = request.build_absolute_uri
    base = absolute(reverse("opendata:index"))
    links = {
        "self": {"href": base},
        "openapi": {"href": absolute(reverse("opendata:openapi-json"))},
        "documentation": {"href": absolute(reverse("opendata:docs"))},
        "municipalities": {"href": absolute(reverse("opendata:municipalities"))},
        "areas": {"href": absolute(reverse("opendata:areas"))},
        "initiatives": {"href": absolute(reverse("opendata:initiatives"))},
        "funds": {"href": absolute(reverse("opendata:funds"))},
        "budget_rounds": {"href": absolute(reverse("opendata:budget_rounds"))},
        "reports": {"href": absolute(reverse("opendata:reports"))},
    }
    return JsonResponse(
        {"title": api.title, "version": VERSION, "_links": links},
        json_dumps_params={"ensure_ascii": False},
    )


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/v1, a trailing slash too (/core/no-trailing-slash, API-48):
    404 as a problem, never a redirect."""
    return problems.problem(
        request,
        404,
        _("There is no resource at %(path)s. The API's resources are listed at %(index)s.")
        % {"path": request.path, "index": reverse("opendata:index")},
    )


# What each path holds, for people (the OpenAPI document says it for programs).
DESCRIPTIONS = {
    "/municipalities": gettext_lazy("The municipalities on this platform."),
    "/municipalities/{id}": gettext_lazy("One municipality."),
    "/areas": gettext_lazy(
        "Districts, villages and neighbourhoods with their CBS codes, the area they are part "
        "of and, where known, their population."
    ),
    "/areas/{id}": gettext_lazy("One area."),
    "/initiatives": gettext_lazy(
        "Residents' initiatives whose applicants agreed to publication: title, summary, area, "
        "category, status and the amounts asked for and granted."
    ),
    "/initiatives/{id}": gettext_lazy("One public initiative."),
    "/funds": gettext_lazy("The funds with what is committed, paid and still available."),
    "/funds/{id}": gettext_lazy("One fund with its figures."),
    "/budget-rounds": gettext_lazy("Published neighbourhood budget rounds and their phases."),
    "/budget-rounds/{id}": gettext_lazy(
        "One round with its result per area once counted, and the link to its ballots file "
        "(.pb) with the file's SHA-256."
    ),
    "/budget-rounds/{id}/plans": gettext_lazy("The plans residents submitted in a round."),
    "/reports": gettext_lazy(
        "Published quarterly reports to the council, with their PDF and its SHA-256."
    ),
    "/reports/{id}": gettext_lazy("One published quarterly report."),
}


def docs(request: HttpRequest) -> HttpResponse:
    """The human page about the API: what it holds, how to read it, the rules it follows."""
    schema = api.get_openapi_schema()
    operations = [
        {"path": "/api/v1" + path, "description": DESCRIPTIONS.get(path, "")}
        for path, methods in schema["paths"].items()
        if "get" in methods
    ]
    return render(
        request,
        "opendata/docs.html",
        {
            "operations": operations,
            "version": VERSION,
            "index_url": reverse("opendata:index"),
            "openapi_url": reverse("opendata:openapi-json"),
        },
    )
