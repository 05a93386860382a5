"""The ballot's forms: the choices on a ballot (read from the posted plan boxes or points
fields and checked by `services.voting.check_choices`) and the receipt check.

The ballot's choices travel in the form itself from the ballot to the confirmation and back:
never in the session, which is stored in the database beside the person's id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkwerk.core.forms import SingleLineFieldsMixin

from .eligibility import Voter
from .models import BallotType, BudgetProcess, Plan
from .refusals import BudgetRefused
from .services.voting import check_choices

POINTS_PREFIX = "points-"
MAX_POINTS_DIGITS = 6


class BallotForm(forms.Form):
    """A voter's choices: `plan` (one value per chosen plan) on an approval or knapsack ballot,
    `points-<plan id>` per plan on a points ballot. Valid when the round's rules accept them;
    `cleaned_data["choices"]` is then `[[plan id, points], ...]`."""

    def __init__(
        self, data: Any, *, process: BudgetProcess, voter: Voter, plans: Sequence[Plan]
    ) -> None:
        super().__init__(data)
        self.process = process
        self.voter = voter
        self.plans = list(plans)
        self.refusal_code = ""

    @property
    def points_ballot(self) -> bool:
        return self.process.ballot_type == BallotType.CUMULATIVE

    def raw_choices(self) -> tuple[dict[str, str], list[str]]:
        """What was posted, as {plan id: points} (both as sent), and the points that are not
        whole numbers. Nothing here is trusted: `check_choices` decides."""
        if not self.is_bound:
            return {}, []
        titles = {str(plan.pk): plan.title for plan in self.plans}
        if not self.points_ballot:
            data: Any = self.data  # a QueryDict: a plan box per chosen plan
            return dict.fromkeys(data.getlist("plan"), "1"), []
        choices: dict[str, str] = {}
        problems: list[str] = []
        for key in self.data:
            if not key.startswith(POINTS_PREFIX):
                continue
            raw_id = key.removeprefix(POINTS_PREFIX)
            value = self.data.get(key, "").strip()
            if value == "":
                continue
            if not value.isdigit() or len(value) > MAX_POINTS_DIGITS:
                title = titles.get(raw_id)
                problems.append(
                    _("Give the points for “%(plan)s” as a whole number, 0 or more.")
                    % {"plan": title}
                    if title
                    else _("The ballot holds a plan that is not on it.")
                )
                continue
            choices[raw_id] = value
        return choices, problems

    def chosen(self) -> dict[int, int]:
        """The plans on the ballot that were chosen, with their points (for showing the ballot
        again and its meter; plans not on the ballot are left out here, refused on sending)."""
        raw, _problems = self.raw_choices()
        known = {str(plan.pk): plan.pk for plan in self.plans}
        chosen: dict[int, int] = {}
        for raw_id, points in raw.items():
            if raw_id in known and points.isdigit() and int(points) > 0:
                chosen[known[raw_id]] = int(points) if self.points_ballot else 1
        return chosen

    def clean(self) -> dict[str, Any]:
        raw, problems = self.raw_choices()
        if problems:
            self.refusal_code = "points"
            raise ValidationError(problems)
        try:
            checked = check_choices(self.process, self.voter, raw, plans=self.plans)
        except BudgetRefused as refused:
            self.refusal_code = refused.code or ""
            raise ValidationError(refused.messages) from None
        self.cleaned_data["choices"] = checked
        return self.cleaned_data

    def refuse(self, refused: BudgetRefused) -> None:
        """A refusal of the ballot service (after the form was valid) shown as the form's
        error."""
        self.refusal_code = refused.code or ""
        for message in refused.messages:
            self.add_error(None, message)


class ReceiptForm(SingleLineFieldsMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Your receipt code"),
        max_length=40,
        help_text=gettext_lazy(
            "Four groups of four letters and digits, for example K7QX-M2PA-9RTD-HW4E."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": gettext_lazy("Type the receipt code you were given.")},
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        letters = "".join(ch for ch in code if ch.isalnum())
        if len(letters) != 16:
            raise ValidationError(
                _("A receipt code has 16 letters and digits; you typed %(count)s.")
                % {"count": len(letters)},
                code="length",
            )
        return code
