"""Writes to a municipality's statements (privacy, accessibility, contact).

One service for the three: one transaction, the administrator's permission
(`areas.manage_municipality`, the back office's), validation of every field, and an audit event
with the state before and after. The back office and the demo loader (with its system actor) call
it alike.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.areas.models import Municipality
from wijkwerk.core.audit import record, snapshot

from .audit_actions import ACTIONS
from .models import (
    RESEARCH_VALID_MONTHS,
    STATEMENT_MODELS,
    AccessibilityStatement,
    Compliance,
    Statement,
)


def editable_fields(kind: str) -> tuple[str, ...]:
    """The fields an administrator fills for this kind of statement, in form order."""
    model = STATEMENT_MODELS[kind]
    return tuple(
        f.name
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name not in ("municipality", "updated_at")
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _check_accessibility(statement: AccessibilityStatement) -> None:
    """The rules of the national model: dates in order, research at most 36 months old, and the
    known problems listed exactly when the website is not fully compliant."""
    errors: dict[str, list[ValidationError]] = {}
    today = timezone.localdate()
    made, researched = statement.statement_date, statement.research_date
    if isinstance(made, datetime.date) and made > today:
        errors.setdefault("statement_date", []).append(
            ValidationError(_("The date of the statement cannot lie in the future."))
        )
    if isinstance(made, datetime.date) and isinstance(researched, datetime.date):
        if researched > made:
            errors.setdefault("research_date", []).append(
                ValidationError(_("The research cannot be later than the statement."))
            )
        elif add_months(researched, RESEARCH_VALID_MONTHS) < made:
            errors.setdefault("research_date", []).append(
                ValidationError(
                    _(
                        "The research is older than %(months)d months on the date of the "
                        "statement: have the website researched again."
                    )
                    % {"months": RESEARCH_VALID_MONTHS}
                )
            )
    problems = statement.known_problems.strip()
    if statement.compliance == Compliance.FULL and problems:
        errors.setdefault("known_problems", []).append(
            ValidationError(
                _(
                    "A fully compliant website has no known problems: remove them or choose "
                    "'partially compliant'."
                )
            )
        )
    if statement.compliance != Compliance.FULL and not problems:
        errors.setdefault("known_problems", []).append(
            ValidationError(_("List the known problems and when they will be solved."))
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def statement_save(
    *, actor: Any, municipality: Municipality, kind: str, **fields: Any
) -> Statement:
    """Create or change the municipality's statement of this kind with the given fields."""
    if kind not in STATEMENT_MODELS:
        raise ValueError(f"unknown statement kind {kind!r}")
    if not actor.has_perm("areas.manage_municipality", municipality):
        raise PermissionDenied(_("You may not change this."))
    names = editable_fields(kind)
    unknown = set(fields) - set(names)
    if unknown:
        raise TypeError(f"statement_save() got unknown fields {sorted(unknown)}")
    model = STATEMENT_MODELS[kind]
    # The municipality's row is the lock: two administrators saving a first statement at once
    # would otherwise both find none and both insert (PostgreSQL; SQLite writes one at a time).
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    statement = model.objects.select_for_update().filter(municipality=municipality).first()
    created = statement is None
    if statement is None:
        statement = model(municipality=municipality)
    before = None if created else snapshot(statement, names)
    for name, value in fields.items():
        setattr(statement, name, value.strip() if isinstance(value, str) else value)
    statement.full_clean(exclude=["municipality"])
    if isinstance(statement, AccessibilityStatement):
        _check_accessibility(statement)
    after = snapshot(statement, names)
    if created or after != before:
        statement.save()
        create_action, update_action = ACTIONS[kind]
        record(
            actor=actor,
            action=create_action if created else update_action,
            instance=statement,
            before=before,
            after=after,
        )
    return statement
