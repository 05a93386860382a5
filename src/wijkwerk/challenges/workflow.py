"""A challenge's workflow, defined once: every allowed step is a row of TRANSITIONS.

Built on `wijkwerk.core.workflow` (states in states.py). Services take every step with
`WORKFLOW.take` (wrong state: `wrong_state`; wrong person: 403; missing reasons:
`reasons_required`); the effects below are the steps' own checks and work.

    draft ─submit→ submitted ─admit→ admitted ─open_dialogue→ in_dialogue ─agree→ agreed
    submitted ─refuse→ not_admitted                                agreed ─start→ running
    running ─complete→ completed        admitted, in_dialogue, agreed, running ─end→ ended
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import Move, Transition, Workflow

from .models import KVK_VALIDATOR, AttachmentPurpose, Challenge
from .policy import is_reviewer, is_submitter
from .refusals import ChallengeRefused
from .states import ENDABLE, STATES, Status

# The seven items of the ordinances, in their order, with the message for a missing one.
SEVEN_ITEMS: tuple[tuple[str, Any], ...] = (
    ("task", _("Describe the task you want to take over.")),
    ("why_better", _("Explain why you can do it better or cheaper.")),
    ("experience", _("Describe your experience and expertise.")),
    ("support", _("Describe the support among the residents concerned.")),
    ("cost_estimate_cents", _("Give a cost estimate.")),
    ("cooperation", _("Describe the cooperation you want from the municipality.")),
    ("continuity", _("Explain how you ensure quality and continuity.")),
)


def missing_items(challenge: Challenge, *, support_files: int | None = None) -> list[str]:
    """What the proposal still needs before it can be submitted, one message per item."""
    missing: list[str] = []
    if not challenge.organisation_name.strip():
        missing.append(gettext("Give the name of the organisation."))
    if not challenge.legal_form:
        missing.append(gettext("Choose the legal form: an association, foundation or cooperative."))
    if not challenge.kvk_number:
        missing.append(gettext("Give the organisation's KvK number."))
    else:
        try:
            KVK_VALIDATOR(challenge.kvk_number)
        except ValidationError:
            missing.append(gettext("A KvK number has exactly 8 digits."))
    for name, message in SEVEN_ITEMS:
        value = getattr(challenge, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(str(message))
    if challenge.support.strip():
        if support_files is None:
            support_files = challenge.attachments.filter(purpose=AttachmentPurpose.SUPPORT).count()
        if not challenge.support_signatures and not support_files:
            missing.append(
                gettext(
                    "Show the support: give the number of signatures or add a file as evidence."
                )
            )
    return missing


def _submit(move: Move) -> None:
    challenge: Challenge = move.obj
    missing = missing_items(challenge)
    if missing:
        raise ChallengeRefused(missing, code="incomplete")
    now = timezone.now()
    challenge.submitted_at = now
    term_days = int(move.value("term_days"))
    challenge.decision_due_on = timezone.localdate(now) + datetime.timedelta(days=term_days)


def _decide(move: Move) -> None:
    """Admit or refuse: dated on or after the submission and not in the future; past the term
    is allowed and recorded as late."""
    challenge: Challenge = move.obj
    decided_on: datetime.date = move.value("decided_on") or timezone.localdate()
    submitted_on = timezone.localdate(challenge.submitted_at)
    if decided_on < submitted_on:
        raise ChallengeRefused(
            gettext(
                "The date of the decision cannot be before the proposal was submitted (%(date)s)."
            )
            % {"date": _date(submitted_on)},
            code="decided_before_submission",
        )
    if decided_on > timezone.localdate():
        raise ChallengeRefused(
            gettext("The date of the decision cannot be in the future."), code="decided_in_future"
        )
    if move.action == "admit" and not move.value("entity_confirmed"):
        raise ChallengeRefused(
            gettext("Confirm the legal entity check (KvK number and legal form) before admitting."),
            code="entity_not_confirmed",
        )
    challenge.decided_on = decided_on
    challenge.decided_late = bool(
        challenge.decision_due_on and decided_on > challenge.decision_due_on
    )
    if move.action == "admit":
        challenge.entity_confirmed_by = move.actor
        challenge.entity_confirmed_at = timezone.now()


def _start(move: Move) -> None:
    if not hasattr(move.obj, "agreement"):
        raise ChallengeRefused(
            gettext("Record the agreement before the challenge starts."), code="no_agreement"
        )


def _close(move: Move) -> None:
    challenge: Challenge = move.obj
    challenge.closed_on = timezone.localdate()
    if move.action == "end":
        challenge.ended_reason = str(move.value("reasons")).strip()


def _date(day: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(day, "DATE_FORMAT")


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit",
        frozenset({Status.DRAFT}),
        Status.SUBMITTED,
        is_submitter,
        label=_("Submit"),
        effect=_submit,
        for_staff=False,
    ),
    Transition(
        "admit",
        frozenset({Status.SUBMITTED}),
        Status.ADMITTED,
        is_reviewer,
        ("reasons",),
        _("Admit"),
        effect=_decide,
        for_staff=False,
    ),
    Transition(
        "refuse",
        frozenset({Status.SUBMITTED}),
        Status.NOT_ADMITTED,
        is_reviewer,
        ("reasons",),
        _("Do not admit"),
        effect=_decide,
        for_staff=False,
    ),
    Transition(
        "open_dialogue",
        frozenset({Status.ADMITTED}),
        Status.IN_DIALOGUE,
        is_reviewer,
        label=_("Start the dialogue"),
    ),
    Transition(
        "agree",
        frozenset({Status.IN_DIALOGUE}),
        Status.AGREED,
        is_reviewer,
        label=_("Record the agreement"),
        for_staff=False,
    ),
    Transition(
        "start",
        frozenset({Status.AGREED}),
        Status.RUNNING,
        is_reviewer,
        label=_("Mark as running"),
        effect=_start,
    ),
    Transition(
        "complete",
        frozenset({Status.RUNNING}),
        Status.COMPLETED,
        is_reviewer,
        label=_("Mark as completed"),
        effect=_close,
    ),
    Transition(
        "end",
        ENDABLE,
        Status.ENDED,
        is_reviewer,
        ("reasons",),
        _("End the challenge"),
        effect=_close,
    ),
)

REQUIRED_MESSAGES = {
    "reasons": _("Give the reasons: a decision without reasons is not allowed."),
}


def _wrong_state(step: Transition, challenge: Any) -> str:
    return gettext("“%(action)s” is not possible while the challenge is %(status)s.") % {
        "action": step.label,
        "status": challenge.get_status_display(),
    }


WORKFLOW = Workflow(
    states=STATES,
    transitions=TRANSITIONS,
    refusal=ChallengeRefused,
    wrong_state=_wrong_state,
    required_messages=REQUIRED_MESSAGES,
)
