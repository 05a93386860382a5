"""The budget rounds' blocks on other apps' pages (core/panels.py), registered in
`BudgetingConfig.ready`: the main navigation's "Buurtbudget", the back office's link to the
rounds, and the rounds running now on the home page and an area's page (the rounds of that area
or of an area it lies in)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def _area_rounds(request: HttpRequest, *, area: Any) -> dict[str, Any] | None:
    from . import round_selectors

    rows = round_selectors.rounds_now(area)
    return {"round_rows": rows} if rows else None


def _home_rounds(request: HttpRequest, **kwargs: Any) -> dict[str, Any] | None:
    from . import round_selectors

    rows = round_selectors.rounds_now(None, limit=3)
    return {"round_rows": rows} if rows else None


def _backoffice_nav(
    request: HttpRequest | None, municipality: Any = None, **kwargs: Any
) -> dict[str, Any] | None:
    from .models import BudgetProcess

    if municipality is None or request is None:
        return None
    if not request.user.has_perm(
        "budgeting.manage_process", BudgetProcess(municipality=municipality)
    ):
        return None
    return {"municipality": municipality}


def register() -> None:
    from wijkwerk.core.panels import Panel
    from wijkwerk.core.panels import register as add

    template = "budgeting/rounds/_panel.html"
    add(Panel("home", "budgeting", template, _home_rounds, max_queries=2, order=50))
    add(
        Panel(
            "area",
            "budgeting",
            template,
            _area_rounds,
            max_queries=2,
            order=50,
            shared=True,
            depends_on=(
                "budgeting.BudgetProcess",
                "budgeting.ProcessPhase",
                "budgeting.ProcessArea",
            ),
        )
    )
    add(Panel("nav", "budgeting", "budgeting/rounds/_nav.html", order=15))
    add(
        Panel(
            "backoffice_nav",
            "budgeting",
            "budgeting/rounds/_backoffice_nav.html",
            context=_backoffice_nav,
            max_queries=1,
            order=45,
        )
    )
