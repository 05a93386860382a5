"""Reads for the report pages (a fixed number of queries; `None` or empty, never `Http404`)."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from wijkwerk.core.quarters import Quarter

from .models import QuarterlyReport, ReportStatus
from .policy import managed_municipality_ids


def published_by_municipality() -> list[tuple[Any, list[QuarterlyReport]]]:
    """Every published report, per municipality (by name), newest quarter first. One query."""
    rows = (
        QuarterlyReport.objects.filter(status=ReportStatus.PUBLISHED)
        .select_related("municipality")
        .defer("figures", "html", "notes", "introduction")
        .order_by("municipality__name", "municipality_id", "-year", "-number")
    )
    return [
        (municipality, list(reports))
        for municipality, reports in groupby(rows, key=lambda report: report.municipality)
    ]


def report(municipality_slug: str, quarter: Quarter) -> QuarterlyReport | None:
    return (
        QuarterlyReport.objects.select_related("municipality", "generated_by", "published_by")
        .filter(municipality__slug=municipality_slug, year=quarter.year, number=quarter.number)
        .first()
    )


def reports_to_manage(user: Any) -> list[QuarterlyReport]:
    """The reports of the municipalities the person works on (drafts first, newest first)."""
    rows = QuarterlyReport.objects.select_related("municipality").defer("figures", "html")
    if not getattr(user, "is_superuser", False):
        rows = rows.filter(municipality_id__in=sorted(managed_municipality_ids(user)))
    return sorted(
        rows.order_by("municipality__name", "-year", "-number"),
        key=lambda r: (r.status != ReportStatus.DRAFT, r.municipality.name, -r.year, -r.number),
    )
