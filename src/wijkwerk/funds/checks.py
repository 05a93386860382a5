"""The rules of a scheme applied to one application: plain functions, no database writes.

The initiative form calls `scheme_check` before an initiative is submitted and the review page calls
it again for the broker; both show the problems it returns. `accountability_level` tells what the
applicant must hand in afterwards for the amount granted.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkwerk.core.money import format_money

from .models import AccountabilityLevel, Category, Scheme


@dataclass(frozen=True)
class Cosigner:
    """A person who signs the application (medeondertekenaar): their age and whether they live
    in the initiative's area, both on the reference date (peildatum) of the application."""

    age: int
    lives_in_area: bool


@dataclass(frozen=True)
class SchemeProblem:
    """One way an application falls short of its scheme.

    `field` names the application field it is about, so a form can attach the message to it:
    "amount", "applicant", "legal_entity", "category", "activity_start" or "support".
    `code` is stable for tests and code; `message` is translated for people.
    """

    code: str
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def scheme_check(
    scheme: Scheme,
    *,
    applicant_age: int,
    lives_in_area: bool,
    is_legal_entity: bool,
    amount_cents: int,
    activity_start: datetime.date | None,
    today: datetime.date,
    cosigners: Sequence[Cosigner] = (),
    online_supporters: int = 0,
    category: Category | None = None,
) -> list[SchemeProblem]:
    """Every rule of `scheme` this application breaks; an empty list means it may go ahead.

    - amount: more than zero and at most the scheme's maximum per initiative;
    - applicant: at least the minimum age; living in the area if the scheme asks for it;
    - legal_entity: above `legal_entity_above_cents` the applicant must be a legal entity;
    - category: one of the scheme's categories (if the scheme names any and one is given);
    - activity_start: known, and at least `lead_time_days` after `today`;
    - support: enough co-signers of the minimum age (living in the area if required) or enough
      online supporters; if the scheme asks for both, either one is enough.

    `today` is passed in (not read from the clock) so that the review uses the submission date and
    tests are deterministic. Messages are in the active language.
    """
    problems: list[SchemeProblem] = []

    if amount_cents <= 0:
        problems.append(
            SchemeProblem("amount_not_positive", "amount", _("The amount must be more than zero."))
        )
    elif amount_cents > scheme.max_per_initiative_cents:
        problems.append(
            SchemeProblem(
                "amount_above_maximum",
                "amount",
                _("%(scheme)s grants at most %(max)s per initiative; you ask %(amount)s.")
                % {
                    "scheme": scheme.name,
                    "max": format_money(scheme.max_per_initiative_cents),
                    "amount": format_money(amount_cents),
                },
            )
        )

    if applicant_age < scheme.min_applicant_age:
        problems.append(
            SchemeProblem(
                "applicant_too_young",
                "applicant",
                _("The applicant must be at least %(age)d years old.")
                % {"age": scheme.min_applicant_age},
            )
        )
    if scheme.applicant_must_live_in_area and not lives_in_area:
        problems.append(
            SchemeProblem(
                "applicant_not_in_area",
                "applicant",
                _("The applicant must live in the area of the initiative."),
            )
        )
    if (
        scheme.legal_entity_above_cents is not None
        and amount_cents > scheme.legal_entity_above_cents
        and not is_legal_entity
    ):
        problems.append(
            SchemeProblem(
                "legal_entity_required",
                "legal_entity",
                _(
                    "Above %(limit)s the applicant must be a legal entity "
                    "(a foundation or association)."
                )
                % {"limit": format_money(scheme.legal_entity_above_cents)},
            )
        )

    if category is not None and scheme.pk is not None:
        accepted = list(scheme.categories.all())
        if accepted and category not in accepted:
            problems.append(
                SchemeProblem(
                    "category_not_accepted",
                    "category",
                    _("%(scheme)s does not fund initiatives in the category %(category)s.")
                    % {"scheme": scheme.name, "category": category.name},
                )
            )

    if activity_start is None:
        problems.append(
            SchemeProblem(
                "activity_start_missing", "activity_start", _("Enter when the activity starts.")
            )
        )
    elif activity_start < today + datetime.timedelta(days=scheme.lead_time_days):
        earliest = today + datetime.timedelta(days=scheme.lead_time_days)
        problems.append(
            SchemeProblem(
                "lead_time_too_short",
                "activity_start",
                ngettext(
                    "The activity can start at the earliest %(date)s: the scheme needs %(days)d "
                    "day before the start.",
                    "The activity can start at the earliest %(date)s: the scheme needs %(days)d "
                    "days before the start.",
                    scheme.lead_time_days,
                )
                % {"date": date_format(earliest, "DATE_FORMAT"), "days": scheme.lead_time_days},
            )
        )

    problem = _support_problem(scheme, cosigners, online_supporters)
    if problem is not None:
        problems.append(problem)
    return problems


def valid_cosigner_count(scheme: Scheme, cosigners: Sequence[Cosigner]) -> int:
    return sum(
        1
        for c in cosigners
        if c.age >= scheme.cosigner_min_age
        and (c.lives_in_area or not scheme.cosigners_must_live_in_area)
    )


def _support_problem(
    scheme: Scheme, cosigners: Sequence[Cosigner], online_supporters: int
) -> SchemeProblem | None:
    wants_cosigners = scheme.required_cosigners > 0
    wants_online = scheme.required_online_supporters > 0
    if not wants_cosigners and not wants_online:
        return None
    valid = valid_cosigner_count(scheme, cosigners)
    if wants_cosigners and valid >= scheme.required_cosigners:
        return None
    if wants_online and online_supporters >= scheme.required_online_supporters:
        return None
    cosigner_text = ngettext(
        "%(count)d co-signer aged %(age)d or older",
        "%(count)d co-signers aged %(age)d or older",
        scheme.required_cosigners,
    ) % {"count": scheme.required_cosigners, "age": scheme.cosigner_min_age}
    if scheme.cosigners_must_live_in_area:
        cosigner_text = _("%(cosigners)s living in the area") % {"cosigners": cosigner_text}
    online_text = ngettext(
        "%(count)d online supporter",
        "%(count)d online supporters",
        scheme.required_online_supporters,
    ) % {"count": scheme.required_online_supporters}
    if wants_cosigners and wants_online:
        needed = _("%(cosigners)s, or %(online)s") % {
            "cosigners": cosigner_text,
            "online": online_text,
        }
    elif wants_cosigners:
        needed = cosigner_text
    else:
        needed = online_text
    return SchemeProblem(
        "support_insufficient",
        "support",
        _(
            "Not enough support: the scheme asks for %(needed)s (now %(cosigners)d valid "
            "co-signers and %(online)d online supporters)."
        )
        % {"needed": needed, "cosigners": valid, "online": online_supporters},
    )


def accountability_level(scheme: Scheme, granted_cents: int) -> AccountabilityLevel:
    """What the applicant hands in afterwards for `granted_cents`.

    Below `settle_at_once_below_cents`: settled at once, only a notice if it did not happen;
    up to and including `report_up_to_cents`: a report; above that: an accountant's statement.
    """
    if granted_cents < scheme.settle_at_once_below_cents:
        return AccountabilityLevel.NOTICE
    if granted_cents <= scheme.report_up_to_cents:
        return AccountabilityLevel.REPORT
    return AccountabilityLevel.ACCOUNTANT
