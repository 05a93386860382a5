from __future__ import annotations

import datetime
from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.forms import GroupedAreaChoiceField
from wijkwerk.areas.models import Area
from wijkwerk.core.forms import SingleLineFieldsMixin

from .models import User

PHONE_CHARACTERS = set("0123456789+-() ")


class SignupForm(SingleLineFieldsMixin, AllauthSignupForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_("Shown to your neighbours when you support an initiative."),
    )

    def save(self, request: Any) -> Any:
        user = super().save(request)
        user.full_name = self.cleaned_data.get("full_name", "")
        user.save(update_fields=["full_name"])
        return user


class LanguageSelect(forms.Select):
    """The languages by their own names ("Nederlands", "English"), each marked with its language
    so that screen readers say it right (WCAG 3.1.2) and a Dutch page holds no unmarked English."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["value"]:
            option["attrs"]["lang"] = option["value"]
        return option


class ProfileForm(SingleLineFieldsMixin, forms.ModelForm):
    home_area = GroupedAreaChoiceField(
        label=_("Home area"),
        queryset=Area.objects.all(),
        required=False,
        empty_label=_("(not chosen)"),
        help_text=_(
            "The district, village or neighbourhood you live in. We use it to show you what "
            "happens in your own area."
        ),
    )

    class Meta:
        model = User
        fields = ["full_name", "home_area", "birth_date", "phone", "expertise", "language"]
        labels = {
            "full_name": _("Full name"),
            "phone": _("Telephone"),
            "birth_date": _("Date of birth"),
            "expertise": _("Expertise you offer to your neighbourhood"),
            "language": _("Language of your e-mails"),
        }
        help_texts = {
            "full_name": _("Shown to your neighbours when you support an initiative."),
            "phone": _("Only for the municipality's officials and your council or group."),
            "birth_date": _(
                "It decides whether you may vote in a neighbourhood budget round with an age limit."
            ),
            "expertise": _("For example: carpentry, writing grant applications, first aid."),
            "language": _("The e-mails we send you are in this language."),
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "birth_date": forms.DateInput(
                format="%Y-%m-%d", attrs={"type": "date", "autocomplete": "bday"}
            ),
            "expertise": forms.Textarea(attrs={"rows": 4}),
            "language": LanguageSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a form without the field (an older page, a script) keeps the language as it is
        self.fields["language"].required = False
        # likewise the date of birth (a form from before it existed does not clear it)
        if self.is_bound and "birth_date" not in self.data:
            del self.fields["birth_date"]

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_birth_date(self) -> datetime.date | None:
        born = self.cleaned_data.get("birth_date")
        if born is not None and not datetime.date(1900, 1, 1) <= born <= datetime.date.today():
            raise forms.ValidationError(
                _("Enter your real date of birth: not in the future, not before 1900.")
            )
        return born

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and (not set(phone) <= PHONE_CHARACTERS or sum(c.isdigit() for c in phone) < 8):
            raise forms.ValidationError(
                _("Enter a telephone number in digits, for example 0162 123 456 or +31 6 12345678.")
            )
        return phone
