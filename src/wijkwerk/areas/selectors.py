"""Reads for areas: a fixed number of queries per page, whatever the number of rows."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import Area, Municipality

SEARCH_LIMIT = 25


def municipalities_with_counts() -> QuerySet[Municipality]:
    return Municipality.objects.annotate(area_count=Count("areas")).order_by("name")


def area_search(query: str) -> QuerySet[Area]:
    """Areas whose name or CBS code contains the query, best matches (name starts with) first."""
    return (
        Area.objects.filter(Q(name__icontains=query) | Q(cbs_code__iexact=query))
        .select_related("municipality", "parent")
        .order_by("name")[:SEARCH_LIMIT]
    )
