"""Hostile query parameters never cause a server error: every URL of the URL conf × every kind of
visitor × every hostile value, on each parameter the view reads, answers below 500.

The URLs, objects and visitors are the permission matrix's (`expectations/`, and its `World`, the
cast): each URL is requested with GET for each of its GET cases (or, for a URL that only takes
POST, with its first case's objects). Which parameters a view reads is found out by recording
what it looks up in `request.GET` on a first request; then each hostile value goes into every
read parameter at once, and into each read parameter on its own (the others left out or valid),
so that a harmless value in one field cannot hide the error another causes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils.functional import cached_property

from ..cast import Cast
from .framework import VISITORS, Case, World
from .test_matrix import CASES, url_names

# Values an attacker (or a broken link) sends. Several hit the database as numbers or dates.
HOSTILE: dict[str, str | list[str]] = {
    "huge": "99999999999999999999",
    "huge negative": "-99999999999999999999",
    "negative": "-1",
    "zero": "0",
    "NUL": "\x00",
    "NUL inside": "1\x00",
    "far future": "9999-12-31",
    "year one": "0001-01-01",
    "text": "abc",
    "decimal": "1.5",
    "exponent": "1e400",
    "long text": "x" * 5_000,
    "long number": "9" * 5_000,
    "repeated": ["1", "abc"],
    "empty": "",
}
# Tried on every URL even when the view reads no parameter.
ALWAYS = ("page", "pagina", "q", "next")
# Valid values for parameters that open another path through a view (the dashboard's section
# pages), so that the other parameters are tried on that path too.
VALID = {"section": "new"}
PROBE = "hostile-probe"

_read: set[str] = set()


class RecordingQueryDict(QueryDict):
    """A QueryDict that notes every key a view looks up."""

    def __getitem__(self, key: str) -> Any:
        _read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        _read.add(str(key))
        return super().__contains__(key)

    def getlist(self, key: str, default: Any = None) -> Any:
        _read.add(key)
        return super().getlist(key, default)


def _recording_get(request: WSGIRequest) -> QueryDict:
    query = _original_get(request)
    query.__class__ = RecordingQueryDict
    return query


_original_get = WSGIRequest.GET.func  # type: ignore[attr-defined]


@pytest.fixture
def recording() -> Iterator[None]:
    prop = cached_property(_recording_get)
    prop.__set_name__(WSGIRequest, "GET")
    saved = WSGIRequest.__dict__["GET"]
    WSGIRequest.GET = prop  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        WSGIRequest.GET = saved  # type: ignore[method-assign]


@dataclass(frozen=True)
class Target:
    case: Case

    @property
    def id(self) -> str:
        label = f" {self.case.label}" if self.case.label and self.case.method == "get" else ""
        return f"{self.case.url_name}{label}"


def targets() -> list[Target]:
    """Every GET case, and for each URL without one its first case, requested with GET."""
    found = [Target(case) for case in CASES if case.method == "get"]
    with_get = {case.url_name for case in CASES if case.method == "get"}
    first: dict[str, Case] = {}
    for case in CASES:
        if case.url_name not in with_get:
            first.setdefault(case.url_name, case)
    return found + [Target(case) for case in first.values()]


TARGETS = targets()


def test_every_url_is_tried() -> None:
    assert {target.case.url_name for target in TARGETS} >= url_names() & {
        case.url_name for case in CASES
    }


def _requests(base: dict[str, Any], read: set[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    for label, value in HOSTILE.items():
        yield f"every parameter {label}", dict.fromkeys(read | set(ALWAYS), value)
        for key in sorted(read):
            valid = {k: VALID[k] for k in read if k in VALID and k != key}
            yield f"{key} {label}", {**valid, **base, key: value}


@pytest.mark.django_db
@pytest.mark.usefixtures("recording")
@pytest.mark.parametrize("target", TARGETS, ids=lambda target: target.id)
def test_hostile_parameters_cause_no_server_error(target: Target, cast: Cast) -> None:
    world = World.of(cast)
    target.case.setup(world)
    url = reverse(target.case.url_name, kwargs=target.case.kwargs(world))
    base = target.case.data(world) if target.case.method == "get" else {}
    errors: list[str] = []
    for visitor in VISITORS:
        client = Client(raise_request_exception=False)
        if visitor != "anonymous":
            client.force_login(world.users[visitor])
        _read.clear()
        client.get(url, {**VALID, **base, PROBE: "1"})
        read = _read - {PROBE}
        for what, params in _requests(base, read):
            response = client.get(url, params)
            if response.status_code >= 500:
                error = getattr(response, "exc_info", None)
                cause = repr(error[1])[:200] if error else ""
                errors.append(f"{visitor}: {what} -> {response.status_code} {cause}")
    assert not errors, f"GET {url}:\n" + "\n".join(errors[:30])
