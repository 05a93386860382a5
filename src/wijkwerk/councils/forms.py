"""The councils' forms; rendered through core.forms (`{{ field.as_field_group }}`)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.forms import SingleLineFieldsMixin
from wijkwerk.core.money import EuroField

from . import services
from .documents import MAX_DOCUMENT_BYTES
from .models import Choice, QuorumRule

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
ABSENT = "absent"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class Described(SingleLineFieldsMixin):
    """Errors and descriptions linked to their inputs (aria-describedby), as the funds' forms."""

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


class MeetingForm(Described, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=services.TEXT_LIMITS["title"])
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=DateTimeInput(),
        input_formats=[DATETIME_FORMAT],
        help_text=_("A meeting held already may be entered afterwards, to record its decisions."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    place_name = forms.CharField(
        label=_("Place"),
        max_length=services.TEXT_LIMITS["place_name"],
        help_text=_("For example: Community centre De Schakel, meeting room."),
    )
    address = forms.CharField(
        label=_("Address"), required=False, max_length=services.TEXT_LIMITS["address"]
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=services.TEXT_LIMITS["description"],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    is_public = forms.BooleanField(
        label=_("Open to the public"),
        required=False,
        initial=True,
        help_text=_(
            "A closed meeting is announced too, but residents do not attend and only the "
            "council's members read its documents."
        ),
    )

    def data_for_service(self) -> services.MeetingData:
        data = self.cleaned_data
        return services.MeetingData(
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place_name=data["place_name"],
            address=data["address"],
            description=data["description"],
            is_public=data["is_public"],
        )


class AgendaItemForm(Described, forms.Form):
    initiative: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Initiative to decide on"),
        queryset=None,
        required=False,
        empty_label=_("(no initiative: another item)"),
        help_text=_("Initiatives addressed to the council and waiting for its decision."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=services.AGENDA_LIMITS["title"],
        required=False,
        help_text=_("Empty: the initiative's title."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=services.AGENDA_LIMITS["description"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, initiatives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["initiative"]
        field.queryset = initiatives  # type: ignore[attr-defined]
        field.label_from_instance = lambda i: i.title  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("initiative") and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the agenda item a title, or choose an initiative."))
        return data


class AgendaItemChangeForm(Described, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=services.AGENDA_LIMITS["title"],
        required=False,
        help_text=_("Empty: the initiative's title."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=services.AGENDA_LIMITS["description"],
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, has_initiative: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_initiative:
            self.fields["title"].required = True
            self.fields["title"].help_text = ""


class DocumentChangeForm(Described, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)


class DocumentForm(Described, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, ODT or DOCX, at most %(size)d MB.")
        % {"size": MAX_DOCUMENT_BYTES // (1024 * 1024)},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.odt,.docx,application/pdf,"
                "application/vnd.oasis.opendocument.text,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )


class MinutesForm(Described, forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=services.MINUTES_LIMIT,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Changing approved minutes makes them a draft again: the council approves them again."
        ),
    )


class ApproveMinutesForm(Described, forms.Form):
    approved_on = forms.DateField(
        label=_("Approved by the council on"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        help_text=_("The day of the meeting at which the council approved the minutes."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approved_on"].initial = timezone.localdate()


class QuorumForm(Described, forms.Form):
    rule = forms.ChoiceField(
        label=_("Quorum"),
        choices=QuorumRule.choices,
        widget=forms.RadioSelect,
        help_text=_("How many members must be present for the council to decide."),
    )
    number = forms.IntegerField(
        label=_("Number of members"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Only with a fixed number: at least 1, at most the council's members."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rule, number = data.get("rule"), data.get("number")
        if rule == QuorumRule.NUMBER and number is None and "number" not in self.errors:
            self.add_error("number", _("Enter how many members must be present."))
        return data


class HandForm(Described, forms.Form):
    council: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Council"), queryset=None, empty_label=None
    )

    def __init__(self, *args: Any, councils: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils  # type: ignore[attr-defined]


VOTE_CHOICES = [
    (ABSENT, _("absent")),
    (Choice.FOR, _("for")),
    (Choice.AGAINST, _("against")),
    (Choice.ABSTAIN, _("abstains")),
]


class DecisionForm(Described, forms.Form):
    """One vote per member (absent, for, against, abstains), the amount and the reasons."""

    amount = EuroField(
        label=_("Amount granted"),
        required=False,
        help_text=_(
            "In euros, for example 450,00. Needed when the council approves; at most what was "
            "asked and what the council's fund has available."
        ),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=services.REASONS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Why the council decides this. The applicant reads it in the decision letter, and "
            "everyone on the council's page."
        ),
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        votes = {}
        for member in members:
            votes[f"vote_{member.pk}"] = forms.ChoiceField(
                label=member.display_name,
                choices=VOTE_CHOICES,
                initial=ABSENT,
                widget=forms.RadioSelect,
            )
        # the votes first, then the amount and the reasons
        self.fields = {**votes, **self.fields}

    @property
    def vote_fields(self) -> list[forms.BoundField]:
        return [self[f"vote_{member.pk}"] for member in self.members]

    @property
    def other_fields(self) -> list[forms.BoundField]:
        return [self["amount"], self["reasons"]]

    def choices(self) -> dict[int, str]:
        return {
            member.pk: self.cleaned_data[f"vote_{member.pk}"]
            for member in self.members
            if self.cleaned_data.get(f"vote_{member.pk}", ABSENT) != ABSENT
        }


def today() -> datetime.date:
    return timezone.localdate()
