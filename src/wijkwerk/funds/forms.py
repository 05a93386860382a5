from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core.forms import SingleLineFieldsMixin
from wijkwerk.core.money import EuroField

from .iban import check_bic, check_iban
from .models import Category, EntryKind, Fund, Scheme


class Described(SingleLineFieldsMixin):
    """Links each field's error message and description to its input (aria-describedby), so
    screen readers read them with the field; the ids match core/forms/field.html. (And, as every
    form, refuses control characters in one-line fields.)"""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:
                continue
            bound = self[name]  # type: ignore[index]
            ids = [f"{bound.auto_id}_error"]
            if bound.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            attrs = self.fields[name].widget.attrs
            attrs["aria-describedby"] = " ".join(ids)
            attrs["aria-invalid"] = "true"


class SchemeForm(Described, forms.ModelForm):
    max_per_initiative_cents = EuroField(label=_("Maximum per initiative"))
    legal_entity_above_cents = EuroField(
        label=_("Legal entity required above"),
        required=False,
        help_text=_("In euros. Leave empty if a legal entity is never required."),
    )
    settle_at_once_below_cents = EuroField(
        label=_("Settled at once below"),
        allow_zero=True,
        initial=Scheme._meta.get_field("settle_at_once_below_cents").default,
        help_text=_("In euros. Below this amount only a notice is needed if it did not happen."),
    )
    report_up_to_cents = EuroField(
        label=_("Report up to"),
        allow_zero=True,
        initial=Scheme._meta.get_field("report_up_to_cents").default,
        help_text=_("In euros. Up to this amount a report; above it an accountant's statement."),
    )
    second_official_above_cents = EuroField(
        label=_("Payment by a second official above"),
        allow_zero=True,
        required=False,
        initial=0,
        help_text=_(
            "In euros. A grant above this amount is paid out by an official other than the one "
            "who approved it. 0 means every grant."
        ),
    )

    class Meta:
        model = Scheme
        fields = [
            "municipality",
            "name",
            "description",
            "max_per_initiative_cents",
            "min_applicant_age",
            "applicant_must_live_in_area",
            "legal_entity_above_cents",
            "required_cosigners",
            "cosigner_min_age",
            "cosigners_must_live_in_area",
            "required_online_supporters",
            "lead_time_days",
            "decision_term_weeks",
            "settle_at_once_below_cents",
            "report_up_to_cents",
            "second_official_above_cents",
            "categories",
            "is_active",
        ]
        widgets = {"categories": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        # Moving a scheme or fund to another municipality would leave its funds, areas and
        # ledger behind in the old one.
        self.fields["municipality"].disabled = self.instance.pk is not None
        if self.instance.pk is None and len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]
        self.fields["categories"].queryset = Category.objects.filter(  # type: ignore[attr-defined]
            municipality__in=municipalities
        ).select_related("municipality")
        for name in ("min_applicant_age", "cosigner_min_age"):
            self.fields[name].widget.attrs["max"] = 120
        self.fields["decision_term_weeks"].widget.attrs["min"] = 1

    def clean_second_official_above_cents(self) -> int:
        # empty is the safe default: every grant is paid by a second official
        return self.cleaned_data.get("second_official_above_cents") or 0

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        municipality = data.get("municipality")
        for category in data.get("categories") or []:
            if municipality and category.municipality_id != municipality.pk:
                self.add_error("categories", _("Choose categories of the same municipality."))
                break
        return data


class CategoryForm(Described, forms.ModelForm):
    class Meta:
        model = Category
        fields = ["municipality", "name", "slug", "description"]

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        # Moving a scheme or fund to another municipality would leave its funds, areas and
        # ledger behind in the old one.
        self.fields["municipality"].disabled = self.instance.pk is not None
        if self.instance.pk is None and len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]


class FundForm(Described, forms.ModelForm):
    amount_cents = EuroField(label=_("Amount"), allow_zero=True)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    class Meta:
        model = Fund
        fields = [
            "municipality",
            "scheme",
            "name",
            "year",
            "amount_cents",
            "purpose",
            "areas",
            "is_active",
            "payment_iban",
            "payment_bic",
        ]
        widgets = {"areas": forms.CheckboxSelectMultiple}
        help_texts = {
            "payment_iban": _(
                "The municipality's account the grants are paid from; needed for the SEPA file "
                "of a payment batch."
            ),
            "payment_bic": _("Optional: the bank's BIC."),
        }

    def clean_payment_iban(self) -> str:
        value = self.cleaned_data.get("payment_iban") or ""
        return check_iban(value) if value.strip() else ""

    def clean_payment_bic(self) -> str:
        value = self.cleaned_data.get("payment_bic") or ""
        return check_bic(value) if value.strip() else ""

    def __init__(self, *args: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities  # type: ignore[attr-defined]
        # Moving a scheme or fund to another municipality would leave its funds, areas and
        # ledger behind in the old one.
        self.fields["municipality"].disabled = self.instance.pk is not None
        if self.instance.pk is None and len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]
        self.fields["scheme"].queryset = Scheme.objects.filter(  # type: ignore[attr-defined]
            municipality__in=municipalities
        ).select_related("municipality")
        self.fields["areas"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            municipality__in=municipalities
        ).select_related("municipality")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        municipality: Municipality | None = data.get("municipality")
        scheme = data.get("scheme")
        if municipality and scheme and scheme.municipality_id != municipality.pk:
            self.add_error("scheme", _("Choose a scheme of the same municipality."))
        if municipality and any(
            a.municipality_id != municipality.pk for a in data.get("areas") or []
        ):
            self.add_error("areas", _("Choose areas of the same municipality."))
        return data


class CorrectionForm(Described, forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[
            ("add", _("add to what is available")),
            ("subtract", _("take from what is available")),
        ],
        widget=forms.RadioSelect,
    )
    amount = EuroField(label=_("Amount"))
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def signed_cents(self) -> int:
        amount: int = self.cleaned_data["amount"]
        return amount if self.cleaned_data["direction"] == "add" else -amount


class LedgerFilterForm(Described, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("all kinds")), *EntryKind.choices], required=False
    )
    q = forms.CharField(label=_("Search in reason or initiative"), max_length=100, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class YearFilterForm(Described, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
