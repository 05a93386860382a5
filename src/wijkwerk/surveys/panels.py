"""The surveys' blocks on other pages (core/panels.py), registered in `SurveysConfig.ready`:
the polls and surveys open now on an area's page (and, for the area's officials, a link to make
one), and nothing yet at the foot of a survey's own page (the "object" slot is filled by other
apps: following, comments)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def _area_surveys(request: HttpRequest | None, *, area: Any) -> dict[str, Any] | None:
    from .models import Survey
    from .selectors import open_in_area

    surveys = open_in_area(area)
    may_create = False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        probe = Survey(municipality_id=area.municipality_id, area=area)
        may_create = user.has_perm("surveys.manage_survey", probe)
    if not surveys and not may_create:
        return None
    return {"surveys": surveys, "area": area, "may_create": may_create}


def register() -> None:
    from wijkwerk.core.panels import Panel
    from wijkwerk.core.panels import register as add

    # one query for the surveys; the role index is loaded once per request (one more)
    add(
        Panel("area", "surveys", "surveys/_area_panel.html", _area_surveys, max_queries=2, order=60)
    )
