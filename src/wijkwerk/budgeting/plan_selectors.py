"""Reads for the plan pages: a fixed number of queries whatever the number of plans.

Each plan comes with its standing: whether it goes on the ballot, and if not, why not ("3 more
likes needed", "not feasible: …", "merged with …", "hidden: …"), by the rule of
`selectors.on_ballot`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import BudgetProcess, Like, Plan
from .selectors import on_ballot
from .services.plans import moderation_open, voting_has_begun
from .states import FeasibilityVerdict, PlanStatus

PAGE_SIZE = 30


@dataclass(frozen=True)
class Standing:
    """Whether a plan is on the ballot, and the notes that say why (not)."""

    on_ballot: bool
    notes: list[str] = field(default_factory=list)
    # "ballot" (on it), "waiting" (can still get there), "off" (will not), for the badge
    kind: str = "waiting"


def standing(plan: Plan, process: BudgetProcess, *, voting_begun: bool) -> Standing:
    """The plan's place with respect to the ballot, as residents read it."""
    if plan.status == PlanStatus.HIDDEN:
        return Standing(False, [_("hidden: %(reason)s") % {"reason": plan.hidden_reason}], "off")
    if plan.status == PlanStatus.MERGED:
        target = plan.merged_into.title if plan.merged_into is not None else ""
        return Standing(False, [_("merged with “%(title)s”") % {"title": target}], "off")
    if plan.feasibility == FeasibilityVerdict.INFEASIBLE:
        return Standing(
            False, [_("not feasible: %(reason)s") % {"reason": plan.feasibility_reason}], "off"
        )
    if on_ballot(plan):
        return Standing(True, [_("on the ballot")], "ballot")
    notes: list[str] = []
    missing = process.likes_threshold - plan.like_count
    if missing > 0:
        if voting_begun:
            notes.append(
                ngettext(
                    "not on the ballot: %(count)d like too few",
                    "not on the ballot: %(count)d likes too few",
                    missing,
                )
                % {"count": missing}
            )
        else:
            notes.append(
                ngettext("%(count)d more like needed", "%(count)d more likes needed", missing)
                % {"count": missing}
            )
    if plan.feasibility == FeasibilityVerdict.PENDING:
        notes.append(
            _("not on the ballot: not checked by the municipality")
            if voting_begun
            else _("the municipality has not checked it yet")
        )
    return Standing(False, notes, "off" if voting_begun else "waiting")


@dataclass(frozen=True)
class PlanCard:
    plan: Plan
    standing: Standing
    liked: bool


def visible_process(user: Any, pk: Any) -> BudgetProcess | None:
    """The round if this visitor may see it (a published round; a draft for its administrator)."""
    process = (
        BudgetProcess.objects.select_related("municipality")
        .prefetch_related("phases", "process_areas__area")
        .filter(pk=pk)
        .first()
    )
    if process is None or not user.has_perm("budgeting.view_process", process):
        return None
    return process


def visible_plan(user: Any, pk: Any) -> Plan | None:
    """The plan if this visitor may see its page (also a hidden or merged plan's notice)."""
    plan = (
        Plan.objects.select_related(
            "process__municipality",
            "area__parent__parent",
            "author",
            "category",
            "merged_into",
            "initiative",
        )
        .prefetch_related("process__phases", "process__process_areas__area")
        .filter(pk=pk)
        .first()
    )
    if plan is None or not user.has_perm("budgeting.view_plan", plan):
        return None
    return plan


SORT_ORDERS = {
    "likes": ("-like_count", "title", "pk"),
    "newest": ("-created_at", "-pk"),
}
# visible plans first, then merged, then hidden ones (their notices)
STATUS_ORDER = {PlanStatus.PUBLISHED: 0, PlanStatus.MERGED: 1, PlanStatus.HIDDEN: 2}


def round_plans(
    process: BudgetProcess, *, area_id: int | None = None, sort: str = "likes"
) -> QuerySet[Plan]:
    from django.db.models import Case, IntegerField, Value, When

    plans = Plan.objects.filter(process=process).select_related(
        "area__parent__parent", "merged_into", "category"
    )
    if area_id is not None:
        plans = plans.filter(area_id=area_id)
    rank = Case(
        *(When(status=status, then=Value(order)) for status, order in STATUS_ORDER.items()),
        default=Value(3),
        output_field=IntegerField(),
    )
    return plans.annotate(status_rank=rank).order_by(
        "status_rank", *SORT_ORDERS.get(sort, SORT_ORDERS["likes"])
    )


def cards(process: BudgetProcess, plans: list[Plan], user: Any) -> list[PlanCard]:
    """Each plan with its standing and whether this visitor liked it (one query for the likes)."""
    liked: set[int] = set()
    if getattr(user, "is_authenticated", False) and plans:
        liked = set(
            Like.objects.filter(user=user, plan__in=[plan.pk for plan in plans]).values_list(
                "plan_id", flat=True
            )
        )
    begun = voting_has_begun(process)
    for plan in plans:
        plan.process = process  # the round is loaded once
    return [
        PlanCard(plan, standing(plan, process, voting_begun=begun), plan.pk in liked)
        for plan in plans
    ]


def likes_plan(user: Any, plan: Plan) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Like.objects.filter(user=user, plan=plan).exists()


def review_list(process: BudgetProcess) -> list[Plan]:
    """The reviewers' list: every plan of the round, those still to check first."""
    from django.db.models import Case, IntegerField, Value, When

    pending_first = Case(
        When(feasibility=FeasibilityVerdict.PENDING, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    plans: list[Plan] = list(
        Plan.objects.filter(process=process)
        .select_related("area__parent__parent", "merged_into", "author")
        .annotate(pending_first=pending_first)
        .order_by("area__name", "pending_first", "title", "pk")
    )
    for plan in plans:
        plan.process = process
    return plans


def review_counts(plans: list[Plan]) -> dict[str, int]:
    counts = dict.fromkeys(FeasibilityVerdict.values, 0)
    for plan in plans:
        if plan.status == PlanStatus.PUBLISHED:
            counts[plan.feasibility] += 1
    return counts


__all__ = [
    "PAGE_SIZE",
    "PlanCard",
    "Standing",
    "cards",
    "likes_plan",
    "moderation_open",
    "review_counts",
    "review_list",
    "round_plans",
    "standing",
    "visible_plan",
    "visible_process",
]
