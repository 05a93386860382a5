"""News posts for tests, through the service where it matters (tests/news)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from wijkwerk.news.models import NewsPost
from wijkwerk.news.states import PostStatus


def post(area: Any, *, author: Any = None, published: bool = True, **fields: Any) -> NewsPost:
    """A post in `area` (published unless told), made directly (no audit, no mail)."""
    values = {
        "municipality_id": area.municipality_id,
        "area": area,
        "title": "Nieuwe bankjes op het Dorpsplein",
        "lead": "De gemeente plaatst volgende week drie bankjes.",
        "body": "Na de peiling van het voorjaar komen er drie bankjes.\n\nZe staan bij de kerk.",
        "author": author,
        "status": PostStatus.PUBLISHED if published else PostStatus.DRAFT,
        "published_at": timezone.now() if published else None,
    }
    values.update(fields)
    return NewsPost.objects.create(**values)
