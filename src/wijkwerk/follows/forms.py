from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Frequency


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How do you want the updates?"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how often you want updates."),
            "invalid_choice": _("Choose how often you want updates."),
        },
    )
