"""The challenges' forms, rendered through the core.forms renderer (`{{ field.as_field_group }}`).

The proposal form accepts an incomplete draft; what submitting needs is said in each field's
help text and checked on submission (workflow.missing_items)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.forms import GroupedAreaChoiceField, GroupedAreaMultipleChoiceField
from wijkwerk.areas.models import Area
from wijkwerk.core.money import EuroField, format_money
from wijkwerk.funds.models import Fund
from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives.forms import DateInput, DesignSystemMixin, PayeeForm
from wijkwerk.initiatives.uploads import check_upload

from .models import KVK_VALIDATOR, LegalForm, TermUnit

NEEDED = _("Needed to submit.")


def needed(text: Any) -> Any:
    """A help text that ends by saying the field is needed to submit."""
    return format_lazy("{} {}", text, NEEDED)


TEXT = 5000


def _text(label: Any, help_text: Any, rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ProposalForm(DesignSystemMixin, forms.Form):
    title = forms.CharField(
        label=_("Title of the proposal"),
        max_length=150,
        help_text=_("For example: Village association maintains the green space of Lith."),
    )
    organisation_name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=150,
        required=False,
        help_text=needed(_("The association, foundation or cooperative that challenges.")),
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[("", _("Choose a legal form")), *LegalForm.choices],
        help_text=NEEDED,
    )
    kvk_number = forms.CharField(
        label=_("KvK number"),
        max_length=30,
        required=False,
        help_text=needed(
            _("The 8 digits of the organisation's registration at the Chamber of Commerce.")
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    area = GroupedAreaChoiceField(
        label=_("Area concerned"),
        queryset=Area.objects.all(),
        help_text=_("The area whose task you want to take over."),
    )
    other_areas = GroupedAreaMultipleChoiceField(
        label=_("Other areas concerned"),
        queryset=Area.objects.all(),
        required=False,
        help_text=_("Only if the task covers more areas of the same municipality."),
    )
    task = _text(
        _("1. The task you want to take over"),
        needed(_("Which task of the municipality, where, and how much of it.")),
    )
    why_better = _text(
        _("2. Why you can do it better or cheaper"),
        needed(_("What residents gain, or what it saves.")),
    )
    experience = _text(
        _("3. Your experience and expertise"),
        needed(_("What the organisation and its members know and have done.")),
    )
    support = _text(
        _("4. Support among the residents concerned"),
        needed(_("Who supports the proposal, and how you know.")),
    )
    support_signatures = forms.IntegerField(
        label=_("Number of signatures"),
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text=_("Give the number of signatures, or add a file as evidence below."),
    )
    support_file = forms.FileField(
        label=_("Evidence of support (file)"),
        required=False,
        help_text=_("A signature list or letters of support: a PDF or photo of at most 5 MB."),
    )
    cost_estimate_cents = EuroField(
        label=_("5. Cost estimate"),
        required=False,
        allow_zero=True,
        help_text=needed(
            _("What carrying out the task costs per year, in euros, for example 12.500,00.")
        ),
    )
    cooperation = _text(
        _("6. Cooperation you want from the municipality"),
        needed(_("Money, materials, permits, contacts, advice.")),
    )
    continuity = _text(
        _("7. Quality and continuity"),
        needed(_("How you keep the work going and of good quality, also when people leave.")),
    )
    other_file = forms.FileField(
        label=_("Other document"),
        required=False,
        help_text=_("For example a plan or budget: a PDF or photo of at most 5 MB."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("title", "area"):
                field.show_optional = False  # type: ignore[attr-defined]
        self.fields["support_file"].show_optional = True  # type: ignore[attr-defined]
        self.fields["other_file"].show_optional = True  # type: ignore[attr-defined]
        self.fields["other_areas"].show_optional = True  # type: ignore[attr-defined]

    def clean_kvk_number(self) -> str:
        value = str(self.cleaned_data.get("kvk_number") or "").replace(" ", "").replace(".", "")
        if value:
            KVK_VALIDATOR(value)
        return value

    def clean_support_file(self) -> Any:
        upload = self.cleaned_data.get("support_file")
        if upload:
            check_upload(upload)
        return upload

    def clean_other_file(self) -> Any:
        upload = self.cleaned_data.get("other_file")
        if upload:
            check_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area = data.get("area")
        others = data.get("other_areas") or []
        if area is not None and any(o.municipality_id != area.municipality_id for o in others):
            self.add_error(
                "other_areas", _("All areas concerned must lie in the same municipality.")
            )
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name)
            for name in (
                "title",
                "organisation_name",
                "legal_form",
                "kvk_number",
                "task",
                "why_better",
                "experience",
                "support",
                "support_signatures",
                "cost_estimate_cents",
                "cooperation",
                "continuity",
            )
        }


class DecisionForm(DesignSystemMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("admit", _("Admit the challenge")), ("refuse", _("Do not admit the challenge"))],
        widget=forms.RadioSelect,
    )
    entity_confirmed = forms.BooleanField(
        label=_("I checked the legal entity: the KvK number and legal form are right"),
        required=False,
        help_text=_("Needed to admit."),
    )
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        widget=DateInput(),
        help_text=_("Not before the submission and not in the future."),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Why you decide this. The letter quotes them; a decision needs reasons."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"decided_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class EndForm(DesignSystemMixin, forms.Form):
    reasons = forms.CharField(
        label=_("Reasons"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )


class AgreementForm(DesignSystemMixin, forms.Form):
    tasks = forms.CharField(
        label=_("Tasks"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the organisation takes over."),
    )
    result = forms.CharField(
        label=_("Intended result"), max_length=TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    parties = forms.CharField(
        label=_("Who does what"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organisation's and the municipality's part, and who is the contact."),
    )
    budget_cents = EuroField(
        label=_("Budget"),
        allow_zero=True,
        help_text=_("What the municipality pays for the term, in euros; 0,00 if nothing."),
    )
    starts_on = forms.DateField(label=_("Start"), widget=DateInput())
    ends_on = forms.DateField(label=_("End"), widget=DateInput())
    report_every_months = forms.IntegerField(
        label=_("Progress report every … months"), min_value=1, max_value=12, initial=3
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end of the term cannot be before its start."))
        return data


class FundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("%(fund)s: %(available)s available") % {
            "fund": obj,
            "available": format_money(fund_figures(obj).available),
        }


class CommitForm(DesignSystemMixin, forms.Form):
    fund = FundChoiceField(label=_("Fund"), queryset=Fund.objects.none())
    amount = EuroField(label=_("Amount to commit"))

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["fund"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Fund.objects.filter(municipality_id=municipality_id, is_active=True)


class PaymentForm(PayeeForm):
    """A payment to the organisation: the amount, what for, and the account (initiatives'
    payee fields: IBAN checked, account holder)."""

    amount = EuroField(label=_("Amount to pay"))
    note = forms.CharField(
        label=_("What for"),
        max_length=200,
        help_text=_("For example: first instalment 2026."),
    )
    field_order = ["amount", "note", "iban", "name"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["iban"].label = _("IBAN of the organisation")


class ReportForm(DesignSystemMixin, forms.Form):
    text = forms.CharField(
        label=_("What was done"),
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you did since the last report, what went well and what did not."),
    )
    spent_cents = EuroField(label=_("Spent so far"), allow_zero=True, required=False)
    hours = forms.IntegerField(
        label=_("Volunteer hours"), min_value=0, max_value=10_000_000, required=False
    )
    residents_reached = forms.IntegerField(
        label=_("Residents reached"), min_value=0, max_value=10_000_000, required=False
    )


class SettingsForm(DesignSystemMixin, forms.Form):
    decision_term = forms.IntegerField(
        label=_("Term for the admissibility decision"),
        min_value=1,
        max_value=365,
        help_text=_("As your ordinance says; without one, at most eight weeks (Awb 4:13)."),
    )
    term_unit = forms.ChoiceField(label=_("Unit"), choices=TermUnit.choices)
