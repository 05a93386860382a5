"""Reads about challenges, each a fixed number of queries whatever the rows. None or empty for
what a visitor may not see (views decide on 404)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from wijkwerk.areas.models import Area

from .models import Agreement, Challenge, ChallengeDecision, ProgressReport
from .policy import POLICY
from .schedule import next_report_due
from .states import FINISHED, PUBLIC, Status

_RELATED = ("area__parent__parent", "area__municipality", "submitter")


def _base() -> QuerySet[Challenge]:
    return Challenge.objects.select_related(*_RELATED)


def challenge_for(user: Any, pk: int) -> Challenge | None:
    """The challenge if this visitor may see it (public parts at least), with its agreement."""
    challenge = _base().select_related("agreement").filter(pk=pk).first()
    if challenge is None or not POLICY.user_has_permission_for_instance(
        user, "view_challenge", challenge
    ):
        return None
    return challenge


def register(*, municipality_id: int | None = None, status: str = "") -> list[Challenge]:
    """The public register: every submitted challenge, with its agreement and areas (2 queries)."""
    challenges = (
        _base()
        .select_related("agreement")
        .filter(PUBLIC.q())
        .prefetch_related(Prefetch("other_areas", queryset=Area.objects.order_by("name")))
        .order_by("-submitted_at", "-id")
    )
    if municipality_id:
        challenges = challenges.filter(area__municipality_id=municipality_id)
    if status:
        challenges = challenges.filter(status=status)
    return list(challenges[:500])


def mine(user: Any) -> list[Challenge]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(_base().filter(submitter_id=user.pk).order_by("-updated_at", "-id"))


@dataclass
class WorkItem:
    challenge: Challenge
    decision_overdue: bool
    report_due: datetime.date | None
    report_overdue: bool


def worklist(user: Any, today: datetime.date) -> list[WorkItem]:
    """The challenges this official reviews that are not finished, most urgent first, with the
    decision term or the next report's date (2 queries)."""
    challenges = (
        POLICY.instances_user_has_permission_for(user, "review_challenge")
        .exclude(status__in=sorted(FINISHED))
        .select_related(*_RELATED, "agreement")
        .annotate(report_count=Count("reports"))
        .order_by("decision_due_on", "id")
    )
    items = []
    for challenge in challenges[:500]:
        due = None
        agreement = getattr(challenge, "agreement", None) if _has_agreement(challenge) else None
        if challenge.status == Status.RUNNING and agreement is not None:
            due = next_report_due(
                agreement.starts_on, agreement.report_every_months, challenge.report_count
            )
        items.append(
            WorkItem(
                challenge,
                decision_overdue=challenge.is_overdue(today),
                report_due=due,
                report_overdue=due is not None and today > due,
            )
        )
    items.sort(key=lambda item: (not (item.decision_overdue or item.report_overdue),))
    return items


def _has_agreement(challenge: Challenge) -> bool:
    try:
        return challenge.agreement is not None
    except Agreement.DoesNotExist:
        return False


def agreement_of(challenge: Challenge) -> Agreement | None:
    return challenge.agreement if _has_agreement(challenge) else None


def reports_of(challenge: Challenge) -> list[ProgressReport]:
    return list(challenge.reports.select_related("author").order_by("-created_at", "-id"))


def decisions_of(challenge: Challenge) -> list[ChallengeDecision]:
    return list(challenge.decisions.order_by("recorded_at", "id"))


def open_in_area(area: Any, *, limit: int = 5) -> list[Challenge]:
    """Challenges under way in `area`, an area it lies in or one of its areas, as the main area
    or one of the other areas concerned: submitted and not finished (one query)."""
    return list(
        Challenge.objects.filter(PUBLIC.q())
        .exclude(FINISHED.q())
        .filter(
            Q(area_id__in=area.lineage_ids)
            | Q(area__parent_id=area.pk)
            | Q(other_areas__in=area.lineage_ids)
        )
        .distinct()
        .select_related("area")
        .order_by("-submitted_at", "-pk")[:limit]
    )
