"""The right to challenge's block on an area's page (core/panels.py, slot "area"), registered in
`ChallengesConfig.ready`: the challenges under way there, and where to propose one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def _area_challenges(request: HttpRequest | None, *, area: Any) -> dict[str, Any] | None:
    from .selectors import open_in_area

    return {"challenges": open_in_area(area), "area": area}


def register() -> None:
    from wijkwerk.core.panels import Panel
    from wijkwerk.core.panels import register as add

    # one query for the challenges (their areas joined)
    add(
        Panel(
            "area",
            "challenges",
            "challenges/_area_panel.html",
            _area_challenges,
            max_queries=1,
            order=62,
            shared=True,
            depends_on=("challenges.Challenge", "areas.Area"),
        )
    )
