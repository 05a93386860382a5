"""The report as people read it: the snapshot turned into what the templates show (labels for
status codes, dates, numbers, bar charts as SVG geometry), the page and the tagged PDF.

The page and the PDF render the same body (`reports/_body.html`) from the same snapshot; the PDF
is a PDF/UA-1 document (WeasyPrint's `pdf/ua-1` variant: tagged, with its language and title),
as the initiatives' decision letters are.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation

from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.challenges.states import Status as ChallengeStatus
from wijkwerk.core.money import format_money
from wijkwerk.core.quarters import Quarter
from wijkwerk.initiatives.states import Status as InitiativeStatus
from wijkwerk.learning.states import PilotStatus
from wijkwerk.reach.selectors import CHANNELS

from .models import SECTIONS, QuarterlyReport

# the SVG's geometry (its viewBox; the page scales it to the width there is)
CHART_WIDTH = 440
LABEL_WIDTH = 160
BAR_MAX = 190
ROW_HEIGHT = 26
LABEL_CHARS = 20

CHANNEL_LABELS: dict[str, Any] = dict(CHANNELS)  # lazy labels: translated where shown


def count(value: int | None) -> str:
    """A whole number as the active language writes it ("10.000" in Dutch)."""
    return formats.number_format(value or 0, force_grouping=True)


def day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _label(choices: Any, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: int
    display: str
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + ROW_HEIGHT // 2 + 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = ROW_HEIGHT - 8


def chart(rows: Iterable[tuple[str, int, str]]) -> Chart:
    """Horizontal bars for (label, value, shown value) rows, scaled to the largest value; no
    bars where every value is zero (the table says so)."""
    items = list(rows)
    largest = max((value for _label, value, _shown in items), default=0)
    if largest <= 0:
        return Chart(bars=[], height=0)
    bars = []
    for index, (label, value, shown) in enumerate(items):
        width = round(BAR_MAX * max(value, 0) / largest) if largest > 0 else 0
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        bars.append(Bar(label, short, value, shown, index * ROW_HEIGHT + 4, width))
    return Chart(bars=bars, height=len(items) * ROW_HEIGHT + 8)


def _counted(rows: Sequence[dict[str, Any]], unnamed: str) -> list[dict[str, Any]]:
    return [
        {"name": row["name"] or unnamed, "count": row["count"], "shown": count(row["count"])}
        for row in rows
    ]


def _lessons(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**item, "learned_on": day(item["learned_on"]), "follow_up_on": day(item["follow_up_on"])}
        for item in items
    ]


def _shown(value: int | None) -> str:
    """A reach figure, or "–" where it is suppressed."""
    return "–" if value is None else count(value)


def _percent(share: str | None) -> str:
    if share is None:
        return "–"
    return formats.number_format(Decimal(share), 1) + " %"


def _reach_row(row: dict[str, Any], channels: Sequence[str]) -> dict[str, Any]:
    return {
        **row,
        "reached_shown": _shown(row["reached"]),
        "votes_shown": _shown(row["budget_votes"]),
        "population_shown": "–" if row["population"] is None else count(row["population"]),
        "share_shown": _percent(row["share"]),
        "channel_values": [
            (str(CHANNEL_LABELS.get(key, key)), _shown(row["channels"].get(key)))
            for key in channels
        ],
    }


def _anything_shown(row: dict[str, Any]) -> bool:
    return (
        row["reached"] is not None
        or row["budget_votes"] is not None
        or any(value is not None for value in row["channels"].values())
    )


def _reach(data: dict[str, Any]) -> dict[str, Any]:
    """The reach section; areas and councils of which no figure may be shown (all below the
    threshold, or worked out from one that is) are left out of the tables."""
    channels = data.get("channels", [])
    areas = [_reach_row(row, channels) for row in data.get("areas", []) if _anything_shown(row)]
    councils = [
        _reach_row(row, channels) for row in data.get("councils", []) if _anything_shown(row)
    ]
    total = _reach_row(data["total"], channels) if data.get("total") else None
    over_time = [
        {
            **point,
            "quarter": Quarter.parse(point["quarter"]),
            "reached_shown": _shown(point["reached"]),
            "votes_shown": _shown(point["budget_votes"]),
            "share_shown": _percent(point["share"]),
        }
        for point in data.get("over_time", [])
    ]
    return {
        "reach_any": bool(data.get("has_data")),
        "reach_channels": [str(CHANNEL_LABELS.get(key, key)) for key in channels],
        "reach_total": total,
        "reach_areas": areas,
        "reach_councils": councils,
        "reach_over_time": over_time,
        "reach_threshold": data.get("threshold", 5),
        "reach_chart": chart(
            (row["name"], row["reached"], row["reached_shown"])
            for row in areas
            if row["depth"] <= 1 and row["reached"] is not None
        ),
        "reach_time_chart": chart(
            (str(point["quarter"]), point["reached"], point["reached_shown"])
            for point in over_time
            if point["reached"] is not None
        ),
    }


def view(report: QuarterlyReport) -> dict[str, Any]:
    """Everything the body template shows, in the active language."""
    from django.utils.translation import gettext as _

    figures = report.figures or {}
    notes = report.notes or {}

    pilots_data = figures.get("pilots", {})
    pilots = [
        {
            **pilot,
            "status_label": _label(PilotStatus, pilot["status"]),
            "starts_on": day(pilot["starts_on"]),
            "ends_on": day(pilot["ends_on"]),
            "municipality": _lessons(pilot["municipality"]),
            "residents": _lessons(pilot["residents"]),
        }
        for pilot in pilots_data.get("pilots", [])
    ]
    loose = pilots_data.get("area_lessons", {"municipality": [], "residents": []})
    area_lessons = {
        "municipality": _lessons(loose.get("municipality", [])),
        "residents": _lessons(loose.get("residents", [])),
    }

    initiatives = figures.get("initiatives", {})
    by_area = _counted(initiatives.get("by_area", []), _("no area"))
    by_status = [
        {
            "name": _label(InitiativeStatus, row["status"]),
            "count": row["count"],
            "shown": count(row["count"]),
        }
        for row in initiatives.get("by_status", [])
    ]
    by_category = _counted(initiatives.get("by_category", []), _("no category"))

    money = figures.get("money", {"funds": [], "total": {}})
    funds = money.get("funds", [])

    reach_view = _reach(figures.get("reach", {}))

    rounds = [
        {
            **item,
            "status_label": _label(ProcessStatus, item["status"]),
            "counted_on": day(item["counted_on"]),
            "voters_shown": count(item["voters"]),
            "areas": [{**area, "voters_shown": count(area["voters"])} for area in item["areas"]],
        }
        for item in figures.get("rounds", {}).get("rounds", [])
    ]
    turnout_rows = [
        (f"{item['title']} – {area['area']}", area["voters"], area["voters_shown"])
        for item in rounds
        for area in item["areas"]
    ]

    challenges_data = figures.get("challenges", {})
    challenges = [
        {
            **item,
            "status_label": _label(ChallengeStatus, item["status"]),
            "submitted_on": day(item["submitted_on"]),
            "decided_on": day(item["decided_on"]),
            "closed_on": day(item["closed_on"]),
        }
        for item in challenges_data.get("challenges", [])
    ]
    challenge_statuses = [
        {
            "name": _label(ChallengeStatus, row["status"]),
            "count": row["count"],
            "shown": count(row["count"]),
        }
        for row in challenges_data.get("by_status", [])
    ]

    return {
        "report": report,
        "quarter": report.quarter,
        "municipality_name": figures.get("municipality") or report.municipality.name,
        "notes": {key: notes.get(key, "") for key in SECTIONS},
        "pilots": pilots,
        "area_lessons": area_lessons,
        "has_lessons": bool(pilots or area_lessons["municipality"] or area_lessons["residents"]),
        "initiatives_total": count(initiatives.get("total", 0)),
        "initiatives_any": bool(initiatives.get("total")),
        "by_area": by_area,
        "by_status": by_status,
        "by_category": by_category,
        "area_chart": chart((r["name"], r["count"], r["shown"]) for r in by_area),
        "status_chart": chart((r["name"], r["count"], r["shown"]) for r in by_status),
        "category_chart": chart((r["name"], r["count"], r["shown"]) for r in by_category),
        "funds": funds,
        "money_total": money.get("total", {}),
        "money_chart": chart(
            (fund["fund"], fund["committed_cents"], format_money(fund["committed_cents"]))
            for fund in funds
        ),
        "paid_chart": chart(
            (fund["fund"], fund["paid_cents"], format_money(fund["paid_cents"])) for fund in funds
        ),
        **reach_view,
        "rounds": rounds,
        "turnout_chart": chart(turnout_rows),
        "challenges": challenges,
        "challenge_statuses": challenge_statuses,
    }


def report_html(report: QuarterlyReport) -> str:
    """The report as a standalone HTML document in the site's language (Dutch): the PDF's
    source, kept with the published report."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("reports/document.html", view(report))


def render_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1): headings, paragraphs, lists and tables tagged, with the
    document's language and title, so screen readers read it in order."""
    from weasyprint import HTML  # imported when a report is published: it loads Pango

    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
