"""Every write to an initiative goes through here.

Each service opens a transaction, checks the permission, records the change (StatusChange on the
timeline and `core.audit.record` with before/after) and queues e-mail with
`transaction.on_commit`. Money moves only through the funds services (commit, pay, release,
refund).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.core import audit, ratelimit
from wijkwerk.core.money import format_eur
from wijkwerk.funds import services as funds_services
from wijkwerk.funds.checks import Cosigner, SchemeProblem, accountability_level, scheme_check
from wijkwerk.funds.iban import check_iban, mask_iban
from wijkwerk.funds.models import Fund
from wijkwerk.funds.selectors import fund_covers_area, initiative_figures, initiative_funds

from . import decisions, workflow
from .models import (
    Accountability,
    Attachment,
    AttachmentPurpose,
    BudgetLine,
    CoApplicant,
    HelpOffer,
    Initiative,
    Message,
    Status,
    StatusChange,
    Support,
)
from .notifications import notify_step
from .rules import is_applicant
from .selectors import budget_year
from .uploads import check_upload

DEFAULT_DECISION_WEEKS = 8
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
ASSIGNABLE = workflow.BEFORE_COMPLETION - {Status.DRAFT}
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
# Money can be paid out in these states (an advance, or what was finally set on acceptance).
PAYABLE = frozenset({Status.APPROVED, Status.IN_PROGRESS, Status.COMPLETED})
# The applicant gives (or changes) the account to pay to from approval until it is paid.
PAYEE_EDITABLE = frozenset(
    {Status.APPROVED, Status.IN_PROGRESS, Status.ACCOUNTED, Status.COMPLETED}
)


class ActionRefused(ValidationError):
    """A step the workflow or the scheme does not allow now; the message is for the user."""


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
) -> Initiative:
    """Create or update the application (a draft, or one returned for changes)."""
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
            action="initiative.save_draft" if before else "initiative.create",
            instance=initiative,
            before=before,
            after=after,
        )
    return initiative


def lives_in_area(user: Any, initiative: Initiative) -> bool:
    home = user.home_area
    if home is None:
        return False
    return initiative.area_id in home.lineage_ids or home.pk in initiative.area.lineage_ids


def scheme_problems(
    initiative: Initiative, *, today: datetime.date | None = None
) -> list[SchemeProblem]:
    """What the scheme says about this application now (empty when it may go ahead)."""
    if initiative.scheme is None:
        return []
    return scheme_check(
        initiative.scheme,
        applicant_age=initiative.applicant_age or 0,
        lives_in_area=lives_in_area(initiative.applicant, initiative),
        is_legal_entity=bool(initiative.legal_entity),
        amount_cents=initiative.requested_cents,
        activity_start=initiative.planned_start,
        today=today or timezone.localdate(),
        cosigners=[Cosigner(c.age, c.lives_in_area) for c in initiative.co_applicants.all()],
        online_supporters=initiative.support_count,
        category=initiative.category,
    )


def missing_for_submission(initiative: Initiative) -> list[str]:
    """The application's gaps that stop it from being submitted, as messages."""
    missing = []
    if not initiative.summary.strip():
        missing.append(_("Write a short summary."))
    if not initiative.description.strip():
        missing.append(_("Describe your plan."))
    if initiative.planned_start is None or initiative.planned_end is None:
        missing.append(_("Enter the planned start and end dates."))
    if initiative.requested_cents <= 0:
        missing.append(_("Add at least one budget line."))
    if initiative.scheme is None:
        missing.append(_("Choose the scheme you apply under."))
    if initiative.applicant_age is None:
        missing.append(_("Enter your age."))
    return missing


def find_broker(initiative: Initiative) -> Any | None:
    """The broker of the initiative's area, or of the nearest area it lies in."""
    lineage = initiative.area.lineage_ids
    assignments = RoleAssignment.objects.filter(
        role=Role.BROKER, area_id__in=lineage
    ).select_related("user")
    nearest = sorted(assignments, key=lambda a: (lineage.index(a.area_id or 0), a.pk))
    return nearest[0].user if nearest else None


def _is_broker_for(user: Any, initiative: Initiative) -> bool:
    return RoleAssignment.objects.filter(
        user=user, role=Role.BROKER, area_id__in=initiative.area.lineage_ids
    ).exists()


def initiative_submit(*, actor: Any, initiative: Initiative) -> Initiative:
    """Submit the application; it goes to the area's broker for review straight away."""
    with transaction.atomic():
        initiative = _lock(initiative)
        step = _check_step(actor, initiative, "submit")
        problems = missing_for_submission(initiative)
        # The lead time is checked against the day of submission; the decision term too.
        problems += [str(p) for p in scheme_problems(initiative) if p.field != "support"]
        if problems:
            raise ActionRefused(problems)
        before = _state(initiative)
        from_status = initiative.status
        now = timezone.now()
        weeks = (
            initiative.scheme.decision_term_weeks if initiative.scheme else DEFAULT_DECISION_WEEKS
        )
        initiative.status = step.target
        initiative.submitted_at = now
        initiative.decision_due = timezone.localdate(now) + datetime.timedelta(weeks=weeks)
        if initiative.broker is not None and not _is_broker_for(initiative.broker, initiative):
            # A returned initiative may have moved to another area (or municipality): its former
            # broker no longer handles it, and the new area's broker or admin takes it.
            initiative.broker = None
        initiative.save()
        _timeline(initiative, step.action, from_status, actor, "")
        audit.record(
            actor=actor,
            action="initiative.submit",
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
    from_status = initiative.status
    initiative.status = workflow.BY_ACTION["start_review"].target
    initiative.broker = broker
    initiative.save(update_fields=["status", "broker", "updated_at"])
    _timeline(
        initiative,
        "start_review",
        from_status,
        actor,
        _("Assigned to %(broker)s.") % {"broker": broker.display_name},
    )
    audit.record(
        actor=actor,
        action="initiative.start_review",
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
            raise ActionRefused(_("This initiative can no longer be assigned."))
        if not _is_broker_for(broker, initiative):
            raise ActionRefused(_("Only a broker of this area can be assigned."))
        if initiative.status == "submitted":
            _start_review(actor=actor, initiative=initiative, broker=broker)
            return initiative
        before = _state(initiative)
        initiative.broker = broker
        initiative.save(update_fields=["broker", "updated_at"])
        audit.record(
            actor=actor,
            action="initiative.assign",
            instance=initiative,
            before=before,
            after=_state(initiative),
        )
        if broker != actor:
            _mail(initiative, "assigned", recipient_id=broker.pk)
    return initiative


# --- Workflow ---------------------------------------------------------------------------------


def _check_step(actor: Any, initiative: Initiative, action: str) -> workflow.Transition:
    step = workflow.transition(action)
    if step is None:
        raise ActionRefused(_("This step does not exist."))
    if not step.allowed(actor, initiative):
        raise PermissionDenied
    if initiative.status not in step.sources:
        raise ActionRefused(
            _("“%(action)s” is not possible while the initiative is %(status)s.")
            % {"action": step.label, "status": initiative.get_status_display()}
        )
    return step


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
        raise ActionRefused(_("This step has its own form."))
    with transaction.atomic():
        initiative = _lock(initiative)
        step = _check_step(actor, initiative, action)
        reason = reason.strip()
        if "reason" in step.required and not reason:
            raise ActionRefused(_("Give a reason."))
        before = _state(initiative)
        from_status = initiative.status
        note = reason
        if action == "start_review":
            initiative.broker = initiative.broker or actor
        elif action == "approve":
            note = _approve(actor, initiative, amount_cents, fund, conditions.strip(), reason)
        elif action in ("reject", "return"):
            initiative.decision_reason = reason
        elif action == "accept_accountability":
            note = _settle(actor, initiative)
        elif action == "withdraw":
            note = " ".join(filter(None, [reason, _withdraw(actor, initiative)]))
        elif action == "close" and initiative_figures(initiative).open_commitments > 0:
            raise ActionRefused(
                _("The amount finally set has not been paid yet; pay it before closing."),
                code="not_paid",
            )
        if action in ("approve", "reject"):
            initiative.decided_at = timezone.now()
        initiative.status = step.target
        initiative.save()
        if action == "accept_accountability":
            Accountability.objects.filter(initiative=initiative).update(
                accepted_at=timezone.now(), accepted_by=actor
            )
        elif action == "request_more":
            Accountability.objects.filter(initiative=initiative).update(feedback=reason)
        _timeline(initiative, action, from_status, actor, note)
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
        kind = action if action in ("start_review", "request_more") else step.target
        mail_note = reason
        if action == "accept_accountability":
            mail_note = f"{note}\n{reason}".strip()
        elif action == "withdraw":
            mail_note = note
        _mail(initiative, kind, note=mail_note)
    return initiative


def _approve(
    actor: Any,
    initiative: Initiative,
    amount_cents: int | None,
    fund: Fund | None,
    conditions: str,
    reason: str,
) -> str:
    if amount_cents is None or amount_cents <= 0:
        raise ActionRefused(_("Enter the amount granted (more than zero)."))
    if fund is None:
        raise ActionRefused(_("Choose the fund the money comes from."))
    if amount_cents > initiative.requested_cents:
        raise ActionRefused(
            _("The amount granted cannot be more than the amount requested (%(requested)s).")
            % {"requested": format_eur(initiative.requested_cents)}
        )
    if amount_cents > fund.scheme.max_per_initiative_cents:
        raise ActionRefused(
            _("%(scheme)s grants at most %(max)s per initiative.")
            % {
                "scheme": fund.scheme.name,
                "max": format_eur(fund.scheme.max_per_initiative_cents),
            }
        )
    if fund.municipality_id != initiative.area.municipality_id or not fund_covers_area(
        fund, initiative.area
    ):
        raise ActionRefused(
            _("Fund %(fund)s does not cover %(area)s.")
            % {"fund": fund, "area": initiative.area.name},
            code="fund_area",
        )
    if initiative.scheme_id is not None and fund.scheme_id != initiative.scheme_id:
        raise ActionRefused(
            _(
                "Fund %(fund)s pays under the scheme %(fund_scheme)s; this initiative applied "
                "under %(scheme)s. Choose a fund of that scheme."
            )
            % {"fund": fund, "fund_scheme": fund.scheme.name, "scheme": initiative.scheme},
            code="fund_scheme",
        )
    year = budget_year(initiative)
    if fund.year != year:
        raise ActionRefused(
            _(
                "Fund %(fund)s is for %(fund_year)s; this initiative is paid from the funds of "
                "%(year)s, the year it starts."
            )
            % {"fund": fund, "fund_year": fund.year, "year": year},
            code="fund_year",
        )
    if not fund.is_active:
        raise ActionRefused(_("Fund %(fund)s is closed.") % {"fund": fund}, code="fund_closed")
    initiative.granted_cents = amount_cents
    initiative.fund = fund
    initiative.conditions = conditions
    initiative.approved_by = actor
    funds_services.commit(
        actor=actor,
        fund=fund,
        initiative=initiative,
        amount_cents=amount_cents,
        reason=_("Granted to initiative “%(title)s”.") % {"title": initiative.title},
    )
    return _("%(amount)s granted from %(fund)s.") % {
        "amount": format_eur(amount_cents),
        "fund": fund,
    } + (f" {reason}" if reason else "")


def _release_open(actor: Any, initiative: Initiative, reason: str) -> int:
    """Give whatever is still committed and unpaid back to its fund(s)."""
    entries = funds_services.release_open_commitments(
        actor=actor, initiative=initiative, reason=reason
    )
    return sum(entry.amount_cents for entry in entries)


def _pay(actor: Any, initiative: Initiative, amount_cents: int, reason: str) -> None:
    assert initiative.fund is not None
    funds_services.pay(
        actor=actor,
        fund=initiative.fund,
        initiative=initiative,
        amount_cents=amount_cents,
        reason=reason,
        payee_iban=initiative.payee_iban,
        payee_name=initiative.payee_name,
    )
    initiative.paid_cents += amount_cents


def _spent(initiative: Initiative, lines: Iterable[BudgetLine] | None = None) -> int:
    """What the fund pays for in the end: the actual costs, at most the amount granted."""
    lines = initiative.budget_lines.all() if lines is None else lines
    actual = sum(line.actual_cents or 0 for line in lines)
    return min(actual, initiative.granted_cents or 0)


def repayment_due(initiative: Initiative, lines: Iterable[BudgetLine] | None = None) -> int:
    """Cents the applicant still has to pay back.

    After accepted accountability: an advance above the amount finally set. After a withdrawal:
    everything paid, since the grant lapses with the plan. Zero in every other state (until the
    accountability is accepted an advance is not too much). `lines` are the initiative's budget
    lines if the caller has them already."""
    if initiative.status == Status.WITHDRAWN:
        spent = 0
    elif initiative.status in (Status.COMPLETED, Status.CLOSED):
        spent = (
            initiative.final_cents
            if initiative.final_cents is not None
            else _spent(initiative, lines)
        )
    else:
        return 0
    if initiative.paid_cents <= spent:  # paid_cents counts every payment; refunds only lower it
        return 0
    figures = initiative_figures(initiative)
    return max(0, figures.paid - figures.refunded - spent)


def may_pay_now(actor: Any, initiative: Initiative) -> bool:
    """Whether this official can pay the initiative out now (for buttons; the ledger checks)."""
    return bool(
        initiative.payee_iban
        and actor.has_perm("funds.pay_initiative", initiative)
        and initiative.status in PAYABLE
    )


def _settle(actor: Any, initiative: Initiative) -> str:
    """On accepted accountability: set the amount finally (the actual costs, at most the grant),
    pay what is still to be paid and release the rest.

    If the accepting official granted the money too (and the scheme asks for a second official)
    or no account is known yet, what is still to be paid stays committed and the initiative waits
    for payment on the dashboard. An advance above the actual costs cannot be released (it has
    been paid out): it is owed back by the applicant, said in the note, and booked as a refund
    when it arrives (`initiative_repayment_received`)."""
    lines = list(initiative.budget_lines.all())
    actual = sum(line.actual_cents or 0 for line in lines)
    spent = _spent(initiative, lines)
    initiative.final_cents = spent
    to_pay = max(0, spent - initiative.paid_cents)
    if to_pay and may_pay_now(actor, initiative):
        _pay(
            actor,
            initiative,
            to_pay,
            _("Actual costs of “%(title)s”.") % {"title": initiative.title},
        )
        to_pay = 0
    not_spent = _("Not spent by “%(title)s”.") % {"title": initiative.title}
    if to_pay:
        assert initiative.fund is not None
        excess = initiative_figures(initiative, initiative.fund).open_commitments - to_pay
        released = 0
        if excess > 0:
            funds_services.release(
                actor=actor,
                fund=initiative.fund,
                initiative=initiative,
                amount_cents=excess,
                reason=not_spent,
            )
            released = excess
    else:
        released = _release_open(actor, initiative, not_spent)
    figures = initiative_figures(initiative)
    owed = max(0, figures.paid - figures.refunded - spent)
    note = _("Actual costs %(actual)s; %(released)s returned to the fund.") % {
        "actual": format_eur(actual),
        "released": format_eur(released),
    }
    if to_pay:
        note += " " + _("%(amount)s is still to be paid by a second official.") % {
            "amount": format_eur(to_pay)
        }
    if owed:
        note += " " + _(
            "%(owed)s of the advance was not spent and is to be paid back to the municipality."
        ) % {"owed": format_eur(owed)}
    return note


def _withdraw(actor: Any, initiative: Initiative) -> str:
    """Release what was granted and not paid; what was paid is owed back (`repayment_due`)."""
    # An applicant may not book money; the release is booked in the name of the broker
    # responsible, with the applicant named in the reason.
    booker = actor if actor.has_perm("funds.book_for_initiative", initiative) else None
    booker = booker or initiative.broker or initiative.approved_by
    if booker is not None:
        _release_open(
            booker,
            initiative,
            _("Initiative withdrawn by %(name)s.") % {"name": actor.display_name},
        )
    figures = initiative_figures(initiative)
    owed = figures.paid - figures.refunded
    if owed <= 0:
        return ""
    return _("%(owed)s was paid out as an advance and is to be paid back to the municipality.") % {
        "owed": format_eur(owed)
    }


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
            raise ActionRefused(_("Nothing is to be paid back for this initiative."))
        if amount_cents <= 0 or amount_cents > due:
            raise ActionRefused(
                _("Enter an amount of more than zero and at most %(due)s (still to be paid back).")
                % {"due": format_eur(due)}
            )
        # the advance came from the initiative's fund(s); book the refund where money was paid
        paid_by_fund = [(fund, fig.refundable) for fund, fig in initiative_funds(initiative)]
        fund = next((f for f, refundable in paid_by_fund if refundable >= amount_cents), None)
        if fund is None:
            raise ActionRefused(_("No fund paid this much to the initiative."))
        before = _state(initiative)
        before["repayment_due_cents"] = due
        text = _("Repayment of “%(title)s” received: %(amount)s.") % {
            "title": initiative.title,
            "amount": format_eur(amount_cents),
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
            action="initiative.repayment",
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
            % {"title": initiative.title, "status": initiative.get_status_display()}
        )
    open_cents = initiative_figures(initiative, initiative.fund).open_commitments
    if open_cents <= 0:
        return 0
    before = _state(initiative)
    kind = (
        _("Payment of the amount finally set for “%(title)s”.")
        if initiative.status == Status.COMPLETED
        else _("Advance for “%(title)s”.")
    )
    try:
        _pay(actor, initiative, open_cents, kind % {"title": initiative.title})
    except funds_services.LedgerRefused as refused:
        raise ActionRefused(
            _("“%(title)s”: %(reason)s") % {"title": initiative.title, "reason": refused.message},
            code=refused.code,
        ) from refused
    initiative.save(update_fields=["paid_cents", "updated_at"])
    after = _state(initiative)
    after["paid_by"] = actor.pk
    audit.record(
        actor=actor,
        action="initiative.pay",
        instance=initiative,
        before=before,
        after=after,
    )
    _timeline(
        initiative,
        "pay",
        initiative.status,
        actor,
        _("%(amount)s paid to %(account)s.")
        % {"amount": format_eur(open_cents), "account": mask_iban(initiative.payee_iban)},
    )
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
            raise ActionRefused(_("The account can be given once the initiative is approved."))
        iban = check_iban(iban)
        name = " ".join(name.split())
        if not name:
            raise ActionRefused(_("Enter the name of the account holder."))
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
            action="initiative.payee",
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
        step = _check_step(actor, initiative, "submit_accountability")
        lines = list(initiative.budget_lines.all())
        if set(actual_costs) != {line.pk for line in lines}:
            raise ActionRefused(_("Enter the actual costs of every budget line."))
        if any(cost < 0 for cost in actual_costs.values()):
            raise ActionRefused(_("Actual costs cannot be negative."))
        for line in lines:
            line.actual_cents = actual_costs[line.pk]
        BudgetLine.objects.bulk_update(lines, ["actual_cents"])
        level = (
            accountability_level(initiative.fund.scheme, initiative.granted_cents or 0)
            if initiative.fund
            else ""
        )
        accountability, _created = Accountability.objects.update_or_create(
            initiative=initiative,
            defaults={
                "report": report,
                "took_place": took_place,
                "participants": participants,
                "level": level,
                "submitted_at": timezone.now(),
            },
        )
        before = _state(initiative)
        from_status = initiative.status
        initiative.status = step.target
        initiative.save(update_fields=["status", "updated_at"])
        actual = sum(actual_costs.values())
        _timeline(
            initiative,
            step.action,
            from_status,
            actor,
            _("Actual costs %(actual)s, %(participants)d participants.")
            % {"actual": format_eur(actual), "participants": participants},
        )
        after = _state(initiative)
        after["actual_cents"] = actual
        audit.record(
            actor=actor,
            action="initiative.submit_accountability",
            instance=initiative,
            before=before,
            after=after,
        )
        _mail(initiative, "accounted")
        if initiative.broker_id:
            _mail(initiative, "accounted", recipient_id=initiative.broker_id)
    return accountability


# --- Attachments -----------------------------------------------------------------------------


def attachment_add(
    *, actor: Any, initiative: Initiative, upload: UploadedFile, purpose: str
) -> Attachment:
    if purpose not in AttachmentPurpose.values:
        raise ActionRefused(_("Unknown kind of attachment."))
    if not (
        actor.has_perm("initiatives.change_initiative", initiative)
        or (
            purpose != AttachmentPurpose.APPLICATION
            and actor.has_perm("initiatives.view_private_files", initiative)
            and initiative.status in ("approved", "in_progress", "accounted")
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
            action="initiative.attachment_add",
            instance=initiative,
            after={"attachment": attachment.pk, "name": name, "purpose": purpose},
        )
    return attachment


def attachment_delete(*, actor: Any, attachment: Attachment) -> None:
    initiative = attachment.initiative
    if attachment.uploaded_by_id != actor.pk or initiative.status not in (
        "draft",
        "returned",
        "approved",
        "in_progress",
    ):
        raise PermissionDenied
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="initiative.attachment_delete",
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
            audit.record(actor=actor, action="initiative.support_withdraw", instance=initiative)
            return False
        if not actor.has_perm("initiatives.support_initiative", initiative):
            raise PermissionDenied
        Support.objects.create(initiative=initiative, user=actor)
        Initiative.objects.filter(pk=initiative.pk).update(support_count=F("support_count") + 1)
        audit.record(actor=actor, action="initiative.support", instance=initiative)
        return True


def help_offer_add(*, actor: Any, initiative: Initiative, text: str) -> HelpOffer:
    if not actor.has_perm("initiatives.offer_help", initiative):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ActionRefused(_("Tell what you can do."))
    # Refused when too many: nothing is saved and nobody is mailed.
    ratelimit.limit(actor, "help_offer", mails_to=[initiative.applicant_id])
    with transaction.atomic():
        offer = HelpOffer.objects.create(initiative=initiative, user=actor, text=text)
        audit.record(
            actor=actor, action="initiative.help_offer", instance=initiative, after={"text": text}
        )
        _mail(
            initiative,
            "message",
            note=_("%(name)s offers help: %(text)s")
            % {
                "name": actor.display_name,
                "text": text,
            },
        )
    return offer


def message_post(*, actor: Any, initiative: Initiative, body: str, internal: bool) -> Message:
    if not actor.has_perm("initiatives.converse", initiative):
        raise PermissionDenied
    if internal and not actor.has_perm("initiatives.view_internal", initiative):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise ActionRefused(_("Write a message."))
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
            action="initiative.note" if internal else "initiative.message",
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
