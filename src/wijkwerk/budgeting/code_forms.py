"""The forms of the voting codes: typing a code, making the letters, the desk."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkwerk.core.forms import SingleLineFieldsMixin

from .services.codes import letters_per_pdf

POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")


class CodeEntryForm(SingleLineFieldsMixin, forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Your voting code"),
        max_length=40,
        help_text=gettext_lazy(
            "It is on your letter: four groups of four letters and digits, for example "
            "7KQM-4TZX-HR9C-2WNF."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "code-input",
            }
        ),
        error_messages={"required": gettext_lazy("Type the voting code from your letter.")},
    )


class LettersAgainForm(SingleLineFieldsMixin, forms.Form):
    after = forms.CharField(
        label=gettext_lazy("Continue after reference"),
        max_length=40,
        required=False,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "The letters were lost: every unused letter code may stop working and get a new code"
        ),
        error_messages={"required": gettext_lazy("Confirm that the old letters may stop working.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["after"].help_text = _(
            "Empty for the first PDF. One PDF holds at most %(n)s letters: for the next one, "
            "type the last reference of the previous PDF (it is in the file's name)."
        ) % {"n": letters_per_pdf()}


class DeskSearchForm(SingleLineFieldsMixin, forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Reference"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("The reference in the register extract, if the person has it."),
    )
    postcode = forms.CharField(
        label=gettext_lazy("Postcode"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("For example 5107 AA."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    house_number = forms.CharField(
        label=gettext_lazy("House number"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].replace(" ", "").upper()
        if postcode and not POSTCODE.match(postcode):
            raise ValidationError(
                _("Type a postcode of four digits and two letters, for example 5107 AA."),
                code="postcode",
            )
        return str(postcode)

    def clean_house_number(self) -> str:
        return str(self.cleaned_data["house_number"].strip())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        reference = data.get("reference", "").strip()
        postcode, number = data.get("postcode", ""), data.get("house_number", "")
        if not reference and not (postcode and number):
            if postcode and not number:
                self.add_error("house_number", _("Type the house number with the postcode."))
            elif number and not postcode:
                self.add_error("postcode", _("Type the postcode with the house number."))
            else:
                raise ValidationError(
                    _("Type the reference, or the postcode and house number."), code="empty"
                )
        data["reference"] = reference
        return data


class HandOutForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    id_seen = forms.BooleanField(
        label=gettext_lazy("I have seen the person's ID, and it matches this register entry"),
        error_messages={
            "required": gettext_lazy("Hand out a code only after you have seen the person's ID.")
        },
    )
    replace = forms.BooleanField(
        label=gettext_lazy(
            "The person lost their letter or code: the old code stops working (only if it "
            "was not used)"
        ),
        required=False,
    )
