"""Reads for the budget rounds' pages: a fixed number of queries whatever the rows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import BudgetProcess, Plan
from .states import VISIBLE_PLAN, FeasibilityVerdict


def ballot_plans(process: BudgetProcess, area: Any) -> QuerySet[Plan]:
    """The plans on the ballot of one of the round's areas: visible, found feasible and liked
    at least as often as the round asks."""
    return (
        Plan.objects.filter(
            VISIBLE_PLAN.q(),
            process=process,
            area=area,
            feasibility=FeasibilityVerdict.FEASIBLE,
            like_count__gte=process.likes_threshold,
        )
        .select_related("category")
        .order_by("title", "id")
    )


def on_ballot(plan: Plan) -> bool:
    """Whether a plan goes on the ballot (the rule `ballot_plans` filters on)."""
    return (
        plan.status in VISIBLE_PLAN
        and plan.feasibility == FeasibilityVerdict.FEASIBLE
        and plan.like_count >= plan.process.likes_threshold
    )
