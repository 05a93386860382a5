"""Every write about challenges: one transaction each, the policy check, the workflow's step,
an audit event and the submitter's mail (queued on commit).

Money: the ledger books for a challenge as a case of its own (registered in `apps.py` as the
case type "challenge" of `funds.cases`). A commitment is a ledger commitment for the challenge
(`funds.services.commit`: under the fund's row lock, so the fund can never go below zero), a
payment a ledger payment against it (`funds.services.pay`, to the organisation's account: it
joins the fund's next payment batch); each is kept as a `Booking` beside its entry. Neither may
exceed the agreement's budget or what was committed.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.areas.models import Area
from wijkwerk.core import audit, ratelimit
from wijkwerk.core.audit import snapshot
from wijkwerk.core.language import site_language
from wijkwerk.core.money import MAX_CENTS, format_money
from wijkwerk.funds import services as ledger
from wijkwerk.funds.models import Fund
from wijkwerk.funds.selectors import case_figures, case_funds, fund_covers_area
from wijkwerk.initiatives.uploads import check_upload

from . import decisions
from .audit_actions import ChallengeAction
from .models import (
    KVK_VALIDATOR,
    Agreement,
    AttachmentPurpose,
    Booking,
    BookingKind,
    Challenge,
    ChallengeAttachment,
    ChallengeSettings,
    LegalForm,
    ProgressReport,
    TermUnit,
)
from .notifications import notify_step
from .refusals import ChallengeRefused
from .states import BOOKABLE, REPORTABLE, Status
from .workflow import WORKFLOW

# The proposal's fields a submitter writes, and the longest text each may be.
PROPOSAL_FIELDS = {
    "title": 150,
    "organisation_name": 150,
    "legal_form": 20,
    "kvk_number": 30,  # checked for its 8 digits below
    "task": 5000,
    "why_better": 5000,
    "experience": 5000,
    "support": 5000,
    "cooperation": 5000,
    "continuity": 5000,
}
MAX_TEXT = 5000


def _lock(challenge: Challenge) -> Challenge:
    locked = (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("area__parent__parent", "area__municipality", "submitter")
        .get(pk=challenge.pk)
    )
    return locked


def _check_amount(value: Any, label: str, *, allow_zero: bool = True) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ChallengeRefused(
            _("%(field)s: an amount is a whole number of cents.") % {"field": label},
            code="amount_invalid",
        )
    if value < 0 or (value == 0 and not allow_zero):
        raise ChallengeRefused(
            _("%(field)s cannot be below zero.") % {"field": label}
            if value < 0
            else _("%(field)s must be more than zero.") % {"field": label},
            code="amount_negative",
        )
    if value > MAX_CENTS:
        raise ChallengeRefused(
            _("%(field)s is too large: at most %(max)s.")
            % {"field": label, "max": format_money(MAX_CENTS)},
            code="amount_too_large",
        )
    return value


def _clean_proposal(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, limit in PROPOSAL_FIELDS.items():
        value = str(data.get(name) or "").strip()
        if len(value) > limit:
            field = getattr(Challenge._meta.get_field(name), "verbose_name", name)
            raise ChallengeRefused(
                _("%(field)s is too long: at most %(max)d characters.")
                % {"field": str(field).capitalize(), "max": limit},
                code="too_long",
            )
        clean[name] = value
    if not clean["title"]:
        raise ChallengeRefused(_("Give the proposal a title."), code="title_required")
    if clean["legal_form"] and clean["legal_form"] not in LegalForm.values:
        raise ChallengeRefused(_("Choose a legal form from the list."), code="legal_form")
    clean["kvk_number"] = clean["kvk_number"].replace(" ", "").replace(".", "")
    if clean["kvk_number"]:
        try:
            KVK_VALIDATOR(clean["kvk_number"])
        except Exception as error:
            raise ChallengeRefused(
                _("A KvK number has exactly 8 digits."), code="kvk_invalid"
            ) from error
    estimate = data.get("cost_estimate_cents")
    clean["cost_estimate_cents"] = (
        None if estimate is None else _check_amount(estimate, _("Cost estimate"))
    )
    signatures = data.get("support_signatures")
    if signatures is not None and (
        isinstance(signatures, bool) or not isinstance(signatures, int) or signatures < 0
    ):
        raise ChallengeRefused(
            _("The number of signatures is a whole number of zero or more."), code="signatures"
        )
    if signatures is not None and signatures > 1_000_000:
        raise ChallengeRefused(_("The number of signatures is too large."), code="signatures")
    clean["support_signatures"] = signatures
    return clean


def _check_areas(area: Area, other_areas: Iterable[Area]) -> list[Area]:
    others = [other for other in other_areas if other.pk != area.pk]
    if any(other.municipality_id != area.municipality_id for other in others):
        raise ChallengeRefused(
            _("All areas concerned must lie in the same municipality."), code="areas_municipality"
        )
    return others


# --- The proposal --------------------------------------------------------------------------


def challenge_create(
    *, actor: Any, area: Area, data: dict[str, Any], other_areas: Iterable[Area] = ()
) -> Challenge:
    """A new proposal (a draft) by a logged-in resident on behalf of an organisation."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    clean = _clean_proposal(data)
    others = _check_areas(area, other_areas)
    ratelimit.limit(actor, "challenge")  # anyone with an account can post one
    with transaction.atomic():
        challenge = Challenge.objects.create(area=area, submitter=actor, **clean)
        challenge.other_areas.set(others)
        audit.record(
            actor=actor,
            action=ChallengeAction.CREATE,
            instance=challenge,
            after=snapshot(challenge, ["title", "organisation_name", "area"]),
        )
    return challenge


def challenge_update(
    *,
    actor: Any,
    challenge: Challenge,
    area: Area,
    data: dict[str, Any],
    other_areas: Iterable[Area] = (),
) -> Challenge:
    if not actor.has_perm("challenges.change_challenge", challenge):
        raise PermissionDenied
    clean = _clean_proposal(data)
    others = _check_areas(area, other_areas)
    with transaction.atomic():
        challenge = _lock(challenge)
        if not actor.has_perm("challenges.change_challenge", challenge):
            raise PermissionDenied
        before = snapshot(challenge, list(clean))
        for name, value in clean.items():
            setattr(challenge, name, value)
        challenge.area = area
        challenge.save()
        challenge.other_areas.set(others)
        after = snapshot(challenge, list(clean))
        audit.record(
            actor=actor,
            action=ChallengeAction.SAVE_DRAFT,
            instance=challenge,
            before={k: v for k, v in before.items() if after.get(k) != v},
            after={k: v for k, v in after.items() if before.get(k) != v},
        )
    return challenge


def attachment_add(
    *, actor: Any, challenge: Challenge, upload: UploadedFile, purpose: str
) -> ChallengeAttachment:
    """A file with the proposal (evidence of support, or another document), while a draft."""
    if purpose not in AttachmentPurpose.values:
        raise ChallengeRefused(_("Unknown kind of attachment."), code="unknown_purpose")
    if not actor.has_perm("challenges.change_challenge", challenge):
        raise PermissionDenied
    checked = check_upload(upload)
    name = (upload.name or "").rsplit("/", 1)[-1][:200] or "upload"
    with transaction.atomic():
        attachment = ChallengeAttachment(
            challenge=challenge,
            purpose=purpose,
            token=secrets.token_hex(16),
            extension=checked.extension,
            original_name=name,
            content_type=checked.content_type,
            size=checked.size,
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
            action=ChallengeAction.ATTACHMENT_ADD,
            instance=challenge,
            after={"attachment": attachment.pk, "name": name, "purpose": purpose},
        )
    return attachment


def settings_for(municipality: Any) -> ChallengeSettings:
    """The municipality's settings (the defaults, unsaved, until its administrator sets them)."""
    found = ChallengeSettings.objects.filter(municipality_id=municipality.pk).first()
    return found or ChallengeSettings(municipality=municipality)


def settings_save(
    *, actor: Any, municipality: Any, decision_term: int, term_unit: str
) -> ChallengeSettings:
    from wijkwerk.accounts.models import Role
    from wijkwerk.accounts.roles import role_index

    if not (
        getattr(actor, "is_superuser", False)
        or role_index(actor).holds_for_municipality(Role.ADMIN, municipality.pk)
    ):
        raise PermissionDenied
    if term_unit not in TermUnit.values:
        raise ChallengeRefused(_("Choose days or weeks."), code="term_unit")
    if isinstance(decision_term, bool) or not isinstance(decision_term, int):
        raise ChallengeRefused(_("The term is a whole number."), code="term")
    if not 1 <= decision_term <= 365:
        raise ChallengeRefused(_("The term is at least 1 and at most 365."), code="term")
    with transaction.atomic():
        current = settings_for(municipality)
        before = snapshot(current, ["decision_term", "term_unit"]) if current.pk else None
        current.decision_term = decision_term
        current.term_unit = term_unit
        current.save()
        audit.record(
            actor=actor,
            action=ChallengeAction.SETTINGS,
            instance=current,
            before=before,
            after=snapshot(current, ["decision_term", "term_unit"]),
            municipality_id=municipality.pk,
        )
    return current


def challenge_submit(*, actor: Any, challenge: Challenge) -> Challenge:
    """Submit the proposal: all seven items and the legal entity, or a message for each that is
    missing; the decision term of the municipality starts."""
    with transaction.atomic():
        challenge = _lock(challenge)
        term = settings_for(challenge.area.municipality).term_days
        WORKFLOW.take(actor, challenge, "submit", term_days=term)
        challenge.save()
        audit.record(
            actor=actor,
            action=ChallengeAction.SUBMIT,
            instance=challenge,
            after=snapshot(challenge, ["status", "submitted_at", "decision_due_on"]),
        )
        notify_step(challenge, "submitted")
    return challenge


# --- Decisions and steps ---------------------------------------------------------------------

STEP_ACTIONS = {
    "admit": ChallengeAction.ADMIT,
    "refuse": ChallengeAction.REFUSE,
    "open_dialogue": ChallengeAction.OPEN_DIALOGUE,
    "agree": ChallengeAction.AGREE,
    "start": ChallengeAction.START,
    "complete": ChallengeAction.COMPLETE,
    "end": ChallengeAction.END,
}
# The mail each step sends the submitter.
STEP_MAILS = {
    "admit": "admitted",
    "refuse": "not_admitted",
    "start": "running",
    "complete": "completed",
    "end": "ended",
}


def challenge_decide(
    *,
    actor: Any,
    challenge: Challenge,
    action: str,
    reasons: str,
    decided_on: datetime.date | None = None,
    entity_confirmed: bool = False,
) -> Challenge:
    """The admissibility decision (`admit` or `refuse`): with reasons, dated between the
    submission and today; after the term it is still taken, and recorded and shown as late."""
    if action not in decisions.KINDS:
        raise ChallengeRefused(_("This step does not exist."), code="unknown_step")
    reasons = (reasons or "").strip()
    if len(reasons) > MAX_TEXT:
        raise ChallengeRefused(
            _("The reasons are too long: at most %(max)d characters.") % {"max": MAX_TEXT},
            code="too_long",
        )
    with transaction.atomic():
        challenge = _lock(challenge)
        WORKFLOW.take(
            actor,
            challenge,
            action,
            reasons=reasons,
            decided_on=decided_on,
            entity_confirmed=entity_confirmed,
        )
        challenge.save()
        decision = decisions.decision_record(
            actor=actor, challenge=challenge, action=action, reasons=reasons
        )
        audit.record(
            actor=actor,
            action=STEP_ACTIONS[action],
            instance=challenge,
            after={
                **snapshot(challenge, ["status", "decided_on", "decided_late"]),
                "reasons": reasons,
            },
        )
        notify_step(challenge, STEP_MAILS[action], decision=decision)
    return challenge


def challenge_step(
    *, actor: Any, challenge: Challenge, action: str, reasons: str = ""
) -> Challenge:
    """A step without a page of its own: start the dialogue, mark as running or completed, or
    end the challenge (with reasons)."""
    if action in ("submit", "admit", "refuse", "agree"):
        raise ChallengeRefused(_("This step has its own page."), code="own_form")
    reasons = (reasons or "").strip()
    if len(reasons) > MAX_TEXT:
        raise ChallengeRefused(
            _("The reasons are too long: at most %(max)d characters.") % {"max": MAX_TEXT},
            code="too_long",
        )
    with transaction.atomic():
        challenge = _lock(challenge)
        WORKFLOW.take(actor, challenge, action, reasons=reasons)
        challenge.save()
        audit.record(
            actor=actor,
            action=STEP_ACTIONS[action],
            instance=challenge,
            after={**snapshot(challenge, ["status"]), **({"reasons": reasons} if reasons else {})},
        )
        if action in STEP_MAILS:
            notify_step(challenge, STEP_MAILS[action], note=reasons)
    return challenge


def agreement_record(
    *,
    actor: Any,
    challenge: Challenge,
    tasks: str,
    result: str,
    parties: str,
    budget_cents: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    report_every_months: int,
) -> Agreement:
    """The agreement after the dialogue: tasks, intended result, who does what, budget, term
    and how often the organisation reports; the challenge is then `agreed`."""
    texts = {
        "tasks": (tasks or "").strip(),
        "result": (result or "").strip(),
        "parties": (parties or "").strip(),
    }
    labels = {"tasks": _("Tasks"), "result": _("Intended result"), "parties": _("Who does what")}
    missing = [
        _("Fill in: %(field)s.") % {"field": labels[name]}
        for name, value in texts.items()
        if not value
    ]
    if missing:
        raise ChallengeRefused(missing, code="agreement_incomplete")
    for name, value in texts.items():
        if len(value) > MAX_TEXT:
            raise ChallengeRefused(
                _("%(field)s is too long: at most %(max)d characters.")
                % {"field": labels[name], "max": MAX_TEXT},
                code="too_long",
            )
    budget_cents = _check_amount(budget_cents, _("Budget"))
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        raise ChallengeRefused(_("Give the start and the end of the term."), code="term_required")
    if ends_on < starts_on:
        raise ChallengeRefused(
            _("The end of the term cannot be before its start."), code="term_order"
        )
    if (
        isinstance(report_every_months, bool)
        or not isinstance(report_every_months, int)
        or not (1 <= report_every_months <= 12)
    ):
        raise ChallengeRefused(_("Report every 1 to 12 months."), code="report_frequency")
    with transaction.atomic():
        challenge = _lock(challenge)
        WORKFLOW.take(actor, challenge, "agree")
        agreement = Agreement.objects.create(
            challenge=challenge,
            budget_cents=budget_cents,
            starts_on=starts_on,
            ends_on=ends_on,
            report_every_months=report_every_months,
            made_by=actor,
            **texts,
        )
        challenge.save()
        audit.record(
            actor=actor,
            action=ChallengeAction.AGREE,
            instance=challenge,
            after={
                "status": challenge.status,
                "budget_cents": budget_cents,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
        )
        notify_step(challenge, "agreed")
    return agreement


# --- Money -------------------------------------------------------------------------------------


def money_figures(challenge: Challenge) -> dict[str, int]:
    """Committed (less what was given back) and paid for the challenge, from the ledger over
    all funds (one query)."""
    figures = case_figures(challenge)
    return {
        "committed": figures.committed - figures.released,
        "paid": figures.paid,
        "open": figures.open_commitments,
    }


def _check_bookable(actor: Any, challenge: Challenge) -> Agreement:
    if not actor.has_perm("challenges.book_money", challenge):
        raise PermissionDenied
    if challenge.status not in BOOKABLE:
        raise ChallengeRefused(
            _("Money is booked only for a challenge with an agreement that has not ended."),
            code="not_bookable",
        )
    agreement = Agreement.objects.filter(challenge_id=challenge.pk).first()
    if agreement is None:
        raise ChallengeRefused(_("Record the agreement first."), code="no_agreement")
    return agreement


def money_commit(*, actor: Any, challenge: Challenge, fund: Fund, amount_cents: int) -> Booking:
    """Commit part of the agreement's budget from a fund: never more than the budget, never
    more than the fund has available."""
    amount_cents = _check_amount(amount_cents, _("Amount"), allow_zero=False)
    with transaction.atomic():
        challenge = _lock(challenge)
        agreement = _check_bookable(actor, challenge)
        if fund.municipality_id != challenge.area.municipality_id:
            raise ChallengeRefused(
                _("Fund %(fund)s belongs to another municipality.") % {"fund": fund.name},
                code="other_municipality",
            )
        if not fund_covers_area(fund, challenge.area):
            raise ChallengeRefused(
                _("Fund %(fund)s does not cover %(area)s.")
                % {"fund": fund.name, "area": challenge.area.name},
                code="area_not_covered",
            )
        if not fund.is_active:
            raise ChallengeRefused(
                _("Fund %(fund)s is closed.") % {"fund": fund.name}, code="fund_inactive"
            )
        figures = money_figures(challenge)
        if figures["committed"] + amount_cents > agreement.budget_cents:
            raise ChallengeRefused(
                _(
                    "Cannot commit %(asked)s: the agreement's budget is %(budget)s and "
                    "%(committed)s is committed already."
                )
                % {
                    "asked": format_money(amount_cents),
                    "budget": format_money(agreement.budget_cents),
                    "committed": format_money(figures["committed"]),
                },
                code="above_budget",
            )
        with site_language():
            reason = _("Right to challenge: “%(title)s” (%(organisation)s)") % {
                "title": challenge.title,
                "organisation": challenge.organisation_name,
            }
        entry = ledger.commit(
            actor=actor, fund=fund, case=challenge, amount_cents=amount_cents, reason=reason
        )
        booking = Booking.objects.create(
            challenge=challenge,
            fund=fund,
            kind=BookingKind.COMMITMENT,
            amount_cents=amount_cents,
            ledger_entry=entry,
            note=reason[:200],
            booked_by=actor,
        )
        audit.record(
            actor=actor,
            action=ChallengeAction.COMMIT,
            instance=challenge,
            after={
                "booking": booking.pk,
                "fund": fund.pk,
                "amount_cents": amount_cents,
            },
        )
    return booking


def money_pay(
    *,
    actor: Any,
    challenge: Challenge,
    amount_cents: int,
    note: str,
    payee_iban: str,
    payee_name: str,
) -> Booking:
    """Pay the organisation (to its account) of what was committed (never more): a ledger
    payment from the fund with money committed and not yet paid (the oldest such fund first)."""
    amount_cents = _check_amount(amount_cents, _("Amount"), allow_zero=False)
    note = (note or "").strip()
    if not note:
        raise ChallengeRefused(_("Say what the payment is for."), code="note_required")
    if len(note) > 200:
        raise ChallengeRefused(
            _("The description is too long: at most 200 characters."), code="too_long"
        )
    with transaction.atomic():
        challenge = _lock(challenge)
        _check_bookable(actor, challenge)
        figures = money_figures(challenge)
        if amount_cents > figures["open"]:
            raise ChallengeRefused(
                _("Cannot pay %(asked)s: only %(open)s is committed and not yet paid.")
                % {"asked": format_money(amount_cents), "open": format_money(figures["open"])},
                code="more_than_committed",
            )
        fund = next(
            (fund for fund, mine in case_funds(challenge) if mine.open_commitments >= amount_cents),
            None,
        )
        if fund is None:
            raise ChallengeRefused(
                _(
                    "Cannot pay %(asked)s from one fund: the money committed and not yet paid "
                    "is spread over several funds. Pay it in parts, one per fund."
                )
                % {"asked": format_money(amount_cents)},
                code="more_than_committed",
            )
        entry = ledger.pay(
            actor=actor,
            fund=fund,
            case=challenge,
            amount_cents=amount_cents,
            reason=note,
            payee_iban=payee_iban,
            payee_name=payee_name,
        )
        booking = Booking.objects.create(
            challenge=challenge,
            fund=fund,
            kind=BookingKind.PAYMENT,
            amount_cents=amount_cents,
            ledger_entry=entry,
            note=note,
            booked_by=actor,
        )
        audit.record(
            actor=actor,
            action=ChallengeAction.PAY,
            instance=challenge,
            after={"booking": booking.pk, "amount_cents": amount_cents, "reasons": note},
        )
    return booking


# --- Progress --------------------------------------------------------------------------------


def report_add(
    *,
    actor: Any,
    challenge: Challenge,
    text: str,
    spent_cents: int = 0,
    hours: int | None = None,
    residents_reached: int | None = None,
) -> ProgressReport:
    """The organisation's progress report, while the challenge runs: text and figures."""
    if not actor.has_perm("challenges.report_progress", challenge):
        raise PermissionDenied
    text = (text or "").strip()
    spent_cents = _check_amount(spent_cents, _("Spent so far"))
    for value in (hours, residents_reached):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000_000
        ):
            raise ChallengeRefused(
                _("Hours and residents reached are whole numbers of zero or more."),
                code="figure_invalid",
            )
    with transaction.atomic():
        challenge = _lock(challenge)
        if challenge.status not in REPORTABLE:
            raise ChallengeRefused(
                _("Progress is reported only while the challenge is running; it is %(status)s.")
                % {"status": challenge.get_status_display()},
                code="not_running",
            )
        if not text:
            raise ChallengeRefused(_("Describe what was done."), code="report_empty")
        if len(text) > MAX_TEXT:
            raise ChallengeRefused(
                _("The report is too long: at most %(max)d characters.") % {"max": MAX_TEXT},
                code="too_long",
            )
        report = ProgressReport.objects.create(
            challenge=challenge,
            author=actor,
            text=text,
            spent_cents=spent_cents,
            hours=hours,
            residents_reached=residents_reached,
        )
        audit.record(
            actor=actor,
            action=ChallengeAction.REPORT,
            instance=challenge,
            after={"report": report.pk, "spent_cents": spent_cents},
        )
    return report


def today() -> datetime.date:
    return timezone.localdate()


__all__ = [
    "Status",
    "agreement_record",
    "attachment_add",
    "challenge_create",
    "challenge_decide",
    "challenge_step",
    "challenge_submit",
    "money_commit",
    "money_pay",
    "report_add",
    "settings_save",
]
