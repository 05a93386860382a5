"""Back-office forms. They only parse input; the rules live in the services
(`wijkwerk.areas.services`, `wijkwerk.accounts.services`), and a ValidationError from a service
comes back as errors on the fields it names, so the import command and the forms agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wijkwerk.accounts.models import Role, User
from wijkwerk.areas.forms import GroupedAreaChoiceField, GroupedSelect
from wijkwerk.areas.models import (
    Area,
    AreaCouncil,
    AreaKind,
    CouncilKind,
    CouncilPosition,
    GroupRole,
    JoinPolicy,
    Municipality,
    ResidentGroup,
)
from wijkwerk.areas.services import validate_boundary
from wijkwerk.core import auditlog
from wijkwerk.core.forms import SingleLineFieldsMixin

T = TypeVar("T")

BOUNDARY_FILE_MAX_BYTES = 2_500_000

TEXT = {"class": "utrecht-textbox utrecht-textbox--html-input"}
TEXTAREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}
SELECT = {"class": "utrecht-select utrecht-select--html-select"}
CHECKBOX = {"class": "utrecht-checkbox utrecht-checkbox--html-checkbox"}


class ServiceForm(SingleLineFieldsMixin, forms.Form):
    """A form whose `call` runs a service and turns its ValidationError into form errors."""

    # Service field names that the form shows under another name.
    error_fields: dict[str, str] = {}

    def call(self, service: Callable[..., T], **kwargs: Any) -> T | None:
        try:
            return service(**kwargs)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    name = self.error_fields.get(field, field)
                    self.add_error(name if name in self.fields else None, errors)
            else:
                self.add_error(None, error)
            return None


class PersonField(forms.EmailField):
    """An e-mail address that must belong to an existing account; cleans to the User."""

    default_error_messages = {
        "unknown": _(
            "There is no account with this e-mail address. Ask the person to register first."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("E-mail address of the person"))
        kwargs.setdefault("widget", forms.EmailInput(attrs={**TEXT, "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        email = super().clean(value)
        if not email:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        return user


def _boundary_initial(area: Area | None) -> str:
    return json.dumps(area.boundary, indent=1) if area is not None and area.boundary else ""


class AreaForm(ServiceForm):
    error_fields = {"boundary": "boundary_text"}

    kind = forms.ChoiceField(label=_("Kind"), choices=AreaKind.choices, widget=forms.Select(SELECT))
    parent = GroupedAreaChoiceField(
        label=_("Part of"),
        queryset=Area.objects.none(),
        required=False,
        help_text=_("Only for a neighbourhood: the district or village it lies in."),
        widget=GroupedSelect(SELECT),
    )
    name = forms.CharField(label=_("Name"), max_length=120, widget=forms.TextInput(TEXT))
    slug = forms.CharField(
        label=_("Web address name (slug)"),
        max_length=140,
        required=False,
        help_text=_(
            "Lower-case letters, digits and hyphens; left empty, it is made from the name."
        ),
        widget=forms.TextInput(TEXT),
    )
    cbs_code = forms.CharField(
        label=_("CBS code"),
        max_length=10,
        help_text=_(
            "WK and 6 digits for a district or village, BU and 8 digits for a neighbourhood."
        ),
        widget=forms.TextInput(TEXT),
    )
    cbs_year = forms.IntegerField(
        label=_("CBS edition year"),
        required=False,
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput(TEXT),
    )
    code_is_demo = forms.BooleanField(
        label=_("The code is not an official CBS code"),
        required=False,
        widget=forms.CheckboxInput(CHECKBOX),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(TEXTAREA)
    )
    boundary_text = forms.CharField(
        label=_("Boundary as GeoJSON"),
        required=False,
        help_text=_(
            "A Polygon or MultiPolygon in WGS84 (longitude, latitude), or a Feature holding one. "
            "Leave empty for no boundary."
        ),
        widget=forms.Textarea({**TEXTAREA, "rows": 6, "spellcheck": "false"}),
    )
    boundary_file = forms.FileField(
        label=_("Or upload a GeoJSON file"),
        required=False,
        help_text=_("A file replaces the text above."),
        widget=forms.ClearableFileInput(
            {"class": "utrecht-textbox", "accept": ".geojson,.json,application/geo+json"}
        ),
    )

    def __init__(
        self, *args: Any, municipality: Municipality, area: Area | None = None, **kwargs: Any
    ) -> None:
        if area is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": area.kind,
                    "parent": area.parent_id,
                    "name": area.name,
                    "slug": area.slug,
                    "cbs_code": area.cbs_code,
                    "cbs_year": area.cbs_year,
                    "code_is_demo": area.code_is_demo,
                    "description": area.description,
                    "boundary_text": _boundary_initial(area),
                },
            )
        super().__init__(*args, **kwargs)
        parents = Area.objects.filter(municipality=municipality).exclude(
            kind=AreaKind.NEIGHBOURHOOD
        )
        if area is not None:
            parents = parents.exclude(pk=area.pk)
        self.fields["parent"].queryset = parents.order_by("name")  # type: ignore[attr-defined]

    def clean_boundary_file(self) -> Any:
        upload = self.cleaned_data.get("boundary_file")
        if upload and upload.size > BOUNDARY_FILE_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(max)s MB; simplify the boundary.")
                % {"max": BOUNDARY_FILE_MAX_BYTES // 1_000_000}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("boundary_file")
        try:
            if upload:
                data["boundary"] = validate_boundary(upload.read())
            elif data.get("boundary_text", "").strip():
                data["boundary"] = validate_boundary(data["boundary_text"])
            else:
                data["boundary"] = None
        except ValidationError as error:
            self.add_error("boundary_file" if upload else "boundary_text", error)
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "parent": data["parent"],
            "name": data["name"],
            "slug": data["slug"],
            "cbs_code": data["cbs_code"],
            "cbs_year": data["cbs_year"],
            "code_is_demo": data["code_is_demo"],
            "description": data["description"],
            "boundary": data["boundary"],
        }


class _InAreaForm(ServiceForm):
    """Councils and groups belong to an area of the municipality being managed."""

    area = GroupedAreaChoiceField(
        label=_("Area"), queryset=Area.objects.none(), widget=GroupedSelect(SELECT)
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            municipality=municipality
        ).order_by("name")

    def service_fields(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CouncilForm(_InAreaForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=CouncilKind.choices, widget=forms.Select(SELECT)
    )
    name = forms.CharField(label=_("Name"), max_length=150, widget=forms.TextInput(TEXT))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(TEXTAREA)
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"), required=False, widget=forms.EmailInput(TEXT)
    )
    website = forms.URLField(label=_("Website"), required=False, widget=forms.URLInput(TEXT))

    @staticmethod
    def initial_for(council: AreaCouncil) -> dict[str, Any]:
        return {
            "area": council.area_id,
            "kind": council.kind,
            "name": council.name,
            "description": council.description,
            "contact_email": council.contact_email,
            "website": council.website,
        }


class GroupForm(_InAreaForm):
    name = forms.CharField(label=_("Name"), max_length=150, widget=forms.TextInput(TEXT))
    interest = forms.CharField(
        label=_("Interest or theme"),
        max_length=150,
        required=False,
        widget=forms.TextInput(TEXT),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(TEXTAREA)
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"), required=False, widget=forms.EmailInput(TEXT)
    )
    join_policy = forms.ChoiceField(
        label=_("Joining"),
        choices=JoinPolicy.choices,
        initial=JoinPolicy.OPEN,
        widget=forms.Select(SELECT),
    )

    @staticmethod
    def initial_for(group: ResidentGroup) -> dict[str, Any]:
        return {
            "area": group.area_id,
            "name": group.name,
            "interest": group.interest,
            "description": group.description,
            "contact_email": group.contact_email,
            "join_policy": group.join_policy,
        }


class CouncilMemberForm(ServiceForm):
    email = PersonField()
    position = forms.ChoiceField(
        label=_("Position"),
        choices=CouncilPosition.choices,
        initial=CouncilPosition.MEMBER,
        widget=forms.Select(SELECT),
    )
    since = forms.DateField(
        label=_("Member since"),
        required=False,
        widget=forms.DateInput({**TEXT, "type": "date"}),
    )


class GroupMemberForm(ServiceForm):
    email = PersonField()
    role = forms.ChoiceField(
        label=_("Role in the group"),
        choices=GroupRole.choices,
        initial=GroupRole.MEMBER,
        required=False,
        widget=forms.Select(SELECT),
    )


class RoleAssignmentForm(ServiceForm):
    error_fields = {"user": "email"}

    email = PersonField()
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, widget=forms.Select(SELECT))
    area = GroupedAreaChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("– whole municipality –"),
        help_text=_(
            "Alderman, broker, community worker and area coordinator work for an area; "
            "clerk and administrator for the whole municipality."
        ),
        widget=GroupedSelect(SELECT),
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


class InvitationForm(RoleAssignmentForm):
    """An invitation to take up a role: the person needs no account yet."""

    email = forms.EmailField(  # type: ignore[assignment]
        label=_("E-mail address of the person"),
        max_length=254,
        help_text=_("The invitation goes to this address; the person accepts with it."),
        widget=forms.EmailInput(attrs={**TEXT, "autocomplete": "off"}),
    )


class SearchForm(SingleLineFieldsMixin, forms.Form):
    q = forms.CharField(
        label=_("Search by name or CBS code"),
        max_length=100,
        required=False,
        widget=forms.TextInput({**TEXT, "type": "search"}),
    )


class AuditFilterForm(SingleLineFieldsMixin, forms.Form):
    # Every app's actions, grouped by app (core.auditlog's registry): a whole app or one action.
    kind = forms.ChoiceField(
        label=_("Kind of change"),
        required=False,
        choices=auditlog.filter_choices,
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
