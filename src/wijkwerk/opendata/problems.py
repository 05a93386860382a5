"""Errors of the open data API as problem details (RFC 9457, application/problem+json), with a
`detail` in the request's language (Dutch unless the client asks for English)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

PROBLEM_JSON = "application/problem+json"


def titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        500: _("Server error"),
    }


def problem(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    invalid_params: Iterable[Mapping[str, str]] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": titles().get(status, str(status)),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if invalid_params is not None:
        body["invalid_params"] = [dict(item) for item in invalid_params]
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=PROBLEM_JSON,
    )


# Why a parameter was refused, per pydantic error type, in words (`ctx` holds the limits).
def _reason(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("must be a whole number")
    if kind == "greater_than_equal":
        return _("must be at least %(limit)s") % {"limit": ctx.get("ge")}
    if kind == "greater_than":
        return _("must be more than %(limit)s") % {"limit": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("must be at most %(limit)s") % {"limit": ctx.get("le")}
    if kind == "less_than":
        return _("must be less than %(limit)s") % {"limit": ctx.get("lt")}
    if kind == "string_pattern_mismatch":
        return _("does not have the right form (%(pattern)s)") % {"pattern": ctx.get("pattern")}
    if kind == "string_too_long":
        return _("is too long: at most %(max)s characters") % {"max": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("is too short: at least %(min)s characters") % {"min": ctx.get("min_length")}
    if kind in ("enum", "literal_error"):
        return _("must be one of %(choices)s") % {"choices": ctx.get("expected", "")}
    if kind == "missing":
        return _("is required")
    return _("is not valid")


def invalid_params(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    found = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
        found.append({"name": ".".join(location) or "?", "reason": _reason(error)})
    return found


def bad_parameters(request: HttpRequest, errors: Iterable[Mapping[str, Any]]) -> HttpResponse:
    params = invalid_params(errors)
    detail = "; ".join(
        _("“%(name)s” %(reason)s") % {"name": item["name"], "reason": item["reason"]}
        for item in params
    )
    return problem(request, 400, detail + ".", invalid_params=params)
