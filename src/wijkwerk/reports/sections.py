"""The figures of a quarterly report, taken as one snapshot (JSON) when a draft is generated.

Each section reads another app's data through queries whose number does not grow with the rows
(GROUP BYs and aggregates; the benchmark `./dev bench reports` holds it to that). Reports write
nothing to those apps. Amounts are integer cents, dates ISO strings, statuses their codes (the
page shows their labels): the snapshot is plain JSON and renders the same in any language.

What counts in a quarter (Q = [first day, last day]):
- pilots: the pilots running in Q or with a lesson learned in Q, with Q's published lessons from
  both perspectives (`learning.selectors.pilots_for_report`), and Q's lessons about an area
  without a pilot;
- initiatives: those submitted in Q, by area (district or village), status now and category;
- money: the funds of Q's year, their ledger up to the end of Q (committed, paid, available) and
  what was committed and paid in Q;
- reach: different residents reached per council and area in Q (`reach.selectors.reach_table`)
  and the quarters before it (`reach_over_time`);
- rounds: budget rounds with a phase in Q or counted in Q: turnout (votes cast, per area) and
  results (plans funded);
- challenges: those submitted before the end of Q and not ended before it, with their status.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.budgeting.models import AreaResult, BudgetProcess, Participation
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.challenges.models import Challenge
from wijkwerk.challenges.states import Status as ChallengeStatus
from wijkwerk.core.quarters import Quarter
from wijkwerk.funds.models import Category, EntryKind, Fund, LedgerEntry
from wijkwerk.funds.selectors import Figures
from wijkwerk.initiatives.models import Initiative
from wijkwerk.learning import selectors as learning
from wijkwerk.reach import selectors as reach

SNAPSHOT_VERSION = 1


def _day(value: datetime.date | datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


# --- pilots and lessons -------------------------------------------------------------------------


def _lesson(lesson: Any) -> dict[str, Any]:
    return {
        "title": lesson.title,
        "text": lesson.text,
        "learned_on": _day(lesson.learned_on),
        "tags": [tag.name for tag in lesson.tags.all()],
        "area": lesson.area.name if lesson.area_id else "",
        "follow_up": lesson.follow_up,
        "follow_up_on": _day(lesson.follow_up_on),
        "on_behalf": bool(getattr(lesson, "on_behalf", False)),
    }


def pilots_section(municipality: Municipality, quarter: Quarter) -> dict[str, Any]:
    pilots = []
    for entry in learning.pilots_for_report(municipality, quarter):
        pilot = entry.pilot
        pilots.append(
            {
                "title": pilot.title,
                "goal": pilot.goal,
                "status": pilot.status,
                "starts_on": _day(pilot.starts_on),
                "ends_on": _day(pilot.ends_on),
                "areas": [area.name for area in entry.areas],
                "municipality": [_lesson(lesson) for lesson in entry.municipality],
                "residents": [_lesson(lesson) for lesson in entry.residents],
            }
        )
    loose: dict[str, list[dict[str, Any]]] = {"municipality": [], "residents": []}
    for lesson in learning.area_lessons_for_report(municipality, quarter):
        side = "residents" if lesson.perspective == "residents" else "municipality"
        loose[side].append(_lesson(lesson))
    return {"pilots": pilots, "area_lessons": loose}


# --- initiatives ----------------------------------------------------------------------------------


def _counted(rows: dict[Any, int], names: dict[Any, str]) -> list[dict[str, Any]]:
    """[{"name", "count"}] by count (most first), then name; unnamed (None) last."""
    ordered = sorted(
        ((names.get(key, ""), n) for key, n in rows.items() if key is not None),
        key=lambda item: (-item[1], item[0]),
    )
    named: list[dict[str, Any]] = [{"name": name, "count": n} for name, n in ordered]
    if None in rows:
        named.append({"name": "", "count": rows[None]})
    return named


def initiatives_section(municipality: Municipality, quarter: Quarter) -> dict[str, Any]:
    submitted = Initiative.objects.filter(
        area__municipality=municipality,
        submitted_at__gte=quarter.start,
        submitted_at__lt=quarter.end,
    )
    # the district or village the initiative's area lies in (areas nest at most three deep)
    top = Coalesce("area__parent__parent_id", "area__parent_id", "area_id")
    rows = list(
        submitted.values(top_area=top, status_code=F("status"), category_key=F("category_id"))
        .annotate(n=Count("id"))
        .order_by()
    )
    by_area: Counter[Any] = Counter()
    by_status: Counter[Any] = Counter()
    by_category: Counter[Any] = Counter()
    for row in rows:
        by_area[row["top_area"]] += row["n"]
        by_status[row["status_code"]] += row["n"]
        by_category[row["category_key"]] += row["n"]
    area_names = dict(Area.objects.filter(pk__in=list(by_area)).values_list("pk", "name"))
    category_names = dict(
        Category.objects.filter(pk__in=[k for k in by_category if k]).values_list("pk", "name")
    )
    statuses = [{"status": code, "count": n} for code, n in by_status.items()]
    statuses.sort(key=lambda row: (-row["count"], row["status"]))
    return {
        "total": sum(by_area.values()),
        "by_area": _counted(dict(by_area), area_names),
        "by_status": statuses,
        "by_category": _counted(dict(by_category), category_names),
    }


# --- money ----------------------------------------------------------------------------------------

_KINDS = {
    EntryKind.COMMITMENT: "committed",
    EntryKind.PAYMENT: "paid",
    EntryKind.RELEASE: "released",
    EntryKind.REFUND: "refunded",
    EntryKind.CORRECTION: "corrected",
}


def money_section(municipality: Municipality, quarter: Quarter) -> dict[str, Any]:
    funds = list(
        Fund.objects.filter(municipality=municipality, year=quarter.year).order_by("name", "id")
    )
    up_to_end = Q(created_at__lt=quarter.end)
    in_quarter = up_to_end & Q(created_at__gte=quarter.start)
    sums: dict[str, Any] = {
        name: Coalesce(Sum("amount_cents", filter=up_to_end & Q(kind=kind)), 0)
        for kind, name in _KINDS.items()
    }
    sums["committed_in_quarter"] = Coalesce(
        Sum("amount_cents", filter=in_quarter & Q(kind=EntryKind.COMMITMENT)), 0
    )
    sums["paid_in_quarter"] = Coalesce(
        Sum("amount_cents", filter=in_quarter & Q(kind=EntryKind.PAYMENT)), 0
    )
    rows: dict[int, dict[str, Any]] = {
        row["fund_id"]: dict(row)
        for row in LedgerEntry.objects.filter(fund__in=[fund.pk for fund in funds])
        .values("fund_id")
        .annotate(**sums)
        .order_by()
    }
    result = []
    for fund in funds:
        row: dict[str, Any] = rows.get(fund.pk, {})
        figures = Figures(
            amount=fund.amount_cents,
            committed=row.get("committed", 0),
            paid=row.get("paid", 0),
            released=row.get("released", 0),
            refunded=row.get("refunded", 0),
            corrected=row.get("corrected", 0),
        )
        result.append(
            {
                "fund": fund.name,
                "year": fund.year,
                "amount_cents": fund.amount_cents,
                "committed_cents": figures.committed,
                "paid_cents": figures.paid,
                "open_cents": figures.open_commitments,
                "available_cents": figures.available,
                "committed_in_quarter_cents": row.get("committed_in_quarter", 0),
                "paid_in_quarter_cents": row.get("paid_in_quarter", 0),
            }
        )
    keys = (
        "amount_cents",
        "committed_cents",
        "paid_cents",
        "open_cents",
        "available_cents",
        "committed_in_quarter_cents",
        "paid_in_quarter_cents",
    )
    total = {key: sum(int(fund[key]) for fund in result) for key in keys}
    return {"funds": result, "total": total}


# --- reach ----------------------------------------------------------------------------------------


QUARTERS_OVER_TIME = 4


def _figure(figure: Any) -> int | None:
    """A reach figure as stored: its value, or None when it is suppressed."""
    return None if figure.suppressed else figure.value


def _reach_row(row: Any) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "name": row.name,
        "depth": row.depth,
        "reached": _figure(row.total),
        "budget_votes": _figure(row.budget_votes),
        "channels": {key: _figure(figure) for key, figure in row.channel_list},
        "population": row.population,
        "population_year": row.population_year,
        "share": None if row.share is None else str(row.share),
    }


def reach_section(municipality: Municipality, quarter: Quarter) -> dict[str, Any]:
    """Different residents reached per area and council (figures below the threshold are None:
    suppressed by `reach.selectors`), and the municipality over the last quarters."""
    table = reach.reach_table(municipality, quarter)
    # the quarters before it; the report's own quarter is the table's total (each quarter's
    # rows are read once)
    earlier = [quarter]
    while len(earlier) < QUARTERS_OVER_TIME:
        earlier.insert(0, earlier[0].previous())
    earlier.pop()

    def point(of: Quarter, total: Any, votes: Any, population: Any, share: Any, data: bool) -> Any:
        return {
            "quarter": of.slug,
            "reached": _figure(total),
            "budget_votes": _figure(votes),
            "population": population,
            "share": None if share is None else str(share),
            "has_data": data,
        }

    over_time = [
        point(p.quarter, p.total, p.budget_votes, p.population, p.share, p.has_data)
        for p in reach.reach_over_time(municipality, earlier)
    ]
    row = table.total
    over_time.append(
        point(quarter, row.total, row.budget_votes, row.population, row.share, table.has_data)
    )
    return {
        "has_data": table.has_data,
        "channels": list(reach.CHANNEL_KEYS),
        "total": _reach_row(table.total),
        "areas": [_reach_row(row) for row in table.areas],
        "councils": [_reach_row(row) for row in table.councils],
        "over_time": over_time,
        "threshold": reach.THRESHOLD,
    }


# --- budget rounds --------------------------------------------------------------------------------


def rounds_section(municipality: Municipality, quarter: Quarter) -> dict[str, Any]:
    rounds = list(
        BudgetProcess.objects.filter(municipality=municipality)
        .exclude(status=ProcessStatus.DRAFT)
        .filter(
            Q(phases__starts_at__lt=quarter.end, phases__ends_at__gt=quarter.start)
            | Q(counted_at__gte=quarter.start, counted_at__lt=quarter.end)
        )
        .distinct()
        .order_by("title", "id")
    )
    ids = [process.pk for process in rounds]
    turnout: dict[int, dict[int, int]] = defaultdict(dict)
    for process_id, area_id, n in (
        Participation.objects.filter(process_id__in=ids)
        .values_list("process_id", "area_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        turnout[process_id][area_id] = n
    results: dict[int, dict[int, AreaResult]] = defaultdict(dict)
    for result in (
        AreaResult.objects.filter(process_id__in=ids, process__status=ProcessStatus.COUNTED)
        .defer("pb_text", "outcome")
        .order_by()
    ):
        results[result.process_id][result.area_id] = result
    area_ids = {a for by_area in turnout.values() for a in by_area} | {
        a for by_area in results.values() for a in by_area
    }
    names = dict(Area.objects.filter(pk__in=area_ids).values_list("pk", "name"))
    section: list[dict[str, Any]] = []
    for process in rounds:
        areas: list[dict[str, Any]] = []
        for area_id in sorted(
            set(turnout[process.pk]) | set(results[process.pk]), key=lambda a: names.get(a, "")
        ):
            found = results[process.pk].get(area_id)
            plans = found.figures.get("plans", []) if found else []
            areas.append(
                {
                    "area": names.get(area_id, ""),
                    "voters": found.voters if found else turnout[process.pk].get(area_id, 0),
                    "budget_cents": found.figures.get("budget_cents") if found else None,
                    "spent_cents": found.figures.get("spent_cents") if found else None,
                    "funded": [
                        {"title": p["title"], "cost_cents": p["cost_cents"], "votes": p["votes"]}
                        for p in plans
                        if p.get("funded")
                    ],
                    "plans": len(plans),
                }
            )
        section.append(
            {
                "title": process.title,
                "status": process.status,
                "budget_cents": process.budget_cents,
                "counted_on": _day(process.counted_at),
                "voters": sum(area["voters"] for area in areas),
                "areas": areas,
            }
        )
    return {"rounds": section}


# --- challenges -----------------------------------------------------------------------------------


def challenges_section(municipality: Municipality, quarter: Quarter) -> dict[str, Any]:
    rows = (
        Challenge.objects.filter(
            area__municipality=municipality,
            submitted_at__isnull=False,
            submitted_at__lt=quarter.end,
        )
        .exclude(status=ChallengeStatus.DRAFT)
        .exclude(closed_on__lt=quarter.first_day)
        .select_related("area")
        .order_by("submitted_at", "id")
    )
    challenges: list[dict[str, Any]] = [
        {
            "title": challenge.title,
            "organisation": challenge.organisation_name,
            "area": challenge.area.name,
            "status": challenge.status,
            "submitted_on": _day(challenge.submitted_at),
            "decided_on": _day(challenge.decided_on),
            "closed_on": _day(challenge.closed_on),
        }
        for challenge in rows
    ]
    by_status = Counter(item["status"] for item in challenges)
    return {
        "challenges": challenges,
        "by_status": [
            {"status": code, "count": n}
            for code, n in sorted(by_status.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }


def snapshot(municipality: Municipality, quarter: Quarter) -> dict[str, Any]:
    """Every section's figures for the municipality and quarter, as plain JSON."""
    return {
        "version": SNAPSHOT_VERSION,
        "quarter": quarter.slug,
        "municipality": municipality.name,
        "pilots": pilots_section(municipality, quarter),
        "initiatives": initiatives_section(municipality, quarter),
        "money": money_section(municipality, quarter),
        "reach": reach_section(municipality, quarter),
        "rounds": rounds_section(municipality, quarter),
        "challenges": challenges_section(municipality, quarter),
    }
