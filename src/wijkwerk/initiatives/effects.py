"""What each step of the initiative workflow does besides changing the status.

The transition table (workflow.py) names one effect per step; `Workflow.take` runs it inside the
service's transaction, before the status changes, so that an effect sees the status the step
leaves (the ledger accepts the grant while the initiative is still under review). An effect
refuses with `ActionRefused` (codes in refusals.py), books money only through the funds services,
and tells the service what the timeline says (`move.note`) and what the people mailed are told
(`move.notice`); the service saves, records the audit event and mails. Notes and ledger reasons
are records: written in the site's language (`site_language`), whoever takes the step.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkwerk.accounts.policy import is_area_broker
from wijkwerk.core.language import site_language
from wijkwerk.core.money import format_money
from wijkwerk.core.workflow import Move
from wijkwerk.funds import services as funds_services
from wijkwerk.funds.checks import Cosigner, SchemeProblem, accountability_level, scheme_check
from wijkwerk.funds.models import Fund
from wijkwerk.funds.selectors import fund_covers_area, initiative_figures

from .models import Accountability, BudgetLine, Initiative
from .refusals import ActionRefused
from .selectors import budget_year
from .states import PAYABLE

DEFAULT_DECISION_WEEKS = 8
# What the workflow says when a step's required field is empty (`<field>_required`).
REQUIRED_MESSAGES = {
    "reason": gettext_lazy("Give a reason."),
    "amount": gettext_lazy("Enter the amount granted (more than zero)."),
    "fund": gettext_lazy("Choose the fund the money comes from."),
}


# --- Submitting ------------------------------------------------------------------------------


def lives_in_area(user: Any, initiative: Initiative) -> bool:
    home = user.home_area
    if home is None:
        return False
    return initiative.area_id in home.lineage_ids or home.pk in initiative.area.lineage_ids


def scheme_problems(
    initiative: Initiative,
    *,
    today: datetime.date | None = None,
    co_applicants: Iterable[Any] | None = None,
) -> list[SchemeProblem]:
    """What the scheme says about this application now (empty when it may go ahead);
    `co_applicants` when the caller has them loaded already."""
    if initiative.scheme is None:
        return []
    if co_applicants is None:
        co_applicants = initiative.co_applicants.all()
    return scheme_check(
        initiative.scheme,
        applicant_age=initiative.applicant_age or 0,
        lives_in_area=lives_in_area(initiative.applicant, initiative),
        is_legal_entity=bool(initiative.legal_entity),
        amount_cents=initiative.requested_cents,
        activity_start=initiative.planned_start,
        today=today or timezone.localdate(),
        cosigners=[Cosigner(c.age, c.lives_in_area) for c in co_applicants],
        online_supporters=initiative.support_count,
        category=initiative.category,
    )


def missing_fields(initiative: Initiative) -> list[tuple[str, str]]:
    """The application's gaps that stop it from being submitted: (the form field to fill in,
    the message). The age only where a scheme has a minimum age (or none was chosen yet)."""
    missing = []
    if not initiative.summary.strip():
        missing.append(("summary", _("Write a short summary.")))
    if not initiative.description.strip():
        missing.append(("description", _("Describe your plan.")))
    if initiative.planned_start is None or initiative.planned_end is None:
        missing.append(("planned_start", _("Enter the planned start and end dates.")))
    if initiative.requested_cents <= 0:
        missing.append(("lines", _("Add at least one budget line.")))
    if initiative.scheme is None:
        missing.append(("scheme", _("Choose the scheme you apply under.")))
    # the form refuses these too; submission checks again, as a draft can outlive a move of its
    # area or a change made some other way than through the form
    municipality_id = initiative.area.municipality_id
    if initiative.scheme is not None and initiative.scheme.municipality_id != municipality_id:
        missing.append(("scheme", _("This scheme is not one of the area's municipality.")))
    if initiative.category is not None and initiative.category.municipality_id != municipality_id:
        missing.append(("category", _("This category is not one of the area's municipality.")))
    asks_age = initiative.scheme is None or initiative.scheme.min_applicant_age > 0
    if initiative.applicant_age is None and asks_age:
        missing.append(("applicant_age", _("Enter your age.")))
    return missing


def missing_for_submission(initiative: Initiative) -> list[str]:
    """The application's gaps that stop it from being submitted, as messages."""
    return [message for _field, message in missing_fields(initiative)]


def is_broker_for(user: Any, initiative: Initiative) -> bool:
    """Whether `user` is a broker of the initiative's area (or an area around it)."""
    brokers = get_user_model()._default_manager.filter(is_area_broker.users(initiative))
    return brokers.filter(pk=user.pk).exists()


def submit(move: Move) -> None:
    """The application must be complete and meet its scheme on the day of submission (support
    is gathered later); the decision term starts."""
    initiative: Initiative = move.obj
    problems = [
        ValidationError(text, code="incomplete") for text in missing_for_submission(initiative)
    ]
    # The lead time is checked against the day of submission; the decision term too.
    problems += [
        ValidationError(str(p), code=p.code)
        for p in scheme_problems(initiative)
        if p.field != "support"
    ]
    if problems:
        raise ActionRefused(problems, code="not_submittable")
    now = timezone.now()
    weeks = initiative.scheme.decision_term_weeks if initiative.scheme else DEFAULT_DECISION_WEEKS
    initiative.submitted_at = now
    initiative.decision_due = timezone.localdate(now) + datetime.timedelta(weeks=weeks)
    if initiative.broker is not None and not is_broker_for(initiative.broker, initiative):
        # A returned initiative may have moved to another area (or municipality): its former
        # broker no longer handles it, and the new area's broker or admin takes it.
        initiative.broker = None


# --- Reviewing and deciding ------------------------------------------------------------------


def start_review(move: Move) -> None:
    """A broker takes the initiative: the one assigned (`broker`), else the one it has, else the
    official taking the step."""
    initiative: Initiative = move.obj
    broker = move.value("broker")
    initiative.broker = broker or initiative.broker or move.actor
    if broker is not None:
        with site_language():
            move.note = _("Assigned to %(broker)s.") % {"broker": broker.display_name}


def approve(move: Move) -> None:
    """Grant an amount from a fund: the ledger commits it (and refuses what the fund lacks)."""
    initiative: Initiative = move.obj
    move.note = _approve(
        move.actor,
        initiative,
        move.value("amount"),
        move.value("fund"),
        (move.value("conditions") or "").strip(),
        move.value("reason", ""),
    )
    initiative.decided_at = timezone.now()


def award(move: Move) -> None:
    """A plan residents funded by a neighbourhood budget vote: the vote is the decision. The
    money is committed in the round's fund for the plan's cost, checked against the fund's
    scheme (its maximum per initiative), the fund's area and what it has left; no review, no
    lead time, no budget year (the round's fund pays). `booker`: the official the ledger books
    it in the name of (the ledger keeps a person for every entry)."""
    initiative: Initiative = move.obj
    amount_cents: int = move.value("amount")
    fund: Fund = move.value("fund")
    if amount_cents <= 0:
        raise ActionRefused(REQUIRED_MESSAGES["amount"], code="amount_not_positive")
    scheme = fund.scheme
    if amount_cents > scheme.max_per_initiative_cents:
        raise ActionRefused(
            _("“%(title)s” costs %(amount)s, but %(scheme)s grants at most %(max)s per initiative.")
            % {
                "title": initiative.title,
                "amount": format_money(amount_cents),
                "scheme": scheme.name,
                "max": format_money(scheme.max_per_initiative_cents),
            },
            code="above_scheme_maximum",
        )
    if fund.municipality_id != initiative.area.municipality_id or not fund_covers_area(
        fund, initiative.area
    ):
        raise ActionRefused(
            _("Fund %(fund)s does not cover %(area)s.")
            % {"fund": fund, "area": initiative.area.name},
            code="fund_area",
        )
    if initiative.requested_cents < amount_cents:
        # the municipality's cost estimate is above what was asked: the difference is a line
        BudgetLine.objects.create(
            initiative=initiative,
            position=initiative.budget_lines.count(),
            description=str(move.value("extra_line") or _("Cost estimate of the municipality")),
            amount_cents=amount_cents - initiative.requested_cents,
        )
        initiative.requested_cents = amount_cents
    initiative.granted_cents = amount_cents
    initiative.fund = fund
    if initiative.scheme_id is None:
        initiative.scheme = scheme
    initiative.approved_by = None  # the residents decided, not an official
    now = timezone.now()
    initiative.decided_at = now
    if initiative.submitted_at is None:
        initiative.submitted_at = now
    # the vote's decision holds once the step is taken: the ledger sees an approved initiative
    initiative.status = move.target
    with site_language():
        granted = _("Granted to initiative “%(title)s” by a neighbourhood vote.") % {
            "title": initiative.title
        }
        move.note = _("%(amount)s granted from %(fund)s by a neighbourhood vote.") % {
            "amount": format_money(amount_cents),
            "fund": fund,
        }
    initiative.save()
    funds_services.commit(
        actor=move.value("booker"),
        fund=fund,
        initiative=initiative,
        amount_cents=amount_cents,
        reason=granted,
    )


def _council_decides(initiative: Initiative) -> None:
    """An initiative addressed to a council is decided by the council, not by an official."""
    if initiative.deciding_council_id is not None:
        raise ActionRefused(
            _("This initiative is addressed to %(council)s: the council decides on it.")
            % {"council": initiative.deciding_council},
            code="council_decides",
        )


def reject(move: Move) -> None:
    _council_decides(move.obj)
    move.obj.decision_reason = move.value("reason", "")
    move.obj.decided_at = timezone.now()


def council_approve(move: Move) -> None:
    """The council the initiative is addressed to granted an amount from its own fund at its
    meeting (the councils app checked the quorum and counted the votes). The ledger commits it
    in the name of `booker` (the council's officer, or the official, who recorded it) and
    refuses what the fund lacks; no official approved it (`approved_by` stays empty), so any
    official may pay it out."""
    initiative: Initiative = move.obj
    amount_cents: int = move.value("amount")
    fund: Fund = move.value("fund")
    if initiative.deciding_council_id is None or fund.council_id != initiative.deciding_council_id:
        raise ActionRefused(
            _("Only the council the initiative is addressed to decides on it, from its own fund."),
            code="not_the_council",
        )
    if amount_cents <= 0:
        raise ActionRefused(REQUIRED_MESSAGES["amount"], code="amount_not_positive")
    if amount_cents > initiative.requested_cents:
        raise ActionRefused(
            _("The amount granted cannot be more than the amount requested (%(requested)s).")
            % {"requested": format_money(initiative.requested_cents)},
            code="above_requested",
        )
    if amount_cents > fund.scheme.max_per_initiative_cents:
        raise ActionRefused(
            _("%(scheme)s grants at most %(max)s per initiative.")
            % {
                "scheme": fund.scheme.name,
                "max": format_money(fund.scheme.max_per_initiative_cents),
            },
            code="above_scheme_maximum",
        )
    if fund.municipality_id != initiative.area.municipality_id or not fund_covers_area(
        fund, initiative.area
    ):
        raise ActionRefused(
            _("Fund %(fund)s does not cover %(area)s.")
            % {"fund": fund, "area": initiative.area.name},
            code="fund_area",
        )
    if not fund.is_active:
        raise ActionRefused(_("Fund %(fund)s is closed.") % {"fund": fund}, code="fund_closed")
    initiative.granted_cents = amount_cents
    initiative.fund = fund
    if initiative.scheme_id is None:
        initiative.scheme = fund.scheme
    initiative.approved_by = None  # the council decided, not an official
    initiative.decided_at = timezone.now()
    council = initiative.deciding_council
    with site_language():
        granted = _("Granted to initiative “%(title)s” by %(council)s.") % {
            "title": initiative.title,
            "council": council,
        }
        move.note = _("%(amount)s granted from %(fund)s by %(council)s.") % {
            "amount": format_money(amount_cents),
            "fund": fund,
            "council": council,
        }
    funds_services.commit(
        actor=move.value("booker"),
        fund=fund,
        initiative=initiative,
        amount_cents=amount_cents,
        reason=granted,
    )


def council_reject(move: Move) -> None:
    """The council the initiative is addressed to rejected it at its meeting."""
    initiative: Initiative = move.obj
    if initiative.deciding_council_id is None:
        raise ActionRefused(
            _("Only the council the initiative is addressed to decides on it, from its own fund."),
            code="not_the_council",
        )
    initiative.decision_reason = move.value("reason", "")
    initiative.decided_at = timezone.now()


def return_for_changes(move: Move) -> None:
    move.obj.decision_reason = move.value("reason", "")


def submit_accountability(move: Move) -> None:
    """The applicant's report, with the actual cost of every budget line (`actual_costs`: cents
    by budget line id)."""
    initiative: Initiative = move.obj
    actual_costs: dict[int, int] = move.value("actual_costs") or {}
    lines = list(initiative.budget_lines.all())
    if set(actual_costs) != {line.pk for line in lines}:
        raise ActionRefused(
            _("Enter the actual costs of every budget line."), code="costs_incomplete"
        )
    if any(cost < 0 for cost in actual_costs.values()):
        raise ActionRefused(_("Actual costs cannot be negative."), code="negative_costs")
    for line in lines:
        line.actual_cents = actual_costs[line.pk]
    BudgetLine.objects.bulk_update(lines, ["actual_cents"])
    level = (
        accountability_level(initiative.fund.scheme, initiative.granted_cents or 0)
        if initiative.fund
        else ""
    )
    participants = move.value("participants")
    accountability, _created = Accountability.objects.update_or_create(
        initiative=initiative,
        defaults={
            "report": move.value("report"),
            "took_place": move.value("took_place"),
            "participants": participants,
            "level": level,
            "submitted_at": timezone.now(),
        },
    )
    actual = sum(actual_costs.values())
    move.results.update(accountability=accountability, actual_cents=actual)
    with site_language():
        move.note = _("Actual costs %(actual)s, %(participants)d participants.") % {
            "actual": format_money(actual),
            "participants": participants,
        }


def accept_accountability(move: Move) -> None:
    """Set the amount finally, pay or keep committed what is still to be paid, release the rest
    (`_settle`); the accountability is accepted."""
    initiative: Initiative = move.obj
    note = _settle(move.actor, initiative)
    move.note = note
    move.notice = f"{note}\n{move.value('reason', '')}".strip()
    Accountability.objects.filter(initiative=initiative).update(
        accepted_at=timezone.now(), accepted_by=move.actor
    )


def request_more(move: Move) -> None:
    Accountability.objects.filter(initiative=move.obj).update(feedback=move.value("reason", ""))


def close(move: Move) -> None:
    if initiative_figures(move.obj).open_commitments > 0:
        raise ActionRefused(
            _("The amount finally set has not been paid yet; pay it before closing."),
            code="not_paid",
        )


def withdraw(move: Move) -> None:
    """Release what was granted and not paid; what was paid is owed back (the note says so)."""
    note = " ".join(filter(None, [move.value("reason", ""), _withdraw(move.actor, move.obj)]))
    move.note = note
    move.notice = note


# --- Money -----------------------------------------------------------------------------------


def _approve(
    actor: Any,
    initiative: Initiative,
    amount_cents: int | None,
    fund: Fund | None,
    conditions: str,
    reason: str,
) -> str:
    _council_decides(initiative)
    if fund is not None and fund.council_id is not None:
        raise ActionRefused(
            _("Fund %(fund)s is the own budget of %(council)s: only the council grants from it.")
            % {"fund": fund, "council": fund.council},
            code="council_fund",
        )
    if amount_cents is None:
        raise ActionRefused(REQUIRED_MESSAGES["amount"], code="amount_required")
    if amount_cents <= 0:
        raise ActionRefused(REQUIRED_MESSAGES["amount"], code="amount_not_positive")
    if fund is None:
        raise ActionRefused(REQUIRED_MESSAGES["fund"], code="fund_required")
    if amount_cents > initiative.requested_cents:
        raise ActionRefused(
            _("The amount granted cannot be more than the amount requested (%(requested)s).")
            % {"requested": format_money(initiative.requested_cents)},
            code="above_requested",
        )
    if amount_cents > fund.scheme.max_per_initiative_cents:
        raise ActionRefused(
            _("%(scheme)s grants at most %(max)s per initiative.")
            % {
                "scheme": fund.scheme.name,
                "max": format_money(fund.scheme.max_per_initiative_cents),
            },
            code="above_scheme_maximum",
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
    with site_language():
        granted = _("Granted to initiative “%(title)s”.") % {"title": initiative.title}
        note = _("%(amount)s granted from %(fund)s.") % {
            "amount": format_money(amount_cents),
            "fund": fund,
        }
    funds_services.commit(
        actor=actor, fund=fund, initiative=initiative, amount_cents=amount_cents, reason=granted
    )
    return note + (f" {reason}" if reason else "")


def release_open(actor: Any, initiative: Initiative, reason: str) -> int:
    """Give whatever is still committed and unpaid back to its fund(s)."""
    entries = funds_services.release_open_commitments(
        actor=actor, initiative=initiative, reason=reason
    )
    return sum(entry.amount_cents for entry in entries)


def pay(actor: Any, initiative: Initiative, amount_cents: int, reason: str) -> None:
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


def spent_of(initiative: Initiative, lines: Iterable[BudgetLine] | None = None) -> int:
    """What the fund pays for in the end: the actual costs, at most the amount granted."""
    lines = initiative.budget_lines.all() if lines is None else lines
    actual = sum(line.actual_cents or 0 for line in lines)
    return min(actual, initiative.granted_cents or 0)


def _may_pay(actor: Any, initiative: Initiative) -> bool:
    """This official may pay this initiative out (a second official where the scheme asks for
    one) and knows where to: whatever its state."""
    return bool(initiative.payee_iban and actor.has_perm("funds.pay_initiative", initiative))


def may_pay_now(actor: Any, initiative: Initiative) -> bool:
    """Whether this official can pay the initiative out now (for buttons; the ledger checks)."""
    return initiative.status in PAYABLE and _may_pay(actor, initiative)


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
    spent = spent_of(initiative, lines)
    initiative.final_cents = spent
    to_pay = max(0, spent - initiative.paid_cents)
    # still "accounted" here, becoming "completed": the state allows paying, the payer may not
    with site_language():
        costs = _("Actual costs of “%(title)s”.") % {"title": initiative.title}
        not_spent = _("Not spent by “%(title)s”.") % {"title": initiative.title}
    if to_pay and _may_pay(actor, initiative):
        pay(actor, initiative, to_pay, costs)
        to_pay = 0
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
        released = release_open(actor, initiative, not_spent)
    figures = initiative_figures(initiative)
    owed = max(0, figures.paid - figures.refunded - spent)
    with site_language():
        note = _("Actual costs %(actual)s; %(released)s returned to the fund.") % {
            "actual": format_money(actual),
            "released": format_money(released),
        }
        if to_pay:
            note += " " + _("%(amount)s is still to be paid by a second official.") % {
                "amount": format_money(to_pay)
            }
        if owed:
            note += " " + _(
                "%(owed)s of the advance was not spent and is to be paid back to the municipality."
            ) % {"owed": format_money(owed)}
    return note


def _withdraw(actor: Any, initiative: Initiative) -> str:
    """Release what was granted and not paid; what was paid is owed back (`repayment_due`)."""
    # An applicant may not book money; the release is booked in the name of the broker
    # responsible, with the applicant named in the reason.
    booker = actor if actor.has_perm("funds.book_for_initiative", initiative) else None
    booker = booker or initiative.broker or initiative.approved_by
    if booker is not None:
        with site_language():
            withdrawn = _("Initiative withdrawn by %(name)s.") % {"name": actor.display_name}
        release_open(booker, initiative, withdrawn)
    figures = initiative_figures(initiative)
    owed = figures.paid - figures.refunded
    if owed <= 0:
        return ""
    with site_language():
        return _(
            "%(owed)s was paid out as an advance and is to be paid back to the municipality."
        ) % {"owed": format_money(owed)}
