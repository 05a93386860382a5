"""Forms of the budget rounds.

Setting up a round (the municipality's administrator): `RoundForm` (the rules), `AreaBudgetFormSet`
(the areas with their budgets, one row more on request) and `PhasesForm` (the six phases' dates).
The forms check each value; the set-up as a whole is checked once, by
`services.rounds.check_setup`, whose messages `RoundForms.refused` puts on the form.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core.forms import SingleLineFieldsMixin
from wijkwerk.core.money import EuroField
from wijkwerk.funds.models import Fund

from .models import KINDS, BudgetProcess
from .services.rounds import MAX_RETENTION_DAYS, AreaBudget, PhaseDates

MAX_AREA_ROWS = 40
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class RoundForm(SingleLineFieldsMixin, forms.ModelForm):
    """A round's title, money, who takes part, the ballot and the count."""

    budget_cents = EuroField(
        label=_("Total budget"),
        help_text=_(
            "In euros, for example 50.000,00. The areas' budgets below add up to this amount."
        ),
    )
    likes_threshold = forms.IntegerField(
        label=_("Likes needed for the ballot"),
        min_value=0,
        max_value=100_000,
        initial=0,
        help_text=_("A feasible plan with at least this many likes goes on the ballot; 0: none."),
        error_messages={
            "min_value": _("The number of likes needed cannot be below 0."),
            "max_value": _("The number of likes needed can be at most 100000."),
        },
    )

    class Meta:
        model = BudgetProcess
        fields = [
            "title",
            "description",
            "fund",
            "budget_cents",
            "minimum_age",
            "maximum_age",
            "reference_date",
            "residents_vote",
            "entrepreneurs_vote",
            "likes_threshold",
            "ballot_type",
            "min_choices",
            "max_choices",
            "points",
            "rule",
            "completion",
            "tie_break",
            "may_change_ballot",
            "vote_with_account",
            "vote_with_code",
            "vote_with_digid",
            "help_routes",
            "register_retention_days",
            "paper_share",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "help_routes": forms.Textarea(attrs={"rows": 4}),
            "reference_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ballot_type": forms.RadioSelect,
            "rule": forms.RadioSelect,
            "completion": forms.RadioSelect,
            "tie_break": forms.RadioSelect,
        }
        labels = {
            "title": _("Title"),
            "description": _("Description for residents"),
            "fund": pgettext_lazy("budget round", "Fund"),
            "minimum_age": _("Minimum age"),
            "maximum_age": _("Maximum age"),
            "reference_date": _("Reference date"),
            "residents_vote": _("Residents of the areas may take part"),
            "entrepreneurs_vote": _("Entrepreneurs in the areas may take part"),
            "ballot_type": _("Ballot"),
            "min_choices": _("At least this many plans"),
            "max_choices": _("At most this many plans"),
            "points": _("Points per voter"),
            "rule": _("Counting rule"),
            "completion": _("Completion (Method of Equal Shares)"),
            "tie_break": _("When two plans are equal"),
            "may_change_ballot": _("Voters may change their vote until the voting closes"),
            "vote_with_account": _("With an account on this site"),
            "vote_with_code": _("With a voting code from a letter (or from the desk)"),
            "vote_with_digid": _("With DigiD or eHerkenning"),
            "help_routes": _("Help for voters"),
            "register_retention_days": _("Keep the register extract for this many days"),
            "paper_share": _("Weight of the paper ballots (percent)"),
        }
        help_texts = {
            "fund": _("The fund the funded plans are paid from."),
            "maximum_age": _("Leave empty for no maximum."),
            "reference_date": _(
                "The day on which age and address count; empty: the day of voting."
            ),
            "points": _("Only for a points ballot."),
            "vote_with_account": _(
                "Residents log in and vote in the area of the home address in their profile."
            ),
            "vote_with_code": _(
                "Everyone in the register extract gets a letter with a personal code; people "
                "with a secret address get theirs at the desk. Codes also let people vote on "
                "paper."
            ),
            "vote_with_digid": _(
                "Through the municipality's DigiD and eHerkenning connection; the register "
                "extract's BSN column finds the voter."
            ),
            "help_routes": _(
                "Where and when people get help or vote on paper: the desk and its opening "
                "hours, a phone number. On the letters and the voting pages."
            ),
            "register_retention_days": _(
                "Counted from the close of the voting; then the extract is deleted "
                "automatically. At most 365."
            ),
            "paper_share": _(
                "Leave empty and every ballot weighs the same. 50: the paper ballots together "
                "count as much as the online ones. Only with voting codes; from 1 to 99."
            ),
            "completion": _(
                "What the Method of Equal Shares does with money left after its first round."
            ),
        }

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        fund = self.fields["fund"]
        assert isinstance(fund, forms.ModelChoiceField)
        fund.queryset = Fund.objects.filter(municipality=municipality).order_by("-year", "name")
        fund.empty_label = gettext("(no fund yet)")
        for name in ("ballot_type", "rule", "completion", "tie_break"):
            choice = self.fields[name]
            assert isinstance(choice, forms.ChoiceField)
            options = cast(list[tuple[str, Any]], choice.choices)
            choice.choices = [(value, capfirst(label)) for value, label in options]
        for name in ("minimum_age", "maximum_age"):
            self.fields[name].widget.attrs["max"] = 120
        for name in ("min_choices", "max_choices", "points"):
            self.fields[name].widget.attrs["max"] = 1000
        self.fields["register_retention_days"].widget.attrs["max"] = MAX_RETENTION_DAYS
        self.fields["paper_share"].widget.attrs.update(min=1, max=99)

    def validate_constraints(self) -> None:
        """The set-up as a whole (ages, choices) is checked by `check_setup`, in words."""

    def round(self) -> BudgetProcess:
        process: BudgetProcess = self.save(commit=False)
        process.municipality = self.municipality
        return process


class AreaBudgetForm(SingleLineFieldsMixin, forms.Form):
    """One area of the round with its part of the budget (an empty row is left out)."""

    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    # How to write an amount is said once above the rows, not on every row.
    budget = EuroField(label=_("Budget of the area"), required=False, help_text="")

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(municipality=municipality).order_by("name")
        area.empty_label = gettext("(choose an area)")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("area") and data.get("budget") is None and "budget" not in self.errors:
            self.add_error("budget", gettext("Enter the budget of this area."))
        if data.get("budget") is not None and not data.get("area"):
            self.add_error("area", gettext("Choose the area of this budget."))
        return data


AreaBudgetFormSet = forms.formset_factory(
    AreaBudgetForm, extra=0, max_num=MAX_AREA_ROWS, validate_max=True, absolute_max=MAX_AREA_ROWS
)


def area_rows(formset: Any) -> list[AreaBudget]:
    return [
        AreaBudget(form.cleaned_data["area"], form.cleaned_data["budget"])
        for form in formset
        if form.cleaned_data.get("area")
    ]


class PhasesForm(forms.Form):
    """The six phases, each with its start and end (a phase left empty is skipped; the voting
    phase is needed)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in KINDS:
            for end, label in (
                ("starts_at", _("%(phase)s: start")),
                ("ends_at", _("%(phase)s: end")),
            ):
                self.fields[f"{kind.key}_{end}"] = forms.DateTimeField(
                    label=label % {"phase": kind.label},
                    required=False,
                    input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
                    widget=forms.DateTimeInput(
                        attrs={"type": "datetime-local"}, format=DATETIME_INPUT
                    ),
                )

    @staticmethod
    def initial_for(process: BudgetProcess | None) -> dict[str, datetime.datetime]:
        if process is None or process.pk is None:
            return {}
        initial: dict[str, datetime.datetime] = {}
        for phase in process.phases.all():
            initial[f"{phase.kind}_starts_at"] = phase.starts_at
            initial[f"{phase.kind}_ends_at"] = phase.ends_at
        return initial

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """(kind, its start field, its end field) for every phase, in order."""
        return [
            (kind, self[f"{kind.key}_starts_at"], self[f"{kind.key}_ends_at"]) for kind in KINDS
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in KINDS:
            starts, ends = f"{kind.key}_starts_at", f"{kind.key}_ends_at"
            if starts in self.errors or ends in self.errors:
                continue
            if data.get(starts) and not data.get(ends):
                self.add_error(ends, gettext("Enter when this phase ends."))
            elif data.get(ends) and not data.get(starts):
                self.add_error(starts, gettext("Enter when this phase starts."))
        return data

    def phase_dates(self) -> list[PhaseDates]:
        data = self.cleaned_data
        return [
            PhaseDates(kind.key, data[f"{kind.key}_starts_at"], data[f"{kind.key}_ends_at"])
            for kind in KINDS
            if data.get(f"{kind.key}_starts_at") and data.get(f"{kind.key}_ends_at")
        ]


# Where each kind of set-up problem (`refusals.py`) is shown on the form.
REFUSAL_PLACES = {
    "no_areas": "areas",
    "foreign_area": "areas",
    "budget_mismatch": "budget",
    "phase_order": "phases",
}


def place_refusal(
    error: ValidationError, form: RoundForm, formset: Any, phases: PhasesForm
) -> None:
    """Put `check_setup`'s messages where they belong: the areas' and the total's problems
    above the areas and at the total budget, the phases' above the phases, the rules' at the
    top of the form."""
    for item in error.error_list:
        place = REFUSAL_PLACES.get(getattr(item, "code", "") or "", "")
        if place == "budget":
            form.add_error("budget_cents", item)
        elif place == "phases":
            phases.add_error(None, item)
        elif place == "areas":
            formset.non_form_errors().extend(item.messages)
        else:
            form.add_error(None, item)
