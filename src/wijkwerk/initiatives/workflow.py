"""The initiative's review workflow, defined once: every allowed step is a row of TRANSITIONS.

Built on `wijkwerk.core.workflow`: the states and their named sets are in states.py, each step's
own work in effects.py. Services take steps with `WORKFLOW.take` and refuse anything not in the
table (wrong state: `wrong_state`, wrong person: 403, missing fields: `<field>_required`); views
build their buttons and forms from the same rows.

    draft ─submit→ submitted ─start_review→ under_review ─approve→ approved ─start→ in_progress
    under_review ─reject→ rejected      under_review ─return→ returned ─submit→ submitted
    submitted, under_review ─council_approve→ approved, ─council_reject→ rejected (the platform
                                                 only, on the decision of the council addressed)
    draft, submitted, under_review, returned ─award→ approved   (the platform only: a plan funded
                                                                 by a neighbourhood budget vote)
    in_progress ─submit_accountability→ accounted ─accept_accountability→ completed ─close→ closed
    accounted ─request_more→ in_progress     (any state before completed) ─withdraw→ withdrawn
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.policy import NOTHING, UserCondition
from wijkwerk.core.workflow import Transition, Workflow

from . import effects
from .policy import is_applicant, is_reviewer
from .refusals import ActionRefused
from .states import (
    AWAITING_DECISION,
    AWARDABLE,
    BEFORE_COMPLETION,
    EDITABLE,
    RUNNING,
    STATES,
    Status,
)

__all__ = ["BY_ACTION", "TRANSITIONS", "WORKFLOW", "Transition", "available", "transition"]

# No person takes the step `award`: the platform does, for the residents' vote.
nobody = UserCondition("nobody", lambda user: False, NOTHING)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        EDITABLE,
        Status.SUBMITTED,
        is_applicant,
        (),
        _("Submit"),
        effect=effects.submit,
        for_staff=False,
    ),
    Transition(
        "start_review",
        frozenset({Status.SUBMITTED}),
        Status.UNDER_REVIEW,
        is_reviewer,
        (),
        _("Take into review"),
        effect=effects.start_review,
    ),
    Transition(
        "approve",
        frozenset({Status.UNDER_REVIEW}),
        Status.APPROVED,
        is_reviewer,
        ("amount", "fund"),
        _("Approve"),
        effect=effects.approve,
    ),
    Transition(
        # A plan residents funded in a neighbourhood budget round (budgeting's count): no
        # person takes this step, the platform does (`services.initiative_award`).
        "award",
        AWARDABLE,
        Status.APPROVED,
        nobody,
        ("amount", "fund"),
        _("Funded by a neighbourhood vote"),
        effect=effects.award,
        for_staff=False,
    ),
    Transition(
        # An initiative addressed to its area's council: the council decides at its meeting (the
        # councils app records the members present, their votes and the reasons); the platform
        # takes the step on the council's decision (`services.initiative_council_decide`).
        "council_approve",
        AWAITING_DECISION,
        Status.APPROVED,
        nobody,
        ("amount", "fund"),
        _("Approved by the council"),
        effect=effects.council_approve,
        for_staff=False,
    ),
    Transition(
        "council_reject",
        AWAITING_DECISION,
        Status.REJECTED,
        nobody,
        ("reason",),
        _("Rejected by the council"),
        effect=effects.council_reject,
        for_staff=False,
    ),
    Transition(
        "reject",
        frozenset({Status.UNDER_REVIEW}),
        Status.REJECTED,
        is_reviewer,
        ("reason",),
        _("Reject"),
        effect=effects.reject,
    ),
    Transition(
        "return",
        frozenset({Status.UNDER_REVIEW}),
        Status.RETURNED,
        is_reviewer,
        ("reason",),
        _("Return for changes"),
        effect=effects.return_for_changes,
    ),
    Transition(
        "start",
        frozenset({Status.APPROVED}),
        Status.IN_PROGRESS,
        is_applicant | is_reviewer,
        (),
        _("Mark as started"),
    ),
    Transition(
        "submit_accountability",
        RUNNING,
        Status.ACCOUNTED,
        is_applicant,
        (),
        _("Submit accountability"),
        effect=effects.submit_accountability,
        for_staff=False,
    ),
    Transition(
        "accept_accountability",
        frozenset({Status.ACCOUNTED}),
        Status.COMPLETED,
        is_reviewer,
        (),
        _("Accept accountability"),
        effect=effects.accept_accountability,
    ),
    Transition(
        "request_more",
        frozenset({Status.ACCOUNTED}),
        Status.IN_PROGRESS,
        is_reviewer,
        ("reason",),
        _("Ask for more information"),
        effect=effects.request_more,
    ),
    Transition(
        "close",
        frozenset({Status.COMPLETED}),
        Status.CLOSED,
        is_reviewer,
        (),
        _("Close"),
        effect=effects.close,
    ),
    Transition(
        "withdraw",
        BEFORE_COMPLETION,
        Status.WITHDRAWN,
        is_applicant | is_reviewer,
        (),
        _("Withdraw"),
        effect=effects.withdraw,
    ),
)


def _wrong_state(step: Transition, initiative: Any) -> str:
    return gettext("“%(action)s” is not possible while the initiative is %(status)s.") % {
        "action": step.label,
        "status": initiative.get_status_display(),
    }


WORKFLOW = Workflow(
    states=STATES,
    transitions=TRANSITIONS,
    refusal=ActionRefused,
    wrong_state=_wrong_state,
    required_messages=effects.REQUIRED_MESSAGES,
)
BY_ACTION = WORKFLOW.by_action


def transition(action: str) -> Transition | None:
    return WORKFLOW.transition(action)


def available(user: Any, initiative: Any, *, for_staff: bool = True) -> list[Transition]:
    """The steps this user may take now (for buttons; services check again)."""
    return WORKFLOW.available(user, initiative, staff_only=for_staff)
