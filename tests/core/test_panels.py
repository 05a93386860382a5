"""Panels (core/panels.py): every registered panel keeps to its query budget, so a page's query
count stays true as apps add blocks to it; and a slot that does not exist is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wijkwerk.core import panels

from ..cast import Cast

pytestmark = pytest.mark.django_db


def test_every_slot_has_panels_and_each_keeps_to_its_query_budget(cast: Cast) -> None:
    # The cast's Dorst-Zuid, in Dorst with its broker, alderman, community worker, coordinator
    # and council, and an initiative of the applicant's there.
    neighbourhood = cast.neighbourhood
    initiative = cast.submitted()
    area = (
        type(neighbourhood)
        .objects.select_related("municipality", "parent__parent")
        .get(pk=neighbourhood.pk)
    )
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    arguments = {
        "home": {},
        "area": {"area": area},
        "area_aside": {"area": area},
        "object": {"obj": initiative},
    }
    seen = 0
    for slot in panels.SLOTS:
        for panel in panels.panels(slot):
            kwargs = arguments.get(slot, {})
            with CaptureQueriesContext(connection) as queries:
                data = panel.context(request, **kwargs)
                if data is not None:
                    render_to_string(
                        panel.template, {**kwargs, **data, "user": request.user}, request=request
                    )
            assert len(queries) <= panel.max_queries, (
                f"panel {slot}/{panel.name} used {len(queries)} queries, budget "
                f"{panel.max_queries}: {[q['sql'] for q in queries]}"
            )
            seen += 1
    assert seen >= 6  # site, initiatives, backoffice, accounts: nav, footer, home, area, aside


def test_a_panel_for_an_unknown_slot_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown panel slot"):
        panels.register(panels.Panel("sidebar", "x", "x.html"))
