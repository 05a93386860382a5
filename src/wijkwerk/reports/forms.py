"""The clerk's forms: generate a draft for a quarter, edit its texts (core.forms renderer)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.models import Municipality
from wijkwerk.core.quarters import Quarter
from wijkwerk.initiatives.forms import DesignSystemMixin

from .models import INTRODUCTION_MAX, NOTE_MAX

SECTION_LABELS = {
    "pilots": _("Note on the pilots and lessons"),
    "initiatives": _("Note on the initiatives"),
    "money": _("Note on the money of the funds"),
    "reach": _("Note on the reach"),
    "rounds": _("Note on the budget rounds"),
    "challenges": _("Note on the right to challenge"),
}

QUARTERS_BACK = 8


def quarter_choices() -> list[tuple[str, str]]:
    """The current quarter and the eight before it, newest first."""
    quarter = Quarter.current()
    choices = []
    for _step in range(QUARTERS_BACK + 1):
        choices.append((quarter.slug, str(quarter)))
        quarter = quarter.previous()
    return choices


class GenerateForm(DesignSystemMixin, forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=None
    )
    quarter = forms.ChoiceField(
        label=_("Quarter"),
        help_text=_("The report takes the figures of this quarter as they are now."),
    )

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        self.fields["quarter"].choices = quarter_choices()  # type: ignore[attr-defined]
        self.fields["quarter"].initial = Quarter.current().previous().slug

    def clean_quarter(self) -> Quarter:
        return Quarter.parse(self.cleaned_data["quarter"])


def _note(key: str) -> forms.CharField:
    return forms.CharField(
        label=SECTION_LABELS[key],
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EditForm(DesignSystemMixin, forms.Form):
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=INTRODUCTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text; an empty line starts a new paragraph."),
    )
    note_pilots = _note("pilots")
    note_initiatives = _note("initiatives")
    note_money = _note("money")
    note_reach = _note("reach")
    note_rounds = _note("rounds")
    note_challenges = _note("challenges")

    def notes(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"note_{key}", "") for key in SECTION_LABELS}
