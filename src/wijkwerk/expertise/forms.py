from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.forms import GroupedAreaChoiceField
from wijkwerk.areas.models import Area
from wijkwerk.initiatives.forms import DateInput, DesignSystemMixin

from .models import (
    ANSWER_MAX,
    AVAILABILITY_MAX,
    DESCRIPTION_MAX,
    MESSAGE_MAX,
    OUTCOME_MAX,
    QUESTION_BODY_MAX,
    TITLE_MAX,
    AnswerKind,
    Offer,
    OfferKind,
    QuestionKind,
    Visibility,
)

TAGS_FIELD_MAX = 300


class AreaChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        parent = obj.parent
        return f"{obj.name} ({parent.name})" if parent is not None else obj.name


def _areas_field(queryset: Any, label: Any, help_text: Any = "") -> AreaChoices:
    return AreaChoices(
        queryset=queryset,
        label=label,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one area."),
            "invalid_choice": _("Choose areas of your own municipality."),
            "invalid_pk_value": _("Choose areas of your own municipality."),
        },
    )


class OfferForm(DesignSystemMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you offer?"), choices=OfferKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_("In a few words, for example: “Carpentry and small repairs”."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you can do or give, in plain text (at most 2000 characters)."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=TAGS_FIELD_MAX,
        required=False,
        help_text=_("Words to find your offer by, separated by commas: carpentry, garden, bike."),
    )
    availability = forms.CharField(
        label=_("When are you available?"),
        max_length=AVAILABILITY_MAX,
        help_text=_("For example: “Saturday mornings” or “a few hours a month”."),
    )
    available_until = forms.DateField(
        label=_("Available until"), required=False, widget=DateInput()
    )
    visibility = forms.ChoiceField(
        label=_("Who may see this offer?"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Nobody else sees your offer or your name. Your e-mail address and telephone number "
            "go only to someone whose invitation you accept."
        ),
    )

    def __init__(self, *args: Any, areas: Any, offer: Offer | None = None, **kwargs: Any) -> None:
        if offer is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": offer.kind,
                "title": offer.title,
                "description": offer.description,
                "tags": ", ".join(tag.name for tag in offer.tags.all()),
                "areas": [area.pk for area in offer.areas.all()],
                "availability": offer.availability,
                "available_until": offer.available_until,
                "visibility": offer.visibility,
            }
        super().__init__(*args, **kwargs)
        self.fields["areas"] = _areas_field(
            areas, _("Areas"), _("Where you offer it: one or more areas of your municipality.")
        )
        self.order_fields(
            ["kind", "title", "description", "tags", "areas", "availability", "available_until"]
        )

    def clean_tags(self) -> list[str]:
        return [part for part in self.cleaned_data["tags"].split(",") if part.strip()]


class SearchForm(DesignSystemMixin, forms.Form):
    q = forms.CharField(label=_("Search words"), max_length=200, required=False)
    tag = forms.CharField(label=_("Tag"), max_length=60, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of offer"),
        choices=[("", _("All kinds")), *OfferKind.choices],
        required=False,
    )

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"] = GroupedAreaChoiceField(
            areas, label=_("Area"), required=False, empty_label=_("All areas")
        )


class InviteForm(DesignSystemMixin, forms.Form):
    target = forms.ChoiceField(
        label=_("Invite to"),
        error_messages={
            "invalid_choice": _(
                "You cannot invite anyone to that: choose one of your own initiatives, groups "
                "or open questions."
            ),
            "required": _("Choose what you invite the resident to."),
        },
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tell why you invite them and what you hope they can do."),
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        choices = [("", _("Choose …")), *targets.choices()]
        self.fields["target"].choices = choices  # type: ignore[attr-defined]

    def clean_target(self) -> Any:
        found = self.targets.find(self.cleaned_data["target"])
        if found is None:
            raise forms.ValidationError(self.fields["target"].error_messages["invalid_choice"])
        return found


class QuestionForm(DesignSystemMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of question"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Question"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Explanation"),
        max_length=QUESTION_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you want to know, and what the municipality will do with the answers."),
    )
    closes_on = forms.DateField(
        label=_("Answers until"),
        widget=DateInput(),
        help_text=_("Residents can answer up to and including this day."),
    )

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"] = _areas_field(
            areas, _("To residents of"), _("One or more areas of your municipality.")
        )
        self.order_fields(["kind", "title", "body", "areas", "closes_on"])


class AnswerForm(DesignSystemMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("How do you reply?"),
        choices=AnswerKind.choices,
        widget=forms.RadioSelect,
        initial=AnswerKind.ANSWER,
    )
    text = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed for an answer; with “I want to help”, say how if you like."),
    )
    show_publicly = forms.BooleanField(
        label=_("The question's page may show my answer (without my name)"), required=False
    )

    def __init__(self, *args: Any, offers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].show_optional = False  # type: ignore[attr-defined]
        if offers:
            self.fields["offer"] = forms.ModelChoiceField(
                queryset=offers,
                label=_("Link one of your offers"),
                required=False,
                empty_label=_("No offer"),
                error_messages={"invalid_choice": _("Choose one of your own offers.")},
            )


class OutcomeForm(DesignSystemMixin, forms.Form):
    outcome = forms.CharField(
        label=_("What was done with the answers"),
        max_length=OUTCOME_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown on the question's page, for everyone."),
    )
