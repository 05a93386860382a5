"""Every URL × every visitor gets the expected status; a URL without cases fails the suite."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ..cast import Cast
from . import expectations
from .framework import Case, World


def all_cases() -> list[Case]:
    cases: list[Case] = []
    for module in pkgutil.iter_modules(expectations.__path__):
        cases += importlib.import_module(f"{expectations.__name__}.{module.name}").CASES
    return cases


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.add(namespace + pattern.name)
    return names


CASES = all_cases()


def test_every_url_has_cases() -> None:
    uncovered = url_names() - {case.url_name for case in CASES}
    assert not uncovered, f"URLs without permission cases: {sorted(uncovered)}"


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_matrix(case: Case, cast: Cast) -> None:
    world = World.of(cast)
    case.setup(world)
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    got: dict[str, int] = {}
    for visitor in case.visitors:
        client = Client()
        if visitor != "anonymous":
            client.force_login(world.user(visitor))
        response = getattr(client, case.method)(url, data=case.data(world))
        got[visitor] = response.status_code
    mismatches = {
        v: (case.expected(v), got[v]) for v in case.visitors if case.expected(v) != got[v]
    }
    assert not mismatches, f"{case.id} {url}: expected/got per visitor {mismatches}"
