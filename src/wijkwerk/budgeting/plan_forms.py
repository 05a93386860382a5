"""Forms for plans: a resident's plan, the list's filter, and the moderators' and reviewers'
forms (merge, hide, feasibility). Each form checks its fields; the services check the rest
(the phase, the round's areas) and their refusals go on the form.

(Kept apart from forms.py, where the round's set-up forms are.)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.models import Area
from wijkwerk.core.forms import SingleLineFieldsMixin
from wijkwerk.core.money import EuroField
from wijkwerk.funds.models import Category
from wijkwerk.initiatives.models import Initiative

from .models import BudgetProcess, Plan
from .refusals import BudgetRefused
from .services import plans as services
from .states import VISIBLE_PLAN, FeasibilityVerdict


class InitiativeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.area.name})"


class PlanForm(SingleLineFieldsMixin, forms.Form):
    """A resident's plan: what, where, what it costs, and (optionally) the initiative it is."""

    initiative = InitiativeChoiceField(
        label=_("Enter an initiative of yours"),
        queryset=Initiative.objects.none(),
        required=False,
        empty_label=_("No: a new plan"),
        help_text=_(
            "An initiative of yours in this area that has not been decided on yet. Choose it and "
            "press “Fill in from the initiative”: what you leave empty is taken from it."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=150)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences: what do you want, and for whom? Shown on the ballot."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What exactly should happen, where, and why it is good for the neighbourhood."),
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), empty_label=None)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    estimated_cost = EuroField(
        label=_("Estimated cost"),
        max_cents=services.MAX_PLAN_CENTS,
        help_text=_(
            "In euros, for example 12.500,00. Your own estimate: the municipality checks it "
            "and gives its own estimate before the vote."
        ),
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=200,
        required=False,
        help_text=_(
            "Street, square or park, and the village or town. With JavaScript you can also "
            "point at the spot on the map below."
        ),
    )
    # Filled by the map (initiatives/location-picker.js); nobody types coordinates.
    latitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.HiddenInput(attrs={"data-map-latitude": ""}),
    )
    longitude = forms.DecimalField(
        max_digits=9,
        decimal_places=6,
        required=False,
        widget=forms.HiddenInput(attrs={"data-map-longitude": ""}),
    )
    picture = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=_("A photo or drawing (PNG, JPEG or WebP, at most 5 MB). Shown on the ballot."),
    )
    remove_picture = forms.BooleanField(label=_("Remove the picture"), required=False)

    def __init__(
        self,
        *args: Any,
        process: BudgetProcess,
        user: Any,
        plan: Plan | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        self.plan = plan
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(
            pk__in=process.process_areas.values("area_id")
        ).order_by("name")
        if not self.is_bound and plan is None:
            own = getattr(user, "home_area", None)
            lineage = set(own.lineage_ids) if own is not None else set()
            for candidate in area.queryset:
                if candidate.pk in lineage:
                    area.initial = candidate.pk
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.queryset = Category.objects.filter(municipality_id=process.municipality_id)
        initiative = self.fields["initiative"]
        assert isinstance(initiative, forms.ModelChoiceField)
        author = plan.author if plan is not None else user
        initiative.queryset = services.enterable_initiatives(author, process)
        if plan is not None and plan.initiative_id is not None:
            initiative.queryset = (
                initiative.queryset.model._default_manager.filter(pk=plan.initiative_id)
                | initiative.queryset
            )
        if not initiative.queryset.exists():
            del self.fields["initiative"]
        if plan is None or not plan.picture:
            del self.fields["remove_picture"]

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

    def clean_picture(self) -> services.Picture | None:
        upload = self.cleaned_data.get("picture")
        if not upload:
            return None
        try:
            return services.check_picture(upload)
        except BudgetRefused as refused:
            raise ValidationError(refused.messages[0], code="bad_picture") from refused

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("address", _("The spot on the map was incomplete: mark it again."))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: data.get(name)
            for name in ("title", "summary", "description", "area", "category", "address")
        }
        values["latitude"] = data.get("latitude")
        values["longitude"] = data.get("longitude")
        values["estimated_cost_cents"] = data.get("estimated_cost")
        if "initiative" in self.fields:
            values["initiative"] = data.get("initiative")
        return values

    def refused(self, refusal: BudgetRefused) -> None:
        """Put a service's refusal on the field it is about."""
        fields = {
            "not_in_round": "area",
            "cost_required": "estimated_cost",
            "foreign_initiative": "initiative",
            "bad_picture": "picture",
        }
        name = fields.get(refusal.code or "")
        for message in refusal.messages:
            self.add_error(name if name in self.fields else None, message)


SORTS = (("likes", _("most likes")), ("newest", _("newest")))


class PlanFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.none(), required=False, empty_label=_("All areas")
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args: Any, process: BudgetProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = Area.objects.filter(
            pk__in=process.process_areas.values("area_id")
        ).order_by("name")
        if area.queryset.count() < 2:
            del self.fields["area"]


class MergeForm(SingleLineFieldsMixin, forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Plan.objects.none(),
        help_text=_("A plan of the same area. Its likes and this plan's likes count together."),
    )
    reason = forms.CharField(
        label=_("Why (public)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on this plan's page and sent to both authors."),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        into = self.fields["into"]
        assert isinstance(into, forms.ModelChoiceField)
        into.queryset = (
            Plan.objects.filter(process_id=plan.process_id, area_id=plan.area_id)
            .filter(status__in=VISIBLE_PLAN)
            .exclude(pk=plan.pk)
            .order_by("title", "pk")
        )


class HideForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the plan is hidden (public)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown instead of the plan, to everyone. Name no one."),
    )


class FeasibilityForm(SingleLineFieldsMixin, forms.Form):
    feasibility = forms.ChoiceField(
        label=_("Verdict"),
        choices=[
            (FeasibilityVerdict.FEASIBLE, _("Feasible")),
            (FeasibilityVerdict.INFEASIBLE, _("Not feasible")),
        ],
        widget=forms.RadioSelect,
    )
    municipal_cost = EuroField(
        label=_("The municipality's cost estimate"),
        required=False,
        max_cents=services.MAX_PLAN_CENTS,
        help_text=_(
            "In euros, for example 12.500,00. Needed for a feasible plan: this is the cost on "
            "the ballot."
        ),
    )
    feasibility_reason = forms.CharField(
        label=_("Explanation (public)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed for a plan that is not feasible: why not. Shown on the plan's page."),
    )

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("municipal_cost", "feasibility_reason"):
            self.fields[name].show_optional = False  # type: ignore[attr-defined]
        if plan is not None and not self.is_bound:
            if plan.feasibility != FeasibilityVerdict.PENDING:
                self.fields["feasibility"].initial = plan.feasibility
                self.fields["feasibility_reason"].initial = plan.feasibility_reason
            self.fields["municipal_cost"].initial = (
                plan.municipal_cost_cents
                if plan.municipal_cost_cents is not None
                else plan.estimated_cost_cents
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        verdict = data.get("feasibility")
        if (
            verdict == FeasibilityVerdict.FEASIBLE
            and not data.get("municipal_cost")
            and "municipal_cost" not in self.errors
        ):
            self.add_error(
                "municipal_cost", _("Give the municipality's cost estimate of a feasible plan.")
            )
        if (
            verdict == FeasibilityVerdict.INFEASIBLE
            and not (data.get("feasibility_reason") or "").strip()
        ):
            self.add_error("feasibility_reason", _("Say why the plan is not feasible."))
        return data
