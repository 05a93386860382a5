"""Reads for the result pages: the stored count only (`AreaResult`), never ballots or plans.

The page reads the round (three queries, `round_selectors.round_page`) and its results without
their ballots files (one query); the JSON the same; a ballots file one result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language

from .explanations import render, statement_from_json
from .models import AreaResult, BudgetProcess
from .services.results import engine_settings, pabulib_rule, pb_filename
from .states import ProcessStatus


def page_results(process: BudgetProcess) -> list[AreaResult]:
    """The round's results per area, without their ballots files (one query); none before the
    count."""
    if process.status != ProcessStatus.COUNTED:
        return []
    rows: QuerySet[AreaResult] = (
        AreaResult.objects.filter(process=process)
        .select_related("area")
        .defer("pb_text")
        .order_by("area__name", "id")
    )
    return list(rows)


MAX_ID = 2**63 - 1  # what a database key holds; a larger number in a URL is no area


def pb_file(process: BudgetProcess, area_id: int) -> AreaResult | None:
    if process.status != ProcessStatus.COUNTED or not 0 < area_id <= MAX_ID:
        return None
    return (
        AreaResult.objects.filter(process=process, area_id=area_id).select_related("area").first()
    )


def explanation(project: Mapping[str, Any], titles: Mapping[str, str] | None = None) -> str:
    """Why a plan was or was not funded, in the active language, amounts as money; the plan
    funded instead (`winner`, a project id in the engine's data) by its title from `titles`."""
    data = project["data"]
    if titles and "winner" in data and data["winner"] in titles:
        project = {**project, "data": {**data, "winner": titles[data["winner"]]}}
    return render(statement_from_json(project), money=True)


def titles_of(result: AreaResult) -> dict[str, str]:
    return {plan["project_id"]: plan["title"] for plan in result.figures["plans"]}


def result_data(process: BudgetProcess, base_url: str) -> dict[str, Any] | None:
    """The result as JSON (docs/budgeting.md, "The result as JSON"); None before the count."""
    results = page_results(process)
    if not results:
        return None
    settings = engine_settings(process)
    areas = []
    for item in results:
        figures = item.figures
        outcome = {p["project_id"]: p for p in item.outcome["projects"]}
        titles = titles_of(item)
        funding = figures.get("funding", {})
        plans = []
        for plan in figures["plans"]:
            project = outcome[plan["project_id"]]
            initiative = (funding.get(plan["project_id"]) or {}).get("initiative")
            plans.append(
                {
                    "project_id": plan["project_id"],
                    "plan_id": plan["plan"],
                    "title": plan["title"],
                    "url": base_url + reverse("budgeting:plan_detail", kwargs={"pk": plan["plan"]}),
                    "category": plan["category"] or None,
                    "cost_cents": plan["cost_cents"],
                    "votes": plan["votes"],
                    "score": plan["score"],
                    "ballots": plan.get("ballots", plan["votes"]),
                    "funded": plan["funded"],
                    "explanation": {
                        "code": project["code"],
                        "data": project["data"],
                        "text": explanation(project, titles),
                    },
                    "initiative_url": base_url
                    + reverse("initiatives:detail", kwargs={"pk": initiative})
                    if initiative
                    else None,
                }
            )
        areas.append(
            {
                "area": {
                    "id": item.area.pk,
                    "name": item.area.name,
                    "cbs_code": item.area.cbs_code,
                },
                "budget_cents": figures["budget_cents"],
                "spent_cents": figures["spent_cents"],
                "voters": item.voters,
                "counted_at": item.counted_at.isoformat(),
                "selected": list(item.outcome["selected"]),
                "per_voter_budget": item.outcome.get("per_voter_budget"),
                "add1_steps": item.outcome.get("add1_steps"),
                "pb_file": {
                    "url": base_url
                    + reverse(
                        "budgeting:result_pb", kwargs={"pk": process.pk, "area": item.area.pk}
                    ),
                    "filename": pb_filename(process, item.area),
                    "sha256": item.pb_sha256,
                },
                "plans": plans,
                "money_per_category": [
                    {"category": name or None, "cents": cents}
                    for name, cents in figures.get("categories", [])
                ],
                "turnout": [
                    {"age_band": band or None, "voters": n}
                    for band, n in figures.get("turnout", [])
                ],
                "channels": [
                    {"channel": c["channel"], "ballots": c["ballots"]}
                    for c in figures.get("channels", [])
                ],
                "weights": figures.get("weights"),
            }
        )
    return {
        "round": {
            "id": process.pk,
            "title": process.title,
            "municipality": process.municipality.name,
            "url": base_url + reverse("budgeting:result", kwargs={"pk": process.pk}),
            "budget_cents": process.budget_cents,
            "ballot_type": process.ballot_type,
            "rule": settings["rule"],
            "completion": settings["completion"],
            "tie_break": settings["tie_break"],
            "pabulib_rule": pabulib_rule(process),
            "closed_at": process.closed_at.isoformat() if process.closed_at else None,
            "counted_at": process.counted_at.isoformat() if process.counted_at else None,
            "imported_from": process.source_file or None,
        },
        "language": get_language(),
        "areas": areas,
    }
