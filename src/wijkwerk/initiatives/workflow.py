"""The initiative's review workflow, defined once: every allowed step is a row of TRANSITIONS.

Services look a step up here and refuse anything not in the table (wrong state, wrong person,
missing fields); views build their buttons and forms from the same rows.

    draft ─submit→ submitted ─start_review→ under_review ─approve→ approved ─start→ in_progress
    under_review ─reject→ rejected      under_review ─return→ returned ─submit→ submitted
    in_progress ─submit_accountability→ accounted ─accept_accountability→ completed ─close→ closed
    accounted ─request_more→ in_progress     (any state before completed) ─withdraw→ withdrawn
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Status
from .rules import is_applicant, is_reviewer


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    allowed: rules.Predicate
    # Fields the actor must fill for this step: "reason", "amount", "fund".
    required: tuple[str, ...]
    label: str | Promise
    # Shown to officials on the review page; the applicant's own steps have their own pages.
    for_staff: bool = True


BEFORE_COMPLETION = frozenset(
    {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.UNDER_REVIEW,
        Status.RETURNED,
        Status.APPROVED,
        Status.IN_PROGRESS,
        Status.ACCOUNTED,
    }
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        frozenset({Status.DRAFT, Status.RETURNED}),
        Status.SUBMITTED,
        is_applicant,
        (),
        _("Submit"),
        for_staff=False,
    ),
    Transition(
        "start_review",
        frozenset({Status.SUBMITTED}),
        Status.UNDER_REVIEW,
        is_reviewer,
        (),
        _("Take into review"),
    ),
    Transition(
        "approve",
        frozenset({Status.UNDER_REVIEW}),
        Status.APPROVED,
        is_reviewer,
        ("amount", "fund"),
        _("Approve"),
    ),
    Transition(
        "reject",
        frozenset({Status.UNDER_REVIEW}),
        Status.REJECTED,
        is_reviewer,
        ("reason",),
        _("Reject"),
    ),
    Transition(
        "return",
        frozenset({Status.UNDER_REVIEW}),
        Status.RETURNED,
        is_reviewer,
        ("reason",),
        _("Return for changes"),
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
        frozenset({Status.APPROVED, Status.IN_PROGRESS}),
        Status.ACCOUNTED,
        is_applicant,
        (),
        _("Submit accountability"),
        for_staff=False,
    ),
    Transition(
        "accept_accountability",
        frozenset({Status.ACCOUNTED}),
        Status.COMPLETED,
        is_reviewer,
        (),
        _("Accept accountability"),
    ),
    Transition(
        "request_more",
        frozenset({Status.ACCOUNTED}),
        Status.IN_PROGRESS,
        is_reviewer,
        ("reason",),
        _("Ask for more information"),
    ),
    Transition(
        "close",
        frozenset({Status.COMPLETED}),
        Status.CLOSED,
        is_reviewer,
        (),
        _("Close"),
    ),
    Transition(
        "withdraw",
        BEFORE_COMPLETION,
        Status.WITHDRAWN,
        is_applicant | is_reviewer,
        (),
        _("Withdraw"),
    ),
)

BY_ACTION = {t.action: t for t in TRANSITIONS}


def transition(action: str) -> Transition | None:
    return BY_ACTION.get(action)


def available(user: object, initiative: object, *, for_staff: bool = True) -> list[Transition]:
    """The steps this user may take now (for buttons; services check again)."""
    status = getattr(initiative, "status", None)
    return [
        t
        for t in TRANSITIONS
        if status in t.sources and (t.for_staff or not for_staff) and t.allowed(user, initiative)
    ]
