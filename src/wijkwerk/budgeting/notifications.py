"""The mails about budget rounds (`wijkwerk.core.notifications`; registered in
`BudgetingConfig.ready`). Their texts are `templates/budgeting/email/<event>.txt`.

Services call the functions here inside their transaction; the mail goes after the commit,
through the task queue, in the recipient's language, from the round's municipality.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications
from wijkwerk.follows.services import announced, notify_followers, notify_followers_once

PLAN_MERGED = "budgeting.plan_merged"
# For followers of a round or of its areas (`wijkwerk.follows`; mails with a topic): the round
# is published (its first phase opens), its results are published.
ROUND_PUBLISHED = "budgeting.round_published"
RESULTS_PUBLISHED = "budgeting.results_published"
PHASE_OPENED = "budgeting.phase_opened"


def notify_round_published(process: Any, *, actor: Any) -> None:
    notify_followers(ROUND_PUBLISHED, process, context={"process": process}, exclude=[actor])


def notify_results_published(process: Any, *, actor: Any) -> None:
    notify_followers(RESULTS_PUBLISHED, process, context={"process": process}, exclude=[actor])


def phase_key(phase: Any) -> str:
    return f"budgeting.phase:{phase.pk}"


def announce_open_phases(now: datetime.datetime | None = None) -> int:
    """Tell the followers of each published round whose phase has opened since the last run
    (`manage.py close_budget_rounds`, every few minutes): each phase once (follows'
    `notify_followers_once`). Returns the number of phases announced."""
    from .models import ProcessPhase
    from .states import ProcessStatus

    now = now or timezone.now()
    phases = list(
        ProcessPhase.objects.filter(
            process__status=ProcessStatus.PUBLISHED, starts_at__lte=now, ends_at__gt=now
        ).select_related("process")
    )
    told = announced(phase_key(phase) for phase in phases)
    count = 0
    for phase in phases:
        if phase_key(phase) in told:
            continue
        notify_followers_once(
            phase_key(phase),
            PHASE_OPENED,
            phase.process,
            context={"process": phase.process, "phase": phase},
        )
        count += 1
    return count


def _phase_vars(context: dict[str, Any]) -> dict[str, Any]:
    return {"round": context["process"].title, "phase": context["phase"].label}


def _round_vars(context: dict[str, Any]) -> dict[str, Any]:
    return {"round": context["process"].title}


def notify_merged(plan: Any, into: Any, reason: str) -> None:
    """Tell the authors of both plans that `plan` was merged into `into` (each once)."""
    recipients = sorted({pk for pk in (plan.author_id, into.author_id) if pk is not None})
    notifications.notify(
        PLAN_MERGED,
        recipients=recipients,
        context={"plan": plan, "into": into, "reason": reason},
    )


def _merged_subject(context: dict[str, Any]) -> dict[str, Any]:
    return {"title": context["plan"].title}


def _merged_link(context: dict[str, Any]) -> str:
    return reverse("budgeting:plan_detail", kwargs={"pk": context["into"].pk})


def _merged_extra(context: dict[str, Any], recipient: notifications.Recipient) -> dict[str, Any]:
    user_id = recipient.user.pk if recipient.user is not None else None
    return {
        "author_of_merged": user_id is not None and user_id == context["plan"].author_id,
        "author_of_target": user_id is not None and user_id == context["into"].author_id,
    }


def register() -> None:
    notifications.register(
        notifications.Event(
            PHASE_OPENED,
            template="budgeting/email/phase_opened",
            subject=_("“%(round)s”: %(phase)s has begun"),
            subject_vars=_phase_vars,
            link=lambda context: reverse("budgeting:round_detail", args=[context["process"].pk]),
            link_label=_("See the round"),
            municipality=lambda context: context["process"].municipality,
            topic="round",
        )
    )
    notifications.register(
        notifications.Event(
            ROUND_PUBLISHED,
            template="budgeting/email/round_published",
            subject=_("“%(round)s” has started"),
            subject_vars=_round_vars,
            link=lambda context: reverse("budgeting:round_detail", args=[context["process"].pk]),
            link_label=_("See the round"),
            municipality=lambda context: context["process"].municipality,
            topic="round",
        )
    )
    notifications.register(
        notifications.Event(
            RESULTS_PUBLISHED,
            template="budgeting/email/results_published",
            subject=_("The results of “%(round)s” are known"),
            subject_vars=_round_vars,
            link=lambda context: reverse("budgeting:result", args=[context["process"].pk]),
            link_label=_("See the results"),
            municipality=lambda context: context["process"].municipality,
            topic="round",
        )
    )
    notifications.register(
        notifications.Event(
            PLAN_MERGED,
            template="budgeting/email/plan_merged",
            subject=_("The plan “%(title)s” has been merged with another plan"),
            subject_vars=_merged_subject,
            link=_merged_link,
            link_label=_("See the merged plan"),
            municipality=lambda context: context["plan"].process.municipality,
            extra_context=_merged_extra,
        )
    )
