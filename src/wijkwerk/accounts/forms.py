from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
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
