"""An initiative's states and every named set of them, declared once (`wijkwerk.core.workflow`).

Code asks `initiative.status in PAYABLE` or filters `status__in=PUBLIC`; templates ask
`{% if initiative.states.editable %}` (or a single state: `initiative.states.rejected`); the funds
app asks the initiative `accepts_commitments` / `accepts_payments` (models.py), which read
COMMITMENTS_ACCEPTED and PAYMENTS_ACCEPTED here. The steps between the states are in workflow.py.

    draft ─submit→ submitted ─start_review→ under_review ─approve→ approved ─start→ in_progress
    under_review ─reject→ rejected      under_review ─return→ returned ─submit→ submitted
    in_progress ─submit_accountability→ accounted ─accept_accountability→ completed ─close→ closed
    accounted ─request_more→ in_progress     (any state before completed) ─withdraw→ withdrawn
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import States, StateSet


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    RETURNED = "returned", _("returned for changes")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    IN_PROGRESS = "in_progress", _("in progress")
    ACCOUNTED = "accounted", _("accountability submitted")
    COMPLETED = "completed", _("completed")
    CLOSED = "closed", _("closed")
    WITHDRAWN = "withdrawn", _("withdrawn")


S = Status

# The course of an initiative that goes well, in order, and the side roads with the status they
# leave from (the demo takes its initiatives along these; the workflow's steps are in workflow.py).
COURSE = (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.IN_PROGRESS, S.ACCOUNTED, S.COMPLETED)
LEFT_FROM = {S.RETURNED: S.UNDER_REVIEW, S.REJECTED: S.UNDER_REVIEW, S.WITHDRAWN: S.APPROVED}

# --- The application and its review ------------------------------------------------------------

EDITABLE = StateSet(
    "editable",
    {S.DRAFT, S.RETURNED},
    "The applicant edits the application and submits it: a draft, or one returned for changes.",
)
PUBLIC = StateSet(
    "public",
    set(S.values) - {S.DRAFT, S.WITHDRAWN},
    "Visible to everyone when the applicant consented to publication; drafts and withdrawn plans "
    "stay between the applicant and the municipality. Also the statuses the public list filters "
    "on.",
)
AWAITING_DECISION = StateSet(
    "awaiting_decision",
    {S.SUBMITTED, S.UNDER_REVIEW},
    "Waiting for a decision: these count against the scheme's decision term.",
)
AWARDABLE = StateSet(
    "awardable",
    EDITABLE | AWAITING_DECISION,
    "A plan residents funded by a neighbourhood budget vote is approved from here (the step "
    "`award`): the vote decides, whether or not the application was complete or reviewed.",
)
SUPPORTABLE = StateSet(
    "supportable",
    {S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.IN_PROGRESS},
    "Neighbours can still support or join the plan.",
)
BEFORE_COMPLETION = StateSet(
    "before_completion",
    {S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.RETURNED, S.APPROVED, S.IN_PROGRESS, S.ACCOUNTED},
    "Until the accountability is accepted: the plan can be withdrawn.",
)
ASSIGNABLE = StateSet(
    "assignable",
    BEFORE_COMPLETION - {S.DRAFT},
    "Submitted and not completed: a broker can be assigned (a draft is nobody's case yet).",
)

# --- Carrying the plan out and accounting for it -----------------------------------------------

RUNNING = StateSet(
    "running",
    {S.APPROVED, S.IN_PROGRESS},
    "Approved and not yet accounted for: the applicant carries the plan out and submits the "
    "accountability.",
)
ACCOUNTING_OPEN = StateSet(
    "accounting_open",
    RUNNING | {S.ACCOUNTED},
    "From approval until the accountability is decided: the officials who handle the case add "
    "receipts and photos of the result too.",
)
FILES_REMOVABLE = StateSet(
    "files_removable",
    EDITABLE | RUNNING,
    "While the application or the accountability is being written: whoever added a file may "
    "remove it.",
)
FINISHED = StateSet(
    "finished",
    {S.COMPLETED, S.CLOSED},
    "The accountability was accepted and the amount finally set: good examples come from here, "
    "and an advance above that amount is owed back.",
)
ENDED = StateSet(
    "ended",
    {S.REJECTED, S.WITHDRAWN, S.CLOSED},
    "No step leaves these (the workflow's terminal states; a test holds them equal): nothing stays "
    "committed, and a plan that ended is not offered as a similar plan.",
)

# --- Money --------------------------------------------------------------------------------------

PAYABLE = StateSet(
    "payable",
    {S.APPROVED, S.IN_PROGRESS, S.COMPLETED},
    "What is committed and not yet paid can be paid out: an advance, or the amount finally set "
    "after the accountability was accepted.",
)
PAYEE_EDITABLE = StateSet(
    "payee_editable",
    {S.APPROVED, S.IN_PROGRESS, S.ACCOUNTED, S.COMPLETED},
    "The applicant gives (or changes) the account to pay to, from approval until it is paid.",
)
COMMITMENTS_ACCEPTED = StateSet(
    "commitments_accepted",
    {S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.IN_PROGRESS, S.ACCOUNTED},
    "The ledger accepts a commitment (money granted): from submission until the accountability "
    "is decided (the approval commits while the initiative is still under review).",
)
PAYMENTS_ACCEPTED = StateSet(
    "payments_accepted",
    COMMITMENTS_ACCEPTED | {S.COMPLETED},
    "The ledger accepts a payment: as for commitments, and after completion (the amount finally "
    "set, paid by a second official).",
)

FOLLOWED = StateSet(
    "followed",
    {S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.REJECTED, S.IN_PROGRESS, S.COMPLETED, S.CLOSED},
    "Followers of a public initiative (and of its area) hear when it reaches one of these "
    "(wijkwerk.follows; notifications.notify_followers_of_step).",
)

STATES = States(
    S.values,
    (
        EDITABLE,
        PUBLIC,
        FOLLOWED,
        AWAITING_DECISION,
        AWARDABLE,
        SUPPORTABLE,
        BEFORE_COMPLETION,
        ASSIGNABLE,
        RUNNING,
        ACCOUNTING_OPEN,
        FILES_REMOVABLE,
        FINISHED,
        ENDED,
        PAYABLE,
        PAYEE_EDITABLE,
        COMMITMENTS_ACCEPTED,
        PAYMENTS_ACCEPTED,
    ),
)
