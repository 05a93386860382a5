from __future__ import annotations

import datetime
import html
from decimal import Decimal
from itertools import groupby
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from wijkwerk.accounts.models import User
from wijkwerk.accounts.policy import is_area_broker
from wijkwerk.accounts.selectors import own_municipality_ids
from wijkwerk.areas.forms import GroupedAreaChoiceField, GroupedSelect
from wijkwerk.areas.models import Area, AreaCouncil, Municipality, ResidentGroup
from wijkwerk.core.forms import SingleLineFieldsMixin
from wijkwerk.core.money import EuroField, format_money
from wijkwerk.funds.iban import check_iban
from wijkwerk.funds.models import Category, Fund, Scheme

from . import workflow
from .models import ApplicantKind, AttachmentPurpose, BudgetLine, Initiative, Status
from .selectors import SORTS, budget_year, funds_for_approval
from .states import PUBLIC
from .uploads import check_upload

MAX_BUDGET_LINES = 30
MAX_CO_APPLICANTS = 20
# A budget line above EUR 1 million is a typing error in a residents' initiative.
MAX_LINE_CENTS = 100_000_000

_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.ClearableFileInput, "utrecht-file-input"),
    (Input, "utrecht-textbox utrecht-textbox--html-input"),
]


class FastSelect(forms.Select):
    """A select rendered in Python: Django renders every option through a template, which costs
    milliseconds on the list page's filter of all areas. Same markup, same attributes; labels
    and values are escaped once each instead of through format_html per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self._flat_choices():
            selected = " selected" if str(option_value) in chosen else ""
            options.append(
                f'<option value="{html.escape(str(option_value))}"{selected}>'
                f"{html.escape(str(label))}</option>"
            )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html(
            "<select{}>{}</select>",
            flatatt({**final_attrs, "name": name}),
            mark_safe("".join(options)),  # noqa: S308 - every label and value escaped above
        )

    def _flat_choices(self) -> list[tuple[Any, Any]]:
        flat: list[tuple[Any, Any]] = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                flat.extend(label)
            else:
                flat.append((option_value, label))
        return flat


class DesignSystemMixin(SingleLineFieldsMixin):
    """Give every widget its NL Design System class; mark invalid ones after validation. (And,
    as every form, refuse control characters in one-line fields.)"""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            for widget_type, classes in _WIDGET_CLASSES:
                if isinstance(field.widget, widget_type):
                    field.widget.attrs["class"] = classes
                    break

    def full_clean(self) -> None:
        super().full_clean()
        for name in getattr(self, "_errors", None) or {}:
            field = self.fields.get(name)
            if field is not None:
                block = field.widget.attrs.get("class", "").split(" ")[0]
                if block:
                    field.widget.attrs["class"] += f" {block}--invalid"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class InitiativeForm(DesignSystemMixin, forms.ModelForm):
    own_contribution = EuroField(
        label=_("Own contribution in money"),
        required=False,
        allow_zero=True,
        max_cents=MAX_LINE_CENTS,
    )

    class Meta:
        model = Initiative
        fields = [
            "title",
            "summary",
            "description",
            "area",
            "category",
            "scheme",
            "applicant_kind",
            "resident_group",
            "area_council",
            "legal_entity",
            "applicant_age",
            "address",
            "latitude",
            "longitude",
            "planned_start",
            "planned_end",
            "own_contribution_hours",
            "own_contribution_materials",
            "consent_to_publish",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "own_contribution_materials": forms.Textarea(attrs={"rows": 2}),
            "planned_start": DateInput(),
            "planned_end": DateInput(),
            "applicant_kind": forms.RadioSelect,
            # Filled by the map (location-picker.js); residents never type coordinates.
            "latitude": forms.HiddenInput(attrs={"data-map-latitude": ""}),
            "longitude": forms.HiddenInput(attrs={"data-map-longitude": ""}),
        }
        field_classes = {"area": GroupedAreaChoiceField}
        labels = {
            "consent_to_publish": _(
                "I agree that my initiative (without my contact details) is shown on the website"
            ),
            "applicant_age": _("Your age"),
            "own_contribution_hours": _("Own contribution in volunteer hours"),
            "own_contribution_materials": _("Own contribution in materials or other means"),
        }
        help_texts = {
            "summary": _("One or two sentences: what do you want to do, and for whom?"),
            "address": _(
                "Street and house number, a square or a park, and the village or town. With "
                "JavaScript you can also point at the spot on the map below."
            ),
            "applicant_age": _("The scheme has a minimum age."),
        }

    def __init__(self, *args: Any, user: User, scheme: Scheme | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.scheme = scheme
        self.fields["summary"].required = True
        self.fields["own_contribution_hours"].required = False
        # A person is offered the areas, schemes and categories of their own municipality (home
        # area, roles); clean() refuses another municipality's with a message saying so.
        self.own_municipalities = own_municipality_ids(user)
        areas = Area.objects.select_related("municipality")
        schemes = Scheme.objects.filter(is_active=True).select_related("municipality")
        categories = Category.objects.select_related("municipality")
        self._queryset("area", areas)
        self._queryset("category", categories)
        self._queryset("scheme", schemes)
        if self.own_municipalities:
            own = {"municipality__in": self.own_municipalities}
            self._queryset("area", areas.filter(**own))
            for name, queryset in (("scheme", schemes), ("category", categories)):
                field = self.fields[name]
                assert isinstance(field, forms.ModelChoiceField)
                field.widget.choices = [
                    ("", field.empty_label),
                    *((item.pk, str(item)) for item in queryset.filter(**own)),
                ]
        self._queryset(
            "resident_group", ResidentGroup.objects.filter(members=user, dissolved_at__isnull=True)
        )
        self._queryset("area_council", AreaCouncil.objects.filter(members=user))
        if self.instance.pk:
            self.fields["own_contribution"].initial = self.instance.own_contribution_cents
        if not self.is_bound and self.instance.pk is None and user.home_area_id:
            self.fields["area"].initial = user.home_area_id
        if not self.is_bound and scheme is not None and self.instance.scheme_id is None:
            self.fields["scheme"].initial = scheme.pk  # chosen on the first page
        self._ask_what_the_scheme_needs()

    def _ask_what_the_scheme_needs(self) -> None:
        """Only the fields the chosen scheme (and this person) need; and "(optional)" only on
        fields that are: those needed to submit say so, though a draft may leave them empty."""
        scheme, instance = self.scheme, self.instance
        if scheme is not None:
            if scheme.legal_entity_above_cents is None and not instance.legal_entity:
                del self.fields["legal_entity"]
            else:
                self.fields["legal_entity"].show_optional = False  # type: ignore[attr-defined]
                self.fields["legal_entity"].help_text = _(
                    "Needed if you ask more than %(limit)s: the foundation or association that "
                    "applies."
                ) % {"limit": format_money(scheme.legal_entity_above_cents or 0)}
            if scheme.min_applicant_age == 0 and instance.applicant_age is None:
                del self.fields["applicant_age"]
            else:
                self.fields["applicant_age"].help_text = _(
                    "%(scheme)s asks applicants of at least %(age)d."
                ) % {"scheme": scheme.name, "age": scheme.min_applicant_age}
            accepted = list(scheme.categories.all())
            if accepted:
                category = self.fields["category"]
                assert isinstance(category, forms.ModelChoiceField)
                category.widget.choices = [
                    ("", category.empty_label),
                    *((c.pk, c.name) for c in accepted),
                ]
        groups = self.fields["resident_group"]
        councils = self.fields["area_council"]
        assert isinstance(groups, forms.ModelChoiceField)
        assert isinstance(councils, forms.ModelChoiceField)
        if (
            instance.applicant_kind == ApplicantKind.PERSON
            and not groups.queryset.exists()  # type: ignore[union-attr]
            and not councils.queryset.exists()  # type: ignore[union-attr]
        ):
            # Only for themselves: no question about who applies.
            for name in ("applicant_kind", "resident_group", "area_council"):
                del self.fields[name]
        for name in ("description", "scheme", "planned_start", "planned_end", "applicant_age"):
            if name in self.fields:
                self.fields[name].show_optional = False  # type: ignore[attr-defined]

    def _queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def clean_latitude(self) -> Decimal | None:
        value = self.cleaned_data.get("latitude")
        if value is not None and not Decimal(-90) <= value <= Decimal(90):
            raise ValidationError(_("A latitude lies between -90 and 90."))
        return value

    def clean_longitude(self) -> Decimal | None:
        value = self.cleaned_data.get("longitude")
        if value is not None and not Decimal(-180) <= value <= Decimal(180):
            raise ValidationError(_("A longitude lies between -180 and 180."))
        return value

    def clean_applicant_age(self) -> int | None:
        value = self.cleaned_data.get("applicant_age")
        if value is not None and value > 120:
            raise ValidationError(_("Enter your age in years."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The end date cannot be before the start date."))
        if start and start < timezone.localdate() - datetime.timedelta(days=365):
            self.add_error("planned_start", _("The start date lies too far in the past."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Enter both latitude and longitude, or neither."))
        kind = data.get("applicant_kind")
        if kind == ApplicantKind.GROUP and not data.get("resident_group"):
            self.add_error("resident_group", _("Choose the resident group you apply for."))
        if kind == ApplicantKind.COUNCIL and not data.get("area_council"):
            self.add_error("area_council", _("Choose the area council you apply for."))
        if kind != ApplicantKind.GROUP:
            data["resident_group"] = None
        if kind != ApplicantKind.COUNCIL:
            data["area_council"] = None
        area, scheme, category = data.get("area"), data.get("scheme"), data.get("category")
        own = self.own_municipalities
        if scheme and own and scheme.municipality_id not in own:
            self.add_error("scheme", _other_municipality(scheme.municipality, own, "scheme"))
            scheme = None
        if category and own and category.municipality_id not in own:
            self.add_error("category", _other_municipality(category.municipality, own, "category"))
            category = None
        if area and scheme and scheme.municipality_id != area.municipality_id:
            self.add_error("scheme", _("This scheme is not one of the area's municipality."))
        if area and category and category.municipality_id != area.municipality_id:
            self.add_error("category", _("This category is not one of the area's municipality."))
        return data

    def values(self) -> dict[str, Any]:
        """The application's values; fields this scheme does not ask keep what they had."""
        values = {
            name: self.cleaned_data.get(name) for name in self.Meta.fields if name in self.fields
        }
        values["own_contribution_cents"] = self.cleaned_data.get("own_contribution") or 0
        values["own_contribution_hours"] = values["own_contribution_hours"] or 0
        return values


def _other_municipality(theirs: Municipality, own: set[int], what: str) -> str:
    names = ", ".join(
        Municipality.objects.filter(pk__in=own).order_by("name").values_list("name", flat=True)
    )
    if what == "scheme":
        text = _(
            "This is a scheme of %(other)s. You can apply under a scheme of your own "
            "municipality (%(own)s)."
        )
    else:
        text = _(
            "This is a category of %(other)s. Choose a category of your own municipality (%(own)s)."
        )
    return text % {"other": theirs.name, "own": names}


class BudgetLineForm(DesignSystemMixin, forms.Form):
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    # How to write an amount is said once above the lines, not on every line.
    amount = EuroField(label=_("Amount"), required=False, max_cents=MAX_LINE_CENTS, help_text="")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        description = (data.get("description") or "").strip()
        amount = data.get("amount")
        if description and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount of this line."))
        if amount is not None and not description:
            self.add_error("description", _("Describe what this amount is for."))
        return data


class CoApplicantForm(DesignSystemMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=120, required=False)
    lives_in_area = forms.BooleanField(label=_("Lives in the area"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("age") is None and "age" not in self.errors:
            self.add_error("age", _("Enter the age of this co-applicant."))
        if data.get("age") is not None and not data.get("name"):
            self.add_error("name", _("Enter the name of this co-applicant."))
        return data


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, extra=3, max_num=MAX_BUDGET_LINES, validate_max=True, absolute_max=50
)
CoApplicantFormSet = forms.formset_factory(
    CoApplicantForm, extra=2, max_num=MAX_CO_APPLICANTS, validate_max=True, absolute_max=40
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once (a list, perhaps empty)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        clean_one = super().clean
        if isinstance(data, (list, tuple)):
            return [clean_one(item, initial) for item in data if item]
        return [clean_one(data, initial)] if data else []


class ApplicationFilesForm(DesignSystemMixin, forms.Form):
    """Photos and documents chosen on the application form itself: saved with the rest of the
    form, so choosing a file never loses what was typed."""

    MAX_FILES = 10

    uploads = MultipleFileField(
        label=_("Add photos or documents"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,.pdf"}),
        help_text=_(
            "Photos (PNG, JPEG, WebP) or PDFs of at most 5 MB each, for example a photo of the "
            "spot or a quotation. You can choose several at once."
        ),
    )

    def clean_uploads(self) -> list[Any]:
        return checked_uploads(self.cleaned_data.get("uploads"), self.MAX_FILES)


def checked_uploads(uploads: Any, most: int) -> list[Any]:
    """The files chosen in one field, each checked (`check_upload`); the message names the file
    that is refused."""
    uploads = list(uploads or [])
    if len(uploads) > most:
        raise ValidationError(_("Choose at most %(count)d files at a time.") % {"count": most})
    for upload in uploads:
        try:
            check_upload(upload)
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s: %(problem)s")
                % {"name": upload.name, "problem": " ".join(error.messages)}
            ) from error
    return uploads


class AccountabilityFilesForm(DesignSystemMixin, forms.Form):
    """Receipts and photos of the result, chosen on the accountability form itself: added with
    the "Add the files" button (what was typed stays) or along with the accountability."""

    MAX_FILES = 10

    receipts = MultipleFileField(
        label=_("Add receipts"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,.pdf"}),
        help_text=_("Photos or PDFs of receipts and invoices, at most 5 MB each."),
    )
    photos = MultipleFileField(
        label=_("Add photos of the result"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("PNG, JPEG or WebP, at most 5 MB each. Photos may be shown on the website."),
    )

    def clean_receipts(self) -> list[Any]:
        return checked_uploads(self.cleaned_data.get("receipts"), self.MAX_FILES)

    def clean_photos(self) -> list[Any]:
        return checked_uploads(self.cleaned_data.get("photos"), self.MAX_FILES)


class SchemeChoiceForm(forms.Form):
    """The first page of an application: the scheme, each shown with what it asks."""

    regeling = forms.ModelChoiceField(
        label=_("Under which scheme do you apply?"),
        queryset=Scheme.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the schemes below.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schemes = Scheme.objects.filter(is_active=True).select_related("municipality")
        own = own_municipality_ids(user)
        if own:
            schemes = schemes.filter(municipality__in=own)
        field = self.fields["regeling"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = schemes.prefetch_related("categories").order_by(
            "municipality__name", "name"
        )


class AttachmentForm(DesignSystemMixin, forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("A photo (PNG, JPEG, WebP) or a PDF of at most 5 MB.")
    )
    purpose = forms.ChoiceField(label=_("What is it?"), choices=AttachmentPurpose.choices)

    def __init__(self, *args: Any, purposes: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if purposes is not None:
            field = self.fields["purpose"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [c for c in AttachmentPurpose.choices if c[0] in purposes]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


class HelpOfferForm(DesignSystemMixin, forms.Form):
    text = forms.CharField(
        label=_("What can you do?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: I can bake cakes, lend a trailer or hand out flyers."),
    )


class MessageForm(DesignSystemMixin, forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_internal = forms.BooleanField(
        label=_("Internal note: only officials see it"), required=False
    )

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["is_internal"]


class FundChoiceField(forms.ModelChoiceField):
    """A fund, shown with what it has available (`available`: cents by fund id)."""

    available: dict[int, int] = {}

    def label_from_instance(self, obj: Any) -> str:
        return _("%(fund)s: %(available)s available") % {
            "fund": obj,
            "available": format_money(self.available.get(obj.pk, 0)),
        }


class TransitionForm(DesignSystemMixin, forms.Form):
    """The fields one workflow step needs, taken from the workflow table."""

    amount = EuroField(label=_("Amount granted"), required=False)
    fund = FundChoiceField(
        label=_("Fund"),
        queryset=Fund.objects.none(),
        required=False,
        empty_label=_("Choose a fund"),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Reason or note for the applicant"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, step: workflow.Transition, initiative: Initiative, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        if step.action == "approve":
            self._offer_funds(initiative)
            self.fields["amount"].initial = initiative.requested_cents
        else:
            for name in ("amount", "fund", "conditions"):
                del self.fields[name]
        for name in step.required:
            if name in self.fields:
                self.fields[name].required = True
        if "reason" in step.required:
            self.fields["reason"].label = _("Reason")

    def _offer_funds(self, initiative: Initiative) -> None:
        """Only funds of the initiative's scheme and year that cover its area, each with what it
        has available; the first (the area's own fund before a municipality-wide one) that can
        pay the amount requested is chosen already."""
        offered = funds_for_approval(initiative)
        available = {fund.pk: figures.available for fund, figures in offered}
        field = self.fields["fund"]
        assert isinstance(field, FundChoiceField)
        field.queryset = Fund.objects.filter(pk__in=available).select_related("scheme")
        field.available = available
        field.help_text = _("Funds of %(scheme)s for %(year)s that cover %(area)s.") % {
            "scheme": initiative.scheme or _("any scheme"),
            "year": budget_year(initiative),
            "area": initiative.area,
        }
        enough = [f.pk for f, figures in offered if figures.available >= initiative.requested_cents]
        if enough or offered:
            field.initial = (enough or [offered[0][0].pk])[0]


class AccountabilityForm(DesignSystemMixin, forms.Form):
    report = forms.CharField(
        label=_("What was done?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tell what happened, who took part and what it brought the neighbourhood."),
    )
    took_place = forms.BooleanField(label=_("The activity took place"), required=False)
    participants = forms.IntegerField(
        label=_("Number of participants"), min_value=0, max_value=1_000_000
    )

    def __init__(self, *args: Any, lines: list[BudgetLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"actual_{line.pk}"] = EuroField(
                label=_("Actual costs: %(line)s") % {"line": line.description},
                allow_zero=True,
                max_cents=MAX_LINE_CENTS,
                initial=line.actual_cents,
            )
            self.fields[f"actual_{line.pk}"].widget.attrs["class"] = (
                "utrecht-textbox utrecht-textbox--html-input"
            )

    def actual_costs(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"actual_{line.pk}"] for line in self.lines}

    def line_fields(self) -> list[forms.BoundField]:
        return [self[f"actual_{line.pk}"] for line in self.lines]


class RepaymentForm(DesignSystemMixin, forms.Form):
    amount = EuroField(label=_("Amount received"))
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        help_text=_("For example the date or the reference of the bank transfer."),
    )


class PayeeForm(DesignSystemMixin, forms.Form):
    """The account the grant is paid to."""

    iban = forms.CharField(
        label=_("IBAN"),
        max_length=50,
        help_text=_("The account number, for example NL91 ABNA 0417 1643 00."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Account holder"),
        max_length=70,
        help_text=_("The name the account is in, as the bank knows it."),
    )

    def clean_iban(self) -> str:
        return check_iban(self.cleaned_data["iban"])


class AssignForm(DesignSystemMixin, forms.Form):
    broker = forms.ModelChoiceField(
        label=_("Broker"), queryset=User.objects.none(), empty_label=_("Choose a broker")
    )

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["broker"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(is_area_broker.users(initiative))


class FilterForm(DesignSystemMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    area = GroupedAreaChoiceField(
        label=_("Area"), queryset=Area.objects.all(), required=False, empty_label=_("All areas")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("All categories"),
    )
    fund = forms.ModelChoiceField(
        label=_("Fund"), queryset=Fund.objects.none(), required=False, empty_label=_("All funds")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
        # The options as plain tuples from one ordinary query each: no model instances, and on
        # PostgreSQL no server-side cursor (three round trips) as ModelChoiceIterator uses. The
        # fields still validate a choice against their queryset.
        # Every municipality has its own categories, often with the same names: grouped by
        # municipality, as the areas are (GroupedAreaChoiceField), "Overig" is not listed twice
        # without saying whose it is.
        categories = Category.objects.order_by("municipality__name", "municipality_id", "name")
        category_groups: list[tuple[str, list[tuple[int, str]]]] = []
        for (municipality, _id), rows in groupby(
            categories.values_list("municipality__name", "municipality_id", "pk", "name"),
            key=lambda row: (row[0], row[1]),
        ):
            category_groups.append((municipality, [(row[2], row[3]) for row in rows]))
        self.fields["category"].widget = GroupedSelect(attrs=self.fields["category"].widget.attrs)
        funds = Fund.objects.only("id", "name", "year").order_by("-year", "name")
        for name, queryset, options in (
            ("category", categories, category_groups),
            ("fund", funds, [(f.pk, str(f)) for f in funds]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
            field.widget.choices = [("", field.empty_label), *options]
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("All statuses"))] + [c for c in Status.choices if c[0] in PUBLIC]
        sort = self.fields["sort"]
        assert isinstance(sort, forms.ChoiceField)
        sort.choices = [
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("support", _("Most support")),
            ("amount", _("Highest amount")),
            ("title", _("Title")),
            ("relevance", _("Best match")),
        ]
        assert set(SORTS) <= {c[0] for c in sort.choices}


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("assign_to_me", _("Assign to me")), ("mark_paid", _("Mark as paid"))]
    )
    initiatives = forms.TypedMultipleChoiceField(coerce=int, choices=())

    def __init__(self, *args: Any, ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["initiatives"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(i, str(i)) for i in ids]
