"""Every write to schemes, funds and the ledger.

Ledger services lock the fund row first (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
IMMEDIATE transaction already holds the database's write lock), then sum the ledger, then check
and append. Two approvals at the same moment therefore see each other's entries, and the fund
can never go below zero: the guarantee is the database lock, not the Python check alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.core.audit import record, snapshot
from wijkwerk.core.money import MAX_CENTS, format_money

from . import cases
from .audit_actions import ENTRY_ACTIONS, FundAction
from .models import (
    Category,
    EntryKind,
    Fund,
    LedgerEntry,
    PaymentBatch,
    PaymentInstruction,
    Scheme,
)
from .selectors import (
    Figures,
    case_figures,
    fund_covers_area,
    fund_figures,
    initiative_funds,
)


class Bookable(Protocol):
    """What the ledger books for (an initiative, or a case of a kind registered in
    `funds.cases`), as the funds app sees it.

    The funds app sits below the apps whose objects it pays and knows none of their statuses:
    the object says whether it accepts money now (initiatives declare it with their named sets
    of states, COMMITMENTS_ACCEPTED and PAYMENTS_ACCEPTED). A registered case also has a
    `ledger_title`: what the ledger calls it."""

    pk: Any
    area: Any

    @property
    def accepts_commitments(self) -> bool: ...

    @property
    def accepts_payments(self) -> bool: ...

    def get_status_display(self) -> str:
        """Its status in words, for the refusal's message."""
        ...


class LedgerRefused(ValidationError):
    """A ledger operation that is not allowed; the message says why, for people."""


def _one_case(initiative: Any, case: Any) -> Any:
    """What the money is for: an initiative (`initiative=`) or a case of a kind registered in
    `funds.cases` (`case=`), exactly one."""
    if (initiative is None) == (case is None):
        raise TypeError("Book for an initiative or for a case: exactly one.")
    if case is not None and cases.of(case) is None:
        raise TypeError(f"{type(case).__name__} is not a registered kind of case (funds.cases).")
    return initiative if initiative is not None else case


def _check_amount(amount_cents: Any, *, signed: bool = False) -> int:
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise LedgerRefused(_("An amount is a whole number of cents."), code="not_cents")
    if signed and amount_cents == 0:
        raise LedgerRefused(_("A correction cannot be zero."), code="zero")
    if not signed and amount_cents <= 0:
        raise LedgerRefused(_("The amount must be more than zero."), code="not_positive")
    if abs(amount_cents) > MAX_CENTS:
        raise LedgerRefused(
            _("The amount is too large: at most %(max)s.") % {"max": format_money(MAX_CENTS)},
            code="too_large",
        )
    return amount_cents


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise LedgerRefused(_("Give a reason for this entry."), code="no_reason")
    return reason


def _lock(fund: Fund) -> Fund:
    """The fund row, locked until the end of the transaction."""
    return Fund.objects.select_for_update().get(pk=fund.pk)


def _not_enough(fund: Fund, available: int, asked: int) -> LedgerRefused:
    return LedgerRefused(
        _("Not enough money in fund %(fund)s: available %(available)s, asked %(asked)s.")
        % {"fund": fund.name, "available": format_money(available), "asked": format_money(asked)},
        code="not_enough_money",
    )


def _case_fields(initiative: Any) -> dict[str, Any]:
    """The entry's reference to what the money is for: the initiative foreign key, or the key,
    id and title of a case of a registered kind."""
    if initiative is None:
        return {}
    case_type = cases.of(initiative)
    if case_type is None:
        return {"initiative": initiative}
    title = " ".join(str(initiative.ledger_title).split())[:200]
    return {"case_type": case_type.key, "case_id": initiative.pk, "case_title": title}


def _append(
    *,
    actor: Any,
    fund: Fund,
    initiative: Any,
    kind: EntryKind,
    amount_cents: int,
    reason: str,
    before: Figures,
    initiative_before: Figures | None,
) -> LedgerEntry:
    """Append the entry and record it. `initiative` is what the money is for: an initiative, a
    case of a registered kind, or None (a correction)."""
    case_type = cases.of(initiative) if initiative is not None else None
    entry = LedgerEntry.objects.create(
        fund=fund,
        kind=kind,
        amount_cents=amount_cents,
        author=actor,
        reason=reason,
        **_case_fields(initiative),
    )
    after = fund_figures(fund)
    after_case = case_figures(initiative, fund) if initiative is not None else None
    # the audit log names an initiative's open money as before; another case's as the case's
    open_field = "initiative_open_cents" if case_type is None else "case_open_cents"
    record(
        actor=actor,
        action=ENTRY_ACTIONS[kind],
        instance=entry,
        before={
            "fund_available_cents": before.available,
            **({open_field: initiative_before.open_commitments} if initiative_before else {}),
        },
        after={
            **snapshot(
                entry,
                ["fund", "case_type", "case_id", "case_title", "kind", "amount_cents", "reason"]
                if case_type is not None
                else ["fund", "initiative", "kind", "amount_cents", "reason"],
            ),
            "fund_available_cents": after.available,
            **({open_field: after_case.open_commitments} if after_case else {}),
        },
    )
    return entry


def _books_for_council(actor: Any, fund: Fund, initiative: Any) -> bool:
    """A council's officer commits the council's decision on its own fund, for an initiative
    addressed to that council (`deciding_council_id`)."""
    return (
        fund.council_id is not None
        and getattr(initiative, "deciding_council_id", None) == fund.council_id
        and actor.has_perm("funds.commit_council_fund", fund)
    )


def _check_may_book(actor: Any, fund: Fund, initiative: Any, *, council: bool = False) -> None:
    case_type = cases.of(initiative)
    if case_type is not None:
        # a case of another kind: its own app's policy says who books for it
        if not actor.has_perm(case_type.permission, initiative):
            raise PermissionDenied(_("You may not book money for this case."))
    elif not (
        actor.has_perm("funds.book_for_initiative", initiative)
        or (council and _books_for_council(actor, fund, initiative))
    ):
        raise PermissionDenied(_("You may not book money for this initiative."))
    if initiative.area.municipality_id != fund.municipality_id:
        raise LedgerRefused(
            _("Fund %(fund)s belongs to another municipality.") % {"fund": fund.name},
            code="other_municipality",
        )


def _status_label(initiative: Bookable) -> str:
    return str(initiative.get_status_display())


def _check_may_commit(initiative: Bookable) -> None:
    if not initiative.accepts_commitments:
        message = (
            _("No money can be committed to an initiative with status %(status)s.")
            if cases.of(initiative) is None
            else _("No money can be committed to this case: its status is %(status)s.")
        )
        raise LedgerRefused(
            message % {"status": _status_label(initiative)}, code="initiative_status"
        )


def _check_may_pay(initiative: Bookable) -> None:
    if not initiative.accepts_payments:
        message = (
            _("No money can be paid to an initiative with status %(status)s.")
            if cases.of(initiative) is None
            else _("No money can be paid for this case: its status is %(status)s.")
        )
        raise LedgerRefused(
            message % {"status": _status_label(initiative)}, code="initiative_status"
        )


def commit(
    *,
    actor: Any,
    fund: Fund,
    initiative: Any = None,
    case: Any = None,
    amount_cents: int,
    reason: str,
) -> LedgerEntry:
    """Reserve money for an approved initiative (toekenning), or for a case of a registered kind
    (`funds.cases`; the scheme's maximum per initiative does not apply to it: its own app keeps
    it within what was agreed)."""
    initiative = _one_case(initiative, case)
    amount_cents = _check_amount(amount_cents)
    reason = _check_reason(reason)
    _check_may_book(actor, fund, initiative, council=True)
    _check_may_commit(initiative)
    with transaction.atomic():
        fund = _lock(fund)
        if not fund.is_active:
            raise LedgerRefused(
                _("Fund %(fund)s is closed.") % {"fund": fund.name}, code="fund_inactive"
            )
        if not fund_covers_area(fund, initiative.area):
            raise LedgerRefused(
                _("Fund %(fund)s does not cover %(area)s.")
                % {"fund": fund.name, "area": initiative.area.name},
                code="area_not_covered",
            )
        before = fund_figures(fund)
        mine = case_figures(initiative, fund)
        granted = mine.committed - mine.released
        maximum = fund.scheme.max_per_initiative_cents
        if cases.of(initiative) is None and granted + amount_cents > maximum:
            raise LedgerRefused(
                _(
                    "%(scheme)s grants at most %(max)s per initiative; this initiative already "
                    "has %(granted)s."
                )
                % {
                    "scheme": fund.scheme.name,
                    "max": format_money(maximum),
                    "granted": format_money(granted),
                },
                code="above_scheme_maximum",
            )
        if amount_cents > before.available:
            raise _not_enough(fund, before.available, amount_cents)
        return _append(
            actor=actor,
            fund=fund,
            initiative=initiative,
            kind=EntryKind.COMMITMENT,
            amount_cents=amount_cents,
            reason=reason,
            before=before,
            initiative_before=mine,
        )


def _check_second_official(actor: Any, fund: Fund, initiative: Any) -> None:
    """Four eyes: above the scheme's threshold the official who granted the money does not pay
    it out (the grant, not the payment, counts, so splitting a payment does not get round it)."""
    approved_by = getattr(initiative, "approved_by_id", None)
    if approved_by is None or approved_by != actor.pk:
        return
    if (initiative.granted_cents or 0) > fund.scheme.second_official_above_cents:
        raise LedgerRefused(
            _(
                "You approved this grant, so another official pays it out (scheme %(scheme)s: "
                "grants above %(threshold)s)."
            )
            % {
                "scheme": fund.scheme.name,
                "threshold": format_money(fund.scheme.second_official_above_cents),
            },
            code="same_official",
        )


def pay(
    *,
    actor: Any,
    fund: Fund,
    initiative: Any = None,
    case: Any = None,
    amount_cents: int,
    reason: str,
    payee_iban: str,
    payee_name: str,
) -> LedgerEntry:
    """Pay out (part of) what is committed to the initiative (uitbetaling), to the payee's
    account; the instruction joins the fund's next payment batch."""
    initiative = _one_case(initiative, case)
    amount_cents = _check_amount(amount_cents)
    reason = _check_reason(reason)
    _check_may_book(actor, fund, initiative)
    _check_may_pay(initiative)
    if not payee_iban or not payee_name:
        raise LedgerRefused(
            _("No account to pay to: the applicant has not given an IBAN and account holder."),
            code="no_payee",
        )
    with transaction.atomic():
        fund = Fund.objects.select_for_update().select_related("scheme").get(pk=fund.pk)
        _check_second_official(actor, fund, initiative)
        fund = _lock(fund)
        before = fund_figures(fund)
        mine = case_figures(initiative, fund)
        if amount_cents > mine.open_commitments:
            raise LedgerRefused(
                _(
                    "Cannot pay %(asked)s: only %(open)s is committed and not yet paid for this "
                    "initiative in fund %(fund)s."
                )
                % {
                    "asked": format_money(amount_cents),
                    "open": format_money(mine.open_commitments),
                    "fund": fund.name,
                },
                code="more_than_committed",
            )
        entry = _append(
            actor=actor,
            fund=fund,
            initiative=initiative,
            kind=EntryKind.PAYMENT,
            amount_cents=amount_cents,
            reason=reason,
            before=before,
            initiative_before=mine,
        )
        PaymentInstruction.objects.create(entry=entry, payee_iban=payee_iban, payee_name=payee_name)
        return entry


def release(
    *,
    actor: Any,
    fund: Fund,
    initiative: Any = None,
    case: Any = None,
    amount_cents: int,
    reason: str,
) -> LedgerEntry:
    """Give an unspent commitment back to the fund (vrijval)."""
    initiative = _one_case(initiative, case)
    amount_cents = _check_amount(amount_cents)
    reason = _check_reason(reason)
    _check_may_book(actor, fund, initiative)
    with transaction.atomic():
        fund = _lock(fund)
        before = fund_figures(fund)
        mine = case_figures(initiative, fund)
        if amount_cents > mine.open_commitments:
            raise LedgerRefused(
                _(
                    "Cannot release %(asked)s: only %(open)s is committed and not yet paid for "
                    "this initiative in fund %(fund)s."
                )
                % {
                    "asked": format_money(amount_cents),
                    "open": format_money(mine.open_commitments),
                    "fund": fund.name,
                },
                code="more_than_open",
            )
        return _append(
            actor=actor,
            fund=fund,
            initiative=initiative,
            kind=EntryKind.RELEASE,
            amount_cents=amount_cents,
            reason=reason,
            before=before,
            initiative_before=mine,
        )


def release_open_commitments(*, actor: Any, initiative: Any, reason: str) -> list[LedgerEntry]:
    """Release whatever is still committed and unpaid for the initiative, in every fund.

    For a withdrawal, or when accountability is accepted and less was spent than was paid out.
    """
    entries = []
    with transaction.atomic():
        for fund, figures in initiative_funds(initiative):
            if figures.open_commitments > 0:
                entries.append(
                    release(
                        actor=actor,
                        fund=fund,
                        initiative=initiative,
                        amount_cents=figures.open_commitments,
                        reason=reason,
                    )
                )
    return entries


def refund(
    *,
    actor: Any,
    fund: Fund,
    initiative: Any = None,
    case: Any = None,
    amount_cents: int,
    reason: str,
) -> LedgerEntry:
    """Money an initiative paid back to the fund (terugbetaling)."""
    initiative = _one_case(initiative, case)
    amount_cents = _check_amount(amount_cents)
    reason = _check_reason(reason)
    _check_may_book(actor, fund, initiative)
    with transaction.atomic():
        fund = _lock(fund)
        before = fund_figures(fund)
        mine = case_figures(initiative, fund)
        if amount_cents > mine.refundable:
            raise LedgerRefused(
                _(
                    "Cannot book a refund of %(asked)s: %(paid)s was paid to this initiative "
                    "from fund %(fund)s and not yet paid back."
                )
                % {
                    "asked": format_money(amount_cents),
                    "paid": format_money(mine.refundable),
                    "fund": fund.name,
                },
                code="more_than_paid",
            )
        return _append(
            actor=actor,
            fund=fund,
            initiative=initiative,
            kind=EntryKind.REFUND,
            amount_cents=amount_cents,
            reason=reason,
            before=before,
            initiative_before=mine,
        )


def correct(
    *, actor: Any, fund: Fund, amount_cents: int, reason: str, initiative: Any = None
) -> LedgerEntry:
    """A signed correction of what is available (a booking error, a budget transfer).

    Only the municipality's admin corrects; a negative correction cannot take more than is
    available. `initiative` only records what the correction is about.
    """
    amount_cents = _check_amount(amount_cents, signed=True)
    reason = _check_reason(reason)
    if not actor.has_perm("funds.manage_fund", fund):
        raise PermissionDenied(_("Only the municipality's administrator corrects a fund."))
    with transaction.atomic():
        fund = _lock(fund)
        before = fund_figures(fund)
        if amount_cents < 0 and -amount_cents > before.available:
            raise _not_enough(fund, before.available, -amount_cents)
        return _append(
            actor=actor,
            fund=fund,
            initiative=initiative,
            kind=EntryKind.CORRECTION,
            amount_cents=amount_cents,
            reason=reason,
            before=before,
            initiative_before=None,
        )


def payment_batch_create(*, actor: Any, fund: Fund) -> PaymentBatch:
    """Put every payment of the fund that is not in a batch yet into a new one, to hand to the
    bank (CSV and SEPA credit transfer). The instructions are locked, so two officials making a
    batch at the same moment cannot put one payment in both."""
    if not actor.has_perm("funds.manage_fund", fund):
        raise PermissionDenied(_("Only the municipality's administrator makes payment batches."))
    with transaction.atomic():
        fund = _lock(fund)
        instructions = list(
            PaymentInstruction.objects.select_for_update()
            .filter(entry__fund=fund, batch__isnull=True)
            .select_related("entry")
        )
        if not instructions:
            raise LedgerRefused(
                _("There are no payments of fund %(fund)s that are not in a batch yet.")
                % {"fund": fund.name},
                code="no_payments",
            )
        now = timezone.now()
        batch = PaymentBatch.objects.create(
            fund=fund,
            # SEPA allows 35 characters of a limited set: letters, digits and hyphens are safe.
            reference=f"WW-{fund.pk}-{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}",
            created_by=actor,
            total_cents=sum(i.entry.amount_cents for i in instructions),
            count=len(instructions),
        )
        PaymentInstruction.objects.filter(pk__in=[i.pk for i in instructions]).update(batch=batch)
        record(
            actor=actor,
            action=FundAction.PAYMENT_BATCH_CREATE,
            instance=batch,
            after={
                **snapshot(batch, ["fund", "reference", "total_cents", "count"]),
                "entries": [i.entry_id for i in instructions],
            },
        )
    return batch


# Schemes, categories and funds: configuration, written by the municipality's admin.

SCHEME_FIELDS = [
    "municipality",
    "name",
    "description",
    "max_per_initiative_cents",
    "min_applicant_age",
    "applicant_must_live_in_area",
    "legal_entity_above_cents",
    "required_cosigners",
    "cosigner_min_age",
    "cosigners_must_live_in_area",
    "required_online_supporters",
    "lead_time_days",
    "decision_term_weeks",
    "settle_at_once_below_cents",
    "report_up_to_cents",
    "second_official_above_cents",
    "is_active",
]
FUND_FIELDS = [
    "municipality",
    "scheme",
    "name",
    "year",
    "amount_cents",
    "purpose",
    "is_active",
    "council",
    "payment_iban",
    "payment_bic",
]


def _check_admin(actor: Any, obj: Any) -> None:
    if not actor.has_perm("funds.manage_fund", obj):
        raise PermissionDenied(_("Only the municipality's administrator manages funds."))


def save_scheme(
    *, actor: Any, scheme: Scheme, categories: Iterable[Category] | None = None
) -> Scheme:
    """Create or update a scheme (the instance carries the new values)."""
    _check_admin(actor, scheme)
    with transaction.atomic():
        before = None
        if scheme.pk is not None:
            before = snapshot(Scheme.objects.get(pk=scheme.pk), SCHEME_FIELDS)
        scheme.full_clean()
        scheme.save()
        if categories is not None:
            scheme.categories.set(categories)
        after = snapshot(scheme, SCHEME_FIELDS)
        after["categories"] = sorted(scheme.categories.values_list("pk", flat=True))
        record(
            actor=actor,
            action=FundAction.SCHEME_CREATE if before is None else FundAction.SCHEME_UPDATE,
            instance=scheme,
            before=before,
            after=after,
        )
    return scheme


def save_category(*, actor: Any, category: Category) -> Category:
    _check_admin(actor, category)
    with transaction.atomic():
        before = None
        if category.pk is not None:
            before = snapshot(Category.objects.get(pk=category.pk))
        category.full_clean()
        category.save()
        record(
            actor=actor,
            action=FundAction.CATEGORY_CREATE if before is None else FundAction.CATEGORY_UPDATE,
            instance=category,
            before=before,
            after=snapshot(category),
        )
    return category


def save_fund(*, actor: Any, fund: Fund, areas: Iterable[Any] | None = None) -> Fund:
    """Create or update a fund. Lowering its amount below what is committed is refused."""
    _check_admin(actor, fund)
    if fund.scheme.municipality_id != fund.municipality_id:
        raise LedgerRefused(
            _("The scheme belongs to another municipality."), code="scheme_other_municipality"
        )
    council = fund.council if fund.council_id is not None else None
    if council is not None and council.area.municipality_id != fund.municipality_id:
        raise LedgerRefused(
            _("The council belongs to another municipality."), code="council_other_municipality"
        )
    area_list = list(areas) if areas is not None else None
    if area_list and any(a.municipality_id != fund.municipality_id for a in area_list):
        raise LedgerRefused(
            _("Every area must belong to the fund's municipality."), code="area_other_municipality"
        )
    with transaction.atomic():
        before = None
        if fund.pk is not None:
            old = _lock(fund)
            before = snapshot(old, FUND_FIELDS)
            before["areas"] = sorted(old.areas.values_list("pk", flat=True))
            figures = fund_figures(old)
            shortfall = old.amount_cents - fund.amount_cents
            if shortfall > figures.available:
                raise LedgerRefused(
                    _(
                        "The amount cannot be lowered by %(lower)s: only %(available)s of fund "
                        "%(fund)s is not committed."
                    )
                    % {
                        "lower": format_money(shortfall),
                        "available": format_money(figures.available),
                        "fund": old.name,
                    },
                    code="not_enough_money",
                )
        fund.full_clean()
        fund.save()
        if area_list is not None:
            fund.areas.set(area_list)
        after = snapshot(fund, FUND_FIELDS)
        after["areas"] = sorted(fund.areas.values_list("pk", flat=True))
        record(
            actor=actor,
            action=FundAction.FUND_CREATE if before is None else FundAction.FUND_UPDATE,
            instance=fund,
            before=before,
            after=after,
        )
    return fund
