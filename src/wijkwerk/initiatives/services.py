"""Every write to an initiative goes through here.

Each service opens a transaction, checks the permission, records the change (StatusChange on the
timeline and `core.audit.record` with before/after) and queues e-mail with
`transaction.on_commit`. Money moves only through the funds services (commit, pay, release,
refund). Workflow steps go through `workflow.WORKFLOW.take`, which checks the step and runs its
effect (effects.py); statuses are named by the sets of states.py.

A refusal is an `ActionRefused` with a stable code; the codes are listed in refusals.py.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.accounts.roles import role_index
from wijkwerk.core import audit, ratelimit
from wijkwerk.core.language import site_language
from wijkwerk.core.money import format_money
from wijkwerk.core.workflow import Move
from wijkwerk.funds import services as funds_services
from wijkwerk.funds.iban import check_iban, mask_iban
from wijkwerk.funds.models import Fund
from wijkwerk.funds.selectors import initiative_figures, initiative_funds

from . import decisions
from .audit_actions import InitiativeAction
from .effects import (
    is_broker_for,
    lives_in_area,
    may_pay_now,
    missing_fields,
    missing_for_submission,
    pay,
    scheme_problems,
    spent_of,
)
from .models import (
    Accountability,
    Attachment,
    AttachmentPurpose,
    BudgetLine,
    CoApplicant,
    HelpOffer,
    Initiative,
    Message,
    PendingUpload,
    Status,
    StatusChange,
    Support,
)
from .notifications import notify_followers_of_step, notify_step
from .policy import is_applicant
from .refusals import ActionRefused
from .states import (
    ACCOUNTING_OPEN,
    ASSIGNABLE,
    FILES_REMOVABLE,
    FINISHED,
    PAYABLE,
    PAYEE_EDITABLE,
)
from .uploads import check_upload
from .workflow import WORKFLOW

# Used by views and tests through this module.
__all__ = [
    "ActionRefused",
    "Award",
    "lives_in_area",
    "may_pay_now",
    "missing_fields",
    "missing_for_submission",
    "scheme_problems",
]

# Fields written by the submission form; the audit trail keeps their before/after state.
APPLICATION_FIELDS = (
    "title",
    "summary",
    "description",
    "area",
    "category",
    "scheme",
    "applicant_kind",
    "resident_group",
    "area_council",
    "legal_entity",
    "applicant_age",
    "address",
    "latitude",
    "longitude",
    "planned_start",
    "planned_end",
    "own_contribution_cents",
    "own_contribution_hours",
    "own_contribution_materials",
    "consent_to_publish",
)
STATE_FIELDS = (
    "status",
    "broker",
    "granted_cents",
    "paid_cents",
    "final_cents",
    "fund",
    "approved_by",
    "decision_due",
)


@dataclass(frozen=True)
class BudgetLineData:
    description: str
    amount_cents: int


@dataclass(frozen=True)
class CoApplicantData:
    name: str
    age: int
    lives_in_area: bool


def _mail(
    initiative: Initiative, kind: str, *, recipient_id: int | None = None, note: str = ""
) -> None:
    # through core.notifications: queued once the transaction commits
    notify_step(initiative, kind, recipient_id=recipient_id, note=note)
    if recipient_id is None:  # a step of the initiative itself: its followers hear of it too
        notify_followers_of_step(initiative, kind)


def _lock(initiative: Initiative) -> Initiative:
    """Re-read the initiative under a row lock, so two officials cannot decide at once."""
    return (
        Initiative.objects.select_for_update(of=("self",))
        .select_related(
            "area__parent__parent", "area__municipality", "scheme", "fund__scheme", "applicant"
        )
        .get(pk=initiative.pk)
    )


def _state(initiative: Initiative) -> dict[str, Any]:
    return audit.snapshot(initiative, STATE_FIELDS)


# --- Submitting ------------------------------------------------------------------------------


def initiative_save_draft(
    *,
    actor: Any,
    initiative: Initiative | None,
    values: dict[str, Any],
    budget_lines: Sequence[BudgetLineData],
    co_applicants: Sequence[CoApplicantData] = (),
    pending_uploads: Iterable[int] = (),
) -> Initiative:
    """Create or update the application (a draft, or one returned for changes). The actor's
    own files chosen earlier and kept as pending uploads (ids; anyone else's are ignored) are
    attached in the same transaction."""
    if not actor.is_authenticated:
        raise PermissionDenied
    with transaction.atomic():
        if initiative is None:
            initiative = Initiative(applicant=actor)
            before = None
        else:
            initiative = _lock(initiative)
            if not actor.has_perm("initiatives.change_initiative", initiative):
                raise PermissionDenied
            before = audit.snapshot(initiative, APPLICATION_FIELDS)
        for name, value in values.items():
            if name not in APPLICATION_FIELDS:
                raise ValueError(f"not an application field: {name}")
            setattr(initiative, name, value)
        initiative.requested_cents = sum(line.amount_cents for line in budget_lines)
        initiative.save()
        initiative.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(
                initiative=initiative,
                position=i,
                description=line.description,
                amount_cents=line.amount_cents,
            )
            for i, line in enumerate(budget_lines)
        )
        initiative.co_applicants.all().delete()
        CoApplicant.objects.bulk_create(
            CoApplicant(
                initiative=initiative, name=c.name, age=c.age, lives_in_area=c.lives_in_area
            )
            for c in co_applicants
        )
        after = audit.snapshot(initiative, APPLICATION_FIELDS)
        after["requested_cents"] = initiative.requested_cents
        audit.record(
            actor=actor,
            action=InitiativeAction.SAVE_DRAFT if before else InitiativeAction.CREATE,
            instance=initiative,
            before=before,
            after=after,
        )
        _attach_pending(actor, initiative, pending_uploads)
    return initiative


def find_broker(initiative: Initiative) -> Any | None:
    """The broker of the initiative's area, or of the nearest area it lies in."""
    lineage = initiative.area.lineage_ids
    assignments = RoleAssignment.objects.filter(
        role=Role.BROKER, area_id__in=lineage
    ).select_related("user")
    nearest = sorted(assignments, key=lambda a: (lineage.index(a.area_id or 0), a.pk))
    return nearest[0].user if nearest else None


def initiative_submit(*, actor: Any, initiative: Initiative) -> Initiative:
    """Submit the application; it goes to the area's broker for review straight away."""
    with transaction.atomic():
        initiative = _lock(initiative)
        before = _state(initiative)
        move = WORKFLOW.take(actor, initiative, "submit")  # effects.submit
        initiative.save()
        _timeline(initiative, move.action, move.source, actor, "")
        audit.record(
            actor=actor,
            action=InitiativeAction.SUBMIT,
            instance=initiative,
            before=before,
            after=_state(initiative),
        )
        _mail(initiative, "submitted")
        broker = initiative.broker or find_broker(initiative)
        if broker is not None:
            _start_review(actor=None, initiative=initiative, broker=broker)
    return initiative


def _start_review(*, actor: Any, initiative: Initiative, broker: Any) -> None:
    before = _state(initiative)
    # The platform moves it on (after a submission, or an assignment the caller checked).
    move = WORKFLOW.take(actor, initiative, "start_review", system=True, broker=broker)
    initiative.save(update_fields=["status", "broker", "updated_at"])
    _timeline(initiative, move.action, move.source, actor, move.note or "")
    audit.record(
        actor=actor,
        action=InitiativeAction.START_REVIEW,
        instance=initiative,
        before=before,
        after=_state(initiative),
    )
    _mail(initiative, "start_review")
    if broker != actor:
        _mail(initiative, "assigned", recipient_id=broker.pk)


def initiative_assign(*, actor: Any, initiative: Initiative, broker: Any) -> Initiative:
    """Give the initiative to another broker (or take it); a submitted one goes into review."""
    with transaction.atomic():
        initiative = _lock(initiative)
        if not actor.has_perm("initiatives.assign", initiative):
            raise PermissionDenied
        if initiative.status not in ASSIGNABLE:
            raise ActionRefused(
                _("This initiative can no longer be assigned."), code="not_assignable"
            )
        if not is_broker_for(broker, initiative):
            raise ActionRefused(
                _("Only a broker of this area can be assigned."), code="not_a_broker"
            )
        if initiative.status in WORKFLOW["start_review"].sources:
            _start_review(actor=actor, initiative=initiative, broker=broker)
            return initiative
        before = _state(initiative)
        initiative.broker = broker
        initiative.save(update_fields=["broker", "updated_at"])
        audit.record(
            actor=actor,
            action=InitiativeAction.ASSIGN,
            instance=initiative,
            before=before,
            after=_state(initiative),
        )
        if broker != actor:
            _mail(initiative, "assigned", recipient_id=broker.pk)
    return initiative


# --- Funded by a neighbourhood vote ---------------------------------------------------------


@dataclass(frozen=True)
class Award:
    """A plan residents funded in a neighbourhood budget round, as the initiative that carries it
    out. `reasons`: the decision's reasons (the count), in the site's language; `booker`: the
    official the ledger books the commitment in the name of; `official`: the person the letter
    names as handling it (the area's broker)."""

    title: str
    summary: str
    description: str
    area: Any
    applicant: Any
    fund: Fund
    amount_cents: int
    reasons: str
    booker: Any
    official: Any = None
    category: Any = None
    address: str = ""
    latitude: Any = None
    longitude: Any = None
    submitted_at: datetime.datetime | None = None
    budget_line: str = ""


def initiative_award(
    *, actor: Any, award: Award, initiative: Initiative | None = None
) -> Initiative:
    """Approve a plan funded by a neighbourhood vote as an initiative: a new one (the plan's
    text, its cost as the one budget line, published as the plan was) or the one the plan was
    entered with (`initiative`, if it awaits a decision or is still a draft). The step `award`
    commits the cost in the round's fund; the decision (a grant, with the count as its reasons
    and the objection clause) and the applicant's mail with its letter follow as for any
    approval. Refused with `not_awardable` for an initiative decided on already, and with the
    ledger's or the step's codes when the fund cannot pay (`above_scheme_maximum`, ...)."""
    system = getattr(actor, "is_system", False)
    with transaction.atomic():
        if initiative is None:
            initiative = Initiative.objects.create(
                title=award.title[:150],
                summary=award.summary[:300],
                description=award.description,
                area=award.area,
                applicant=award.applicant,
                category=award.category,
                scheme=award.fund.scheme,
                address=award.address,
                latitude=award.latitude,
                longitude=award.longitude,
                consent_to_publish=True,  # the plan was public in the round
                requested_cents=award.amount_cents,
                submitted_at=award.submitted_at,
            )
            BudgetLine.objects.create(
                initiative=initiative,
                position=0,
                description=(award.budget_line or award.title)[:200],
                amount_cents=award.amount_cents,
            )
            audit.record(
                actor=actor,
                action=InitiativeAction.CREATE,
                instance=initiative,
                after={
                    **audit.snapshot(initiative, APPLICATION_FIELDS),
                    "requested_cents": initiative.requested_cents,
                },
            )
        initiative = _lock(initiative)
        if initiative.status not in WORKFLOW["award"].sources:
            raise ActionRefused(
                _("“%(title)s” is %(status)s already: a neighbourhood vote cannot fund it as well.")
                % {"title": initiative.title, "status": initiative.get_status_display()},
                code="not_awardable",
            )
        before = _state(initiative)
        if initiative.broker is None:
            initiative.broker = award.official or find_broker(initiative)
        move = WORKFLOW.take(
            actor,
            initiative,
            "award",
            system=True,
            amount=award.amount_cents,
            fund=award.fund,
            booker=award.booker,
        )
        initiative.save()
        _timeline(initiative, move.action, move.source, None if system else actor, move.note or "")
        audit.record(
            actor=actor,
            action=InitiativeAction.AWARD,
            instance=initiative,
            before=before,
            after=_state(initiative),
        )
        decisions.decision_record(
            actor=actor,
            initiative=initiative,
            action="award",
            reason=award.reasons,
            official=award.official or initiative.broker,
        )
        _mail(initiative, "approved")
    return initiative


# --- Decided by a council ----------------------------------------------------------------------


def initiative_council_decide(
    *,
    actor: Any,
    initiative: Initiative,
    approve: bool,
    reasons: str,
    amount_cents: int | None = None,
    fund: Fund | None = None,
    signed_as: tuple[str, str],
) -> tuple[Initiative, Any]:
    """The decision of the council the initiative is addressed to, taken at its meeting: the
    platform takes the step `council_approve` (the amount committed in the council's fund, which
    refuses what it lacks) or `council_reject`, with the timeline, the audit event, the Awb
    decision (the council named in the letter as `signed_as`: its name and role) and the mail
    with the letter to the applicant. The councils app checks who records it, the quorum and the
    votes, in the transaction this runs in. Returns the initiative and the decision."""
    action = "council_approve" if approve else "council_reject"
    reasons = reasons.strip()
    with transaction.atomic():
        initiative = _lock(initiative)
        before = _state(initiative)
        move = WORKFLOW.take(
            actor,
            initiative,
            action,
            system=True,
            amount=amount_cents,
            fund=fund,
            reason=reasons,
            booker=actor,
        )
        initiative.save()
        _timeline(initiative, action, move.source, actor, move.note or reasons)
        audit.record(
            actor=actor,
            action=f"initiative.{action}",
            instance=initiative,
            before=before,
            after=_state(initiative),
        )
        decision = decisions.decision_record(
            actor=actor,
            initiative=initiative,
            action=action,
            reason=reasons,
            signed_as=signed_as,
        )
        _mail(initiative, move.target, note=reasons)
    return initiative, decision


# --- Workflow ---------------------------------------------------------------------------------


def _timeline(
    initiative: Initiative, action: str, from_status: str, actor: Any, note: str
) -> StatusChange:
    return StatusChange.objects.create(
        initiative=initiative,
        action=action,
        from_status=from_status,
        to_status=initiative.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )


def initiative_transition(
    *,
    actor: Any,
    initiative: Initiative,
    action: str,
    reason: str = "",
    amount_cents: int | None = None,
    fund: Fund | None = None,
    conditions: str = "",
) -> Initiative:
    """Take one step of the workflow table (all but submitting and accountability, which have
    their own services because they carry the application and the report)."""
    if action in ("submit", "submit_accountability"):
        raise ActionRefused(_("This step has its own form."), code="own_form")
    with transaction.atomic():
        initiative = _lock(initiative)
        reason = reason.strip()
        before = _state(initiative)
        # checks the step and its fields, runs its effect (effects.py), sets the new status
        move = WORKFLOW.take(
            actor,
            initiative,
            action,
            reason=reason,
            amount=amount_cents,
            fund=fund,
            conditions=conditions,
        )
        initiative.save()
        note = reason if move.note is None else move.note
        _timeline(initiative, action, move.source, actor, note)
        audit.record(
            actor=actor,
            action=f"initiative.{action}",
            instance=initiative,
            before=before,
            after=_state(initiative),
        )
        if action in decisions.DECIDING_ACTIONS:
            # an Awb decision: recorded now, its letter goes with the mail
            decisions.decision_record(
                actor=actor,
                initiative=initiative,
                action=action,
                reason=reason,
                paid_before=before["paid_cents"],
            )
        # The mail tells the new state, except where the step itself is the news; on acceptance
        # and withdrawal it also gives the money figures (what returns to the fund, what is owed
        # back).
        kind = action if action in ("start_review", "request_more") else move.target
        _mail(initiative, kind, note=reason if move.notice is None else move.notice)
    return initiative


def repayment_due(initiative: Initiative, lines: Iterable[BudgetLine] | None = None) -> int:
    """Cents the applicant still has to pay back.

    After accepted accountability: an advance above the amount finally set. After a withdrawal:
    everything paid, since the grant lapses with the plan. Zero in every other state (until the
    accountability is accepted an advance is not too much). `lines` are the initiative's budget
    lines if the caller has them already."""
    if initiative.status == Status.WITHDRAWN:
        spent = 0
    elif initiative.status in FINISHED:
        spent = (
            initiative.final_cents
            if initiative.final_cents is not None
            else spent_of(initiative, lines)
        )
    else:
        return 0
    if initiative.paid_cents <= spent:  # paid_cents counts every payment; refunds only lower it
        return 0
    figures = initiative_figures(initiative)
    return max(0, figures.paid - figures.refunded - spent)


def initiative_repayment_received(
    *, actor: Any, initiative: Initiative, amount_cents: int, note: str = ""
) -> Initiative:
    """Book money the applicant paid back (an unspent advance) as a refund to the fund."""
    with transaction.atomic():
        initiative = _lock(initiative)
        if not actor.has_perm("funds.book_for_initiative", initiative):
            raise PermissionDenied
        due = repayment_due(initiative)
        if due <= 0:
            raise ActionRefused(
                _("Nothing is to be paid back for this initiative."), code="nothing_to_repay"
            )
        if amount_cents <= 0 or amount_cents > due:
            raise ActionRefused(
                _("Enter an amount of more than zero and at most %(due)s (still to be paid back).")
                % {"due": format_money(due)},
                code="repayment_amount",
            )
        # the advance came from the initiative's fund(s); book the refund where money was paid
        paid_by_fund = [(fund, fig.refundable) for fund, fig in initiative_funds(initiative)]
        fund = next((f for f, refundable in paid_by_fund if refundable >= amount_cents), None)
        if fund is None:
            raise ActionRefused(
                _("No fund paid this much to the initiative."), code="no_fund_paid_this"
            )
        before = _state(initiative)
        before["repayment_due_cents"] = due
        with site_language():  # a record: the ledger's reason, the timeline's note
            text = _("Repayment of “%(title)s” received: %(amount)s.") % {
                "title": initiative.title,
                "amount": format_money(amount_cents),
            }
        funds_services.refund(
            actor=actor,
            fund=fund,
            initiative=initiative,
            amount_cents=amount_cents,
            reason=f"{text} {note.strip()}".strip(),
        )
        _timeline(initiative, "repayment", initiative.status, actor, text)
        after = _state(initiative)
        after["repayment_due_cents"] = due - amount_cents
        audit.record(
            actor=actor,
            action=InitiativeAction.REPAYMENT,
            instance=initiative,
            before=before,
            after=after,
        )
        _mail(initiative, "repaid", note=text)
    return initiative


def _pay_open(actor: Any, initiative: Initiative) -> int:
    """Pay out what is committed and not yet paid (an advance, or the amount finally set after
    the accountability); the initiative is locked by the caller. Returns the cents paid."""
    if not actor.has_perm("funds.book_for_initiative", initiative):
        raise PermissionDenied
    if initiative.status not in PAYABLE or initiative.fund is None:
        raise ActionRefused(
            _("“%(title)s” cannot be paid now: it is %(status)s.")
            % {"title": initiative.title, "status": initiative.get_status_display()},
            code="not_payable",
        )
    open_cents = initiative_figures(initiative, initiative.fund).open_commitments
    if open_cents <= 0:
        return 0
    before = _state(initiative)
    with site_language():  # a record: the ledger's reason
        reason = (
            _("Payment of the amount finally set for “%(title)s”.")
            if initiative.status == Status.COMPLETED
            else _("Advance for “%(title)s”.")
        ) % {"title": initiative.title}
    try:
        pay(actor, initiative, open_cents, reason)
    except funds_services.LedgerRefused as refused:
        raise ActionRefused(
            _("“%(title)s”: %(reason)s") % {"title": initiative.title, "reason": refused.message},
            code=refused.code or "ledger_refused",
        ) from refused
    initiative.save(update_fields=["paid_cents", "updated_at"])
    after = _state(initiative)
    after["paid_by"] = actor.pk
    audit.record(
        actor=actor,
        action=InitiativeAction.PAY,
        instance=initiative,
        before=before,
        after=after,
    )
    with site_language():  # a record: the timeline's note
        note = _("%(amount)s paid to %(account)s.") % {
            "amount": format_money(open_cents),
            "account": mask_iban(initiative.payee_iban),
        }
    _timeline(initiative, "pay", initiative.status, actor, note)
    _mail(initiative, "paid")
    return open_cents


def initiative_pay(*, actor: Any, initiative: Initiative) -> int:
    """Pay out what is committed and not yet paid for one initiative; the cents paid."""
    with transaction.atomic():
        return _pay_open(actor, _lock(initiative))


def initiatives_mark_paid(*, actor: Any, initiatives: Iterable[Initiative]) -> int:
    """Pay out what is committed and not yet paid, for several initiatives at once.

    All or nothing: if one payment is refused (not enough money, no account given, or the payer
    approved it and the scheme asks for a second official), none is booked."""
    count = 0
    with transaction.atomic():
        for item in initiatives:
            if _pay_open(actor, _lock(item)):
                count += 1
    return count


def initiative_set_payee(*, actor: Any, initiative: Initiative, iban: str, name: str) -> Initiative:
    """The applicant gives the account the grant is paid to (checked with schwifty)."""
    with transaction.atomic():
        initiative = _lock(initiative)
        if not is_applicant(actor, initiative):
            raise PermissionDenied
        if initiative.status not in PAYEE_EDITABLE:
            raise ActionRefused(
                _("The account can be given once the initiative is approved."),
                code="payee_not_yet",
            )
        iban = check_iban(iban)
        name = " ".join(name.split())
        if not name:
            raise ActionRefused(
                _("Enter the name of the account holder."), code="payee_name_required"
            )
        before = {
            "payee_iban": mask_iban(initiative.payee_iban),
            "payee_name": initiative.payee_name,
        }
        initiative.payee_iban = iban
        initiative.payee_name = name
        initiative.save(update_fields=["payee_iban", "payee_name", "updated_at"])
        # the audit trail keeps the account masked, as every page shows it
        audit.record(
            actor=actor,
            action=InitiativeAction.PAYEE,
            instance=initiative,
            before=before,
            after={"payee_iban": mask_iban(iban), "payee_name": name},
        )
    return initiative


def initiatives_assign_to_me(*, actor: Any, initiatives: Iterable[Initiative]) -> int:
    count = 0
    with transaction.atomic():
        for initiative in initiatives:
            initiative_assign(actor=actor, initiative=initiative, broker=actor)
            count += 1
    return count


# --- Accountability --------------------------------------------------------------------------


def accountability_submit(
    *,
    actor: Any,
    initiative: Initiative,
    report: str,
    took_place: bool,
    participants: int,
    actual_costs: dict[int, int],
) -> Accountability:
    """The applicant's report afterwards, with the actual cost of every budget line."""
    with transaction.atomic():
        initiative = _lock(initiative)
        before = _state(initiative)
        move: Move = WORKFLOW.take(  # effects.submit_accountability
            actor,
            initiative,
            "submit_accountability",
            report=report,
            took_place=took_place,
            participants=participants,
            actual_costs=actual_costs,
        )
        initiative.save(update_fields=["status", "updated_at"])
        actual = move.results["actual_cents"]
        _timeline(initiative, move.action, move.source, actor, move.note or "")
        after = _state(initiative)
        after["actual_cents"] = actual
        audit.record(
            actor=actor,
            action=InitiativeAction.SUBMIT_ACCOUNTABILITY,
            instance=initiative,
            before=before,
            after=after,
        )
        _mail(initiative, "accounted")
        if initiative.broker_id:
            _mail(initiative, "accounted", recipient_id=initiative.broker_id)
    accountability: Accountability = move.results["accountability"]
    return accountability


# --- Attachments -----------------------------------------------------------------------------


def attachment_add(
    *, actor: Any, initiative: Initiative, upload: UploadedFile, purpose: str
) -> Attachment:
    if purpose not in AttachmentPurpose.values:
        raise ActionRefused(_("Unknown kind of attachment."), code="unknown_purpose")
    if not (
        actor.has_perm("initiatives.change_initiative", initiative)
        or (
            purpose != AttachmentPurpose.APPLICATION
            and actor.has_perm("initiatives.view_private_files", initiative)
            and initiative.status in ACCOUNTING_OPEN
        )
    ):
        raise PermissionDenied
    checked = check_upload(upload)
    name = (upload.name or "").rsplit("/", 1)[-1][:200] or "upload"
    with transaction.atomic():
        attachment = Attachment(
            initiative=initiative,
            purpose=purpose,
            token=secrets.token_hex(16),
            extension=checked.extension,
            original_name=name,
            content_type=checked.content_type,
            size=checked.size,
            is_image=checked.is_image,
            uploaded_by=actor,
        )
        attachment.file.save(f"upload.{checked.extension}", upload, save=False)
        try:
            attachment.save()
        except IntegrityError:
            attachment.file.delete(save=False)
            raise
        audit.record(
            actor=actor,
            action=InitiativeAction.ATTACHMENT_ADD,
            instance=initiative,
            after={"attachment": attachment.pk, "name": name, "purpose": purpose},
        )
    return attachment


# --- Files chosen on a new application before it could be saved ----------------------------

# How many files one person may have waiting at once, and how long they wait.
MAX_PENDING_UPLOADS = 20
PENDING_UPLOAD_AGE = datetime.timedelta(days=1)


def pending_upload_add(*, actor: Any, upload: UploadedFile) -> PendingUpload:
    """Keep a file chosen on the form of a new application that has errors elsewhere: checked
    as any attachment, stored for its owner only, attached when the application is saved."""
    if not actor.is_authenticated or getattr(actor, "is_system", False):
        raise PermissionDenied
    checked = check_upload(upload)
    if PendingUpload.objects.filter(owner=actor).count() >= MAX_PENDING_UPLOADS:
        raise ActionRefused(
            _(
                "You have %(count)d files waiting to be saved: save your plan first, or remove "
                "some of them."
            )
            % {"count": MAX_PENDING_UPLOADS},
            code="too_many_pending",
        )
    with transaction.atomic():
        pending = PendingUpload(
            owner=actor,
            token=secrets.token_hex(16),
            extension=checked.extension,
            original_name=(upload.name or "").rsplit("/", 1)[-1][:200] or "upload",
            content_type=checked.content_type,
            size=checked.size,
            is_image=checked.is_image,
        )
        pending.file.save(f"upload.{checked.extension}", upload, save=False)
        try:
            pending.save()
        except IntegrityError:
            pending.file.delete(save=False)
            raise
    return pending


def _delete_files_on_commit(items: Sequence[Attachment | PendingUpload]) -> None:
    stored = [(item.file.storage, item.file.name or "") for item in items]

    def delete() -> None:
        for storage, name in stored:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def _attach_pending(actor: Any, initiative: Initiative, ids: Iterable[int]) -> list[Attachment]:
    """The actor's pending uploads among `ids` become the initiative's attachments (in the
    caller's transaction; the rows are locked, so two saves at once attach them once)."""
    wanted = list(ids)
    if not wanted or not getattr(actor, "pk", None):
        return []
    chosen = list(
        PendingUpload.objects.select_for_update()
        .filter(owner=actor, pk__in=wanted)
        .order_by("created_at", "id")
    )
    attached = []
    for pending in chosen:
        attachment = Attachment(
            initiative=initiative,
            purpose=AttachmentPurpose.APPLICATION,
            token=secrets.token_hex(16),
            extension=pending.extension,
            original_name=pending.original_name,
            content_type=pending.content_type,
            size=pending.size,
            is_image=pending.is_image,
            uploaded_by=actor,
        )
        try:
            with pending.file.open("rb") as handle:
                attachment.file.save(f"upload.{pending.extension}", handle, save=False)
        except FileNotFoundError:
            continue  # gone from the storage: nothing to attach (its row goes below)
        attachment.save()
        audit.record(
            actor=actor,
            action=InitiativeAction.ATTACHMENT_ADD,
            instance=initiative,
            after={
                "attachment": attachment.pk,
                "name": attachment.original_name,
                "purpose": attachment.purpose,
            },
        )
        attached.append(attachment)
    PendingUpload.objects.filter(pk__in=[p.pk for p in chosen]).delete()
    _delete_files_on_commit(chosen)
    return attached


def pending_uploads_discard(*, actor: Any, ids: Iterable[int]) -> int:
    """The actor's pending uploads among `ids` are removed (the others' are left alone)."""
    wanted = list(ids)
    if not wanted or not getattr(actor, "pk", None):
        return 0
    with transaction.atomic():
        chosen = list(PendingUpload.objects.select_for_update().filter(owner=actor, pk__in=wanted))
        PendingUpload.objects.filter(pk__in=[p.pk for p in chosen]).delete()
        _delete_files_on_commit(chosen)
    return len(chosen)


def pending_uploads_cleanup(
    *, older_than: datetime.timedelta = PENDING_UPLOAD_AGE, batch: int = 500
) -> int:
    """Remove the pending uploads (rows and files) chosen longer than `older_than` ago, whose
    form was never saved; `manage.py cleanup_pending_uploads` runs this daily."""
    cutoff = timezone.now() - older_than
    removed = 0
    while True:
        with transaction.atomic():
            old = list(
                PendingUpload.objects.select_for_update(skip_locked=True).filter(
                    created_at__lt=cutoff
                )[:batch]
            )
            if not old:
                return removed
            PendingUpload.objects.filter(pk__in=[p.pk for p in old]).delete()
            _delete_files_on_commit(old)
        removed += len(old)


def attachment_delete(*, actor: Any, attachment: Attachment) -> None:
    initiative = attachment.initiative
    if attachment.uploaded_by_id != actor.pk or initiative.status not in FILES_REMOVABLE:
        raise PermissionDenied
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=InitiativeAction.ATTACHMENT_DELETE,
            instance=initiative,
            before={"attachment": attachment.pk, "name": attachment.original_name},
        )
        stored = attachment.file.name or ""
        storage = attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(stored))


# --- Support, help and conversation ----------------------------------------------------------


def support_toggle(*, actor: Any, initiative: Initiative) -> bool:
    """Support the initiative, or withdraw one's support; True when the actor now supports it."""
    ratelimit.limit(actor, "support")
    with transaction.atomic():
        initiative = _lock(initiative)
        existing = Support.objects.filter(initiative=initiative, user=actor).first()
        if existing is not None:
            existing.delete()
            Initiative.objects.filter(pk=initiative.pk).update(support_count=F("support_count") - 1)
            audit.record(actor=actor, action=InitiativeAction.SUPPORT_WITHDRAW, instance=initiative)
            return False
        if role_index(actor).is_official:
            raise ActionRefused(
                _(
                    "Officials do not support initiatives: support counts towards the "
                    "applications the municipality reviews. You can still offer help."
                ),
                code="official_support",
            )
        if not actor.has_perm("initiatives.support_initiative", initiative):
            raise PermissionDenied
        Support.objects.create(initiative=initiative, user=actor)
        Initiative.objects.filter(pk=initiative.pk).update(support_count=F("support_count") + 1)
        audit.record(actor=actor, action=InitiativeAction.SUPPORT, instance=initiative)
        return True


def help_offer_add(*, actor: Any, initiative: Initiative, text: str) -> HelpOffer:
    if not actor.has_perm("initiatives.offer_help", initiative):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ActionRefused(_("Tell what you can do."), code="help_text_required")
    # Refused when too many: nothing is saved and nobody is mailed.
    ratelimit.limit(actor, "help_offer", mails_to=[initiative.applicant_id])
    with transaction.atomic():
        offer = HelpOffer.objects.create(initiative=initiative, user=actor, text=text)
        audit.record(
            actor=actor,
            action=InitiativeAction.HELP_OFFER,
            instance=initiative,
            after={"text": text},
        )
        with site_language():  # a mail's note, sent later in no one's request
            offer_note = _("%(name)s offers help: %(text)s") % {
                "name": actor.display_name,
                "text": text,
            }
        _mail(initiative, "message", note=offer_note)
    return offer


def message_post(*, actor: Any, initiative: Initiative, body: str, internal: bool) -> Message:
    if not actor.has_perm("initiatives.converse", initiative):
        raise PermissionDenied
    if internal and not actor.has_perm("initiatives.view_internal", initiative):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ActionRefused(_("Write a message."), code="message_required")
    if not internal:  # internal notes mail no one
        by_applicant = actor.pk == initiative.applicant_id
        to = initiative.broker_id if by_applicant else initiative.applicant_id
        ratelimit.limit(actor, "message", mails_to=[to])
    with transaction.atomic():
        message = Message.objects.create(
            initiative=initiative, author=actor, body=body, is_internal=internal
        )
        audit.record(
            actor=actor,
            action=InitiativeAction.NOTE if internal else InitiativeAction.MESSAGE,
            instance=initiative,
            after={"message": message.pk},
        )
        if not internal:
            if actor.pk == initiative.applicant_id:
                if initiative.broker_id:
                    _mail(initiative, "message", recipient_id=initiative.broker_id)
            else:
                _mail(initiative, "message")
    return message
