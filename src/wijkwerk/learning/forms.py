"""The pilots' and lessons' forms, rendered through the core.forms renderer
(`{{ field.as_field_group }}`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.forms import GroupedAreaChoiceField
from wijkwerk.areas.models import Area, Municipality
from wijkwerk.initiatives.forms import DateInput, DesignSystemMixin

from .models import (
    FOLLOW_UP_MAX,
    GOAL_MAX,
    LESSON_TEXT_MAX,
    PEOPLE_MAX,
    REASON_MAX,
    TITLE_MAX,
    Perspective,
    Pilot,
)
from .states import PilotStatus

TAGS_FIELD_MAX = 300
ENDS_BEFORE_START = _("The pilot must end after it starts.")
NO_PILOT_OR_AREA = _("Choose the pilot or the area the lesson is about.")


class AreaChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        parent = obj.parent
        return f"{obj.name} ({parent.name})" if parent is not None else obj.name


class OfficialChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class PilotChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Pilot) -> str:
        return obj.title


def municipality_areas(municipality: Municipality) -> Any:
    return (
        Area.objects.filter(municipality=municipality)
        .select_related("parent", "municipality")
        .order_by("name")
    )


class PilotForm(DesignSystemMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX,
        help_text=_("In a few words, for example: “Residents manage the green of the Slotjes”."),
    )
    goal = forms.CharField(
        label=_("Goal"),
        max_length=GOAL_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the pilot tries out, and what would make it a success."),
    )
    starts_on = forms.DateField(label=_("Start"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("End"), widget=DateInput(), help_text=_("A day after the start.")
    )
    people = forms.CharField(
        label=_("Residents and partners"),
        max_length=PEOPLE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Who takes part besides the officials: residents, a resident group, a welfare "
            "organisation or housing corporation. Name people only with their consent."
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=PilotStatus.choices, initial=PilotStatus.PLANNED
    )

    def __init__(
        self, *args: Any, municipality: Municipality, pilot: Pilot | None = None, **kwargs: Any
    ) -> None:
        if pilot is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": pilot.title,
                    "goal": pilot.goal,
                    "starts_on": pilot.starts_on,
                    "ends_on": pilot.ends_on,
                    "people": pilot.people,
                    "status": pilot.status,
                    "areas": [area.pk for area in pilot.areas.all()],
                    "officials": [person.pk for person in pilot.officials.all()],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["areas"] = AreaChoices(
            queryset=municipality_areas(municipality),
            label=_("Areas"),
            help_text=_("One or more areas of %(municipality)s, at least one you work for.")
            % {"municipality": municipality.name},
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Choose at least one area."),
                "invalid_choice": _("Choose areas of %(municipality)s.")
                % {"municipality": municipality.name},
                "invalid_pk_value": _("Choose areas of %(municipality)s.")
                % {"municipality": municipality.name},
            },
        )
        self.fields["officials"] = OfficialChoices(
            queryset=get_user_model()
            .objects.filter(role_assignments__municipality=municipality, is_active=True)
            .distinct()
            .order_by("full_name", "email"),
            label=_("Officials"),
            required=False,
            help_text=_("The municipality's people in the pilot."),
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": _("Name only officials who work for %(municipality)s.")
                % {"municipality": municipality.name},
                "invalid_pk_value": _("Name only officials who work for %(municipality)s.")
                % {"municipality": municipality.name},
            },
        )
        self.order_fields(
            ["title", "goal", "areas", "starts_on", "ends_on", "officials", "people", "status"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start is not None and end is not None and end <= start:
            self.add_error("ends_on", ENDS_BEFORE_START)
        return data


def _tags_field() -> forms.CharField:
    return forms.CharField(
        label=_("Tags"),
        max_length=TAGS_FIELD_MAX,
        required=False,
        help_text=_("Words to find the lesson by, separated by commas: green, meetings, money."),
    )


class _LessonWhereMixin(forms.Form):
    """The pilot or the area a lesson is about (at least one)."""

    def _where_fields(self, municipality: Municipality, pilots: Any) -> None:
        self.fields["pilot"] = PilotChoice(
            queryset=pilots,
            label=_("Pilot"),
            required=False,
            empty_label=_("No pilot"),
            error_messages={"invalid_choice": _("Choose one of the pilots.")},
        )
        self.fields["area"] = GroupedAreaChoiceField(
            Area.objects.filter(municipality=municipality),
            label=_("Area"),
            required=False,
            empty_label=_("No area"),
            help_text=_("Choose a pilot, an area, or both."),
        )
        # one of the two is needed: neither says "(optional)"; the help text tells
        for name in ("pilot", "area"):
            self.fields[name].show_optional = False  # type: ignore[attr-defined]

    def _check_where(self, data: dict[str, Any]) -> None:
        if "pilot" in data and "area" in data and not data["pilot"] and not data["area"]:
            self.add_error("pilot", NO_PILOT_OR_AREA)


class LessonForm(_LessonWhereMixin, DesignSystemMixin, forms.Form):
    """An official's lesson, of either perspective."""

    perspective = forms.ChoiceField(
        label=_("Whose lesson is it?"),
        choices=Perspective.choices,
        widget=forms.RadioSelect,
    )
    on_behalf = forms.BooleanField(
        label=_("I record this lesson on behalf of residents (e.g. from a meeting)"),
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=_("The lesson"),
        max_length=LESSON_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was learned, and what it means for the next time."),
    )
    learned_on = forms.DateField(label=_("Learned on"), widget=DateInput())

    def __init__(self, *args: Any, municipality: Municipality, pilots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._where_fields(municipality, pilots)
        self.fields["tags"] = _tags_field()
        self.order_fields(
            ["pilot", "area", "perspective", "on_behalf", "title", "text", "tags", "learned_on"]
        )

    def clean_tags(self) -> list[str]:
        return [part for part in self.cleaned_data["tags"].split(",") if part.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_where(data)
        if data.get("on_behalf") and data.get("perspective") == Perspective.MUNICIPALITY:
            self.add_error("on_behalf", _("Only a residents' lesson is recorded on their behalf."))
        return data


class ResidentLessonForm(_LessonWhereMixin, DesignSystemMixin, forms.Form):
    """A resident's lesson: short, seen from the residents, moderated before it is public."""

    title = forms.CharField(
        label=_("Your lesson in a few words"),
        max_length=TITLE_MAX,
        help_text=_("For example: “Ask the neighbours before the plan is finished”."),
    )
    text = forms.CharField(
        label=_("What did you learn?"),
        max_length=LESSON_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What went well or not, and what you would do differently next time."),
    )

    def __init__(self, *args: Any, municipality: Municipality, pilots: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._where_fields(municipality, pilots)
        self.order_fields(["pilot", "area", "title", "text"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._check_where(data)
        return data


class ModerationForm(DesignSystemMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Publish the lesson")), ("reject", _("Do not publish it"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you do not publish it: the resident gets it by e-mail."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].show_optional = False  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error(
                "reason", _("Give the reason the lesson is not published: the resident reads it.")
            )
        return data


class FollowUpForm(DesignSystemMixin, forms.Form):
    follow_up = forms.CharField(
        label=_("What changed because of it"),
        max_length=FOLLOW_UP_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    follow_up_on = forms.DateField(label=_("Changed on"), widget=DateInput())


class PilotFilterForm(DesignSystemMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Every status")), *PilotStatus.choices], required=False
    )

    def __init__(self, *args: Any, municipalities: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeente"] = forms.ModelChoiceField(
            municipalities,
            label=_("Municipality"),
            required=False,
            to_field_name="slug",
            empty_label=_("All municipalities"),
        )
        self.fields["gebied"] = GroupedAreaChoiceField(
            areas, label=_("Area"), required=False, empty_label=_("All areas")
        )
        self.order_fields(["gemeente", "gebied", "status"])


class LessonFilterForm(DesignSystemMixin, forms.Form):
    perspectief = forms.ChoiceField(
        label=_("Perspective"),
        choices=[("", _("Both perspectives")), *Perspective.choices],
        required=False,
    )

    def __init__(
        self, *args: Any, municipalities: Any, areas: Any, tags: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gemeente"] = forms.ModelChoiceField(
            municipalities,
            label=_("Municipality"),
            required=False,
            to_field_name="slug",
            empty_label=_("All municipalities"),
        )
        self.fields["gebied"] = GroupedAreaChoiceField(
            areas, label=_("Area"), required=False, empty_label=_("All areas")
        )
        self.fields["tag"] = forms.ChoiceField(
            label=_("Tag"),
            choices=[("", _("All tags")), *((tag, tag) for tag in tags)],
            required=False,
        )
        self.order_fields(["gemeente", "gebied", "perspectief", "tag"])
