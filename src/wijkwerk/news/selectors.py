"""Reads of news: a fixed number of queries whatever the rows; None or empty, never Http404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from wijkwerk.areas.models import Area, Municipality

from .models import NewsPost
from .policy import POLICY
from .states import PUBLISHED

PAGE_SIZE = 10
PANEL_SIZE = 3


def _posts() -> QuerySet[NewsPost]:
    return NewsPost.objects.select_related("area__municipality", "council", "group")


def post_for(user: Any, pk: int) -> NewsPost | None:
    """The post if `user` may see it (published, or one they write), with what the page and
    the rules need: one query (and the writer's checks when it is not published)."""
    post = (
        NewsPost.objects.select_related(
            "area__parent__parent", "area__municipality", "council", "group", "author"
        )
        .filter(pk=pk)
        .first()
    )
    if post is None or not user.has_perm("news.view_post", post):
        return None
    return post


def municipality(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first()


def area(municipality_slug: str, slug: str) -> Area | None:
    return (
        Area.objects.select_related("municipality", "parent__parent")
        .filter(municipality__slug=municipality_slug, slug=slug)
        .first()
    )


def _within(area: Area) -> Q:
    """The area and the areas in it (a village's page shows its neighbourhoods' news)."""
    return Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area)


def area_news(area: Area) -> QuerySet[NewsPost]:
    return _posts().filter(_within(area), PUBLISHED.q()).order_by("-published_at", "-pk")


def municipality_news(municipality: Municipality) -> QuerySet[NewsPost]:
    return (
        _posts()
        .filter(municipality=municipality, **{"status__in": sorted(PUBLISHED)})
        .order_by("-published_at", "-pk")
    )


def recent_news(area: Area, limit: int = PANEL_SIZE) -> list[NewsPost]:
    """The area panel's latest posts: one query."""
    return list(area_news(area)[:limit])


def unpublished_for(user: Any, area: Area) -> list[NewsPost]:
    """Drafts and posts taken offline in `area` that `user` writes (for the area's news page):
    one query."""
    if not user.is_authenticated:
        return []
    writable = POLICY.condition("change_post").objects(user)
    return list(
        _posts()
        .filter(writable, area=area)
        .exclude(PUBLISHED.q())
        .order_by("-updated_at", "-pk")[:50]
    )
