"""News's blocks on other pages (core/panels.py), registered in `NewsConfig.ready`: the latest
news on an area's page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def _area_news(request: HttpRequest, *, area: Any) -> dict[str, Any] | None:
    from . import selectors

    posts = selectors.recent_news(area)
    return {"news_posts": posts} if posts else None


def register() -> None:
    from wijkwerk.core.panels import Panel
    from wijkwerk.core.panels import register as add

    # right after the coming events (40): what is new reads before budgets, polls and questions
    add(
        Panel(
            "area",
            "news",
            "news/_area.html",
            _area_news,
            max_queries=1,
            order=45,
            shared=True,
            # the publisher's name: the municipality, a council or a group
            depends_on=(
                "news.NewsPost",
                "areas.Area",
                "areas.Municipality",
                "areas.AreaCouncil",
                "areas.ResidentGroup",
            ),
        )
    )
