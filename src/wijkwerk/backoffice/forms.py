"""Back-office forms that are not about areas: role assignments, search and audit filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.accounts.models import Role
from wijkwerk.areas.forms import SELECT, TEXT, PersonField, ServiceForm
from wijkwerk.areas.models import Area, Municipality

from .selectors import AUDIT_OBJECT_TYPES


class RoleAssignmentForm(ServiceForm):
    error_fields = {"user": "email"}

    email = PersonField()
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.Select(SELECT))
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("– whole municipality –"),
        help_text=_(
            "Alderman, broker, community worker and area coordinator work for an area; "
            "clerk and administrator for the whole municipality."
        ),
        widget=forms.Select(SELECT),
    )
    public_contact = forms.CharField(
        label=_("Public contact route"),
        max_length=200,
        required=False,
        help_text=_("Shown on the area page, e.g. an e-mail address or telephone number."),
        widget=forms.TextInput(TEXT),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        ).order_by("name")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or CBS code"),
        max_length=100,
        required=False,
        widget=forms.TextInput({**TEXT, "type": "search"}),
    )


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(
        label=_("Kind of object"),
        required=False,
        choices=[("", _("– all –")), *AUDIT_OBJECT_TYPES.items()],
        widget=forms.Select(SELECT),
    )
    person = forms.CharField(
        label=_("Changed by (e-mail)"),
        max_length=254,
        required=False,
        widget=forms.TextInput(TEXT),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({**TEXT, "type": "date"})
    )
    date_to = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput({**TEXT, "type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data
