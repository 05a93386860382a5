"""Forms for the paper ballots: a voting code taken in at the desk, and one official's reading
of a paper ballot (its number, its area's plans as on the online ballot, or that it is invalid
and why). The service (services/paper.py) checks the rest; its refusals go on the form.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.forms import SingleLineFieldsMixin
from wijkwerk.core.money import format_money as _format_money

from .models import BallotType, BudgetProcess, Plan
from .refusals import BudgetRefused
from .services.paper import MAX_NUMBER, MAX_REASON


def format_money(cents: int) -> str:
    """An amount kept on one line ("€" and the figure together)."""
    return _format_money(cents).replace(" ", "\u00a0")


# Where a refusal of the paper service goes on the entry form, by its code (else: the form).
REFUSAL_FIELD = {
    "paper_number": "number",
    "same_official": "number",
    "paper_disputed": "number",
    "paper_entered": "number",
}
# Refusals of the ballot's rules: the official may find that the paper ballot is invalid.
BALLOT_RULES = {"empty_ballot", "too_many", "over_budget", "points", "unknown_plan"}


class IntakeForm(SingleLineFieldsMixin, forms.Form):
    code = forms.CharField(
        label=_("Voting code"),
        max_length=40,
        help_text=_(
            "The code on the voter's letter or desk slip, for example 7KQM-4TZX-HR9C-2WNF. "
            "Spaces and hyphens do not matter."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class PaperBallotForm(SingleLineFieldsMixin, forms.Form):
    """One reading of a paper ballot of one area (`plans`: that area's ballot). Without
    `with_number` (a resolution) the number comes from the address."""

    number = forms.IntegerField(
        label=_("Number of the paper ballot"),
        min_value=1,
        max_value=MAX_NUMBER,
        help_text=_("The number written on the paper ballot at the count."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    invalid = forms.BooleanField(
        label=_("The paper ballot is invalid"),
        required=False,
        help_text=_(
            "For example: more plans marked than allowed, over the budget, nothing marked, or "
            "not clear what the voter meant. An invalid ballot is recorded, not counted."
        ),
    )
    reason = forms.CharField(
        label=_("Why it is invalid"),
        required=False,
        max_length=MAX_REASON,
    )

    def __init__(
        self,
        *args: Any,
        process: BudgetProcess,
        plans: Iterable[Plan],
        with_number: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        self.plans = list(plans)
        self.cumulative = process.ballot_type == BallotType.CUMULATIVE
        if not with_number:
            del self.fields["number"]
        self.fields["reason"].show_optional = False  # type: ignore[attr-defined]
        self.plan_fields: list[str] = []
        if self.cumulative:
            for plan in self.plans:
                name = f"points_{plan.pk}"
                self.fields[name] = forms.IntegerField(
                    label=_("Points for “%(title)s” (%(cost)s)")
                    % {"title": plan.title, "cost": format_money(plan.cost_cents)},
                    required=False,
                    min_value=0,
                    max_value=10_000,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
                self.fields[name].show_optional = False  # type: ignore[attr-defined]
                self.plan_fields.append(name)
        else:
            self.fields["plans"] = forms.MultipleChoiceField(
                label=_("Plans marked on the paper ballot"),
                required=False,
                choices=[
                    (str(plan.pk), f"{plan.title} ({format_money(plan.cost_cents)})")
                    for plan in self.plans
                ],
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields["plans"].show_optional = False  # type: ignore[attr-defined]
            self.plan_fields.append("plans")
        # the plans before "invalid", as on the paper
        order = [name for name in ("number",) if name in self.fields] + self.plan_fields
        self.order_fields([*order, "invalid", "reason"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("invalid") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the paper ballot is invalid."))
        return data

    def choices(self) -> dict[int, int]:
        """The plans read, with their points (1 on a ballot without points)."""
        data = self.cleaned_data
        if self.cumulative:
            return {
                plan.pk: data.get(f"points_{plan.pk}") or 0
                for plan in self.plans
                if data.get(f"points_{plan.pk}")
            }
        return {int(plan_id): 1 for plan_id in data.get("plans") or []}

    def invalid_reason(self) -> str:
        return (
            str(self.cleaned_data.get("reason") or "").strip()
            if self.cleaned_data.get("invalid")
            else ""
        )

    def place(self, refused: BudgetRefused) -> None:
        """The service's refusal on the form: on its field, or for the whole form (with what
        to do about a ballot against the rules)."""
        for message, code in zip(refused.messages, refused.codes, strict=False):
            field = REFUSAL_FIELD.get(code or "")
            if field is not None and field in self.fields:
                self.add_error(field, message)
            elif code in BALLOT_RULES:
                self.add_error(
                    None,
                    _(
                        "%(message)s If the paper ballot really says this, mark it invalid "
                        "and say why."
                    )
                    % {"message": message},
                )
            else:
                self.add_error(None, message)
