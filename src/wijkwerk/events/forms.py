"""The events' forms: announcing and changing an event, cancelling it, recording attendance, and
signing up without an account. Each form checks with the services' own rules (`services.validate`),
so the messages are the same wherever an event is made."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.forms import SingleLineFieldsMixin

from . import services
from .models import Event, EventKind
from .refusals import EventRefused

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# where a refusal's message goes on the form
FIELD_OF = {
    "ends_before_start": "ends_at",
    "start_in_past": "starts_at",
    "too_far": "starts_at",
    "capacity": "capacity",
}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class EventForm(SingleLineFieldsMixin, forms.Form):
    organiser = forms.ChoiceField(label=_("Organised by"), required=False)
    title = forms.CharField(label=_("Title"), max_length=services.TEXT_LIMITS["title"])
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=services.TEXT_LIMITS["description"],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happens, for whom, what to bring."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    place_name = forms.CharField(
        label=_("Place"),
        max_length=services.TEXT_LIMITS["place_name"],
        help_text=_("For example: Community centre De Schakel, main hall."),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=services.TEXT_LIMITS["address"],
        help_text=_("Street, number and town: the event's page links it to a map."),
    )
    # Filled by the map (initiatives' location-picker.js); nobody types coordinates.
    latitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.HiddenInput(attrs={"data-map-latitude": ""}),
    )
    longitude = forms.DecimalField(
        required=False,
        max_digits=9,
        decimal_places=6,
        widget=forms.HiddenInput(attrs={"data-map-longitude": ""}),
    )
    capacity = forms.IntegerField(
        label=_("Number of places"),
        required=False,
        help_text=_(
            "Leave empty for no limit. When the places are taken, people who sign up go on the "
            "waiting list."
        ),
    )
    rsvp_enabled = forms.BooleanField(
        label=_("Residents sign up for this event"), required=False, initial=True
    )
    is_public = forms.BooleanField(
        label=_("The meeting is open to the public"), required=False, initial=True
    )

    def __init__(
        self,
        *args: Any,
        event: Event | None = None,
        organisers: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.event = event
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(event, name) for name in services.EDITABLE} | {
                "starts_at": _local(event.starts_at),
                "ends_at": _local(event.ends_at),
            }
        super().__init__(*args, **kwargs)
        if event is not None or not organisers:
            del self.fields["organiser"]
        else:
            self.fields["organiser"].choices = organisers  # type: ignore[attr-defined]
            self.fields["organiser"].required = True
        if event is None or event.kind != EventKind.COUNCIL_MEETING:
            del self.fields["is_public"]

    def clean_description(self) -> str:
        return str(self.cleaned_data.get("description") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            services.validate(data, event=self.event)
        except EventRefused as refused:
            for error in refused.error_list:
                self.add_error(FIELD_OF.get(str(error.code or "")), error)
        return data

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in services.EDITABLE}


def _local(moment: datetime.datetime) -> datetime.datetime:
    from django.utils import timezone

    return timezone.localtime(moment).replace(second=0, microsecond=0)


class CancelForm(SingleLineFieldsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the event cancelled?"),
        max_length=services.CANCEL_REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Everyone who signed up gets this reason by e-mail; the event's page shows it."
        ),
    )


class AttendanceForm(SingleLineFieldsMixin, forms.Form):
    count = forms.IntegerField(
        label=_("Number of people who came"),
        min_value=0,
        max_value=services.MAX_CAPACITY,
        help_text=_(
            "Everyone, also people who did not sign up. The event's page shows this number."
        ),
    )
    attended = forms.TypedMultipleChoiceField(
        label=_("Who of those signed up came (optional)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, rsvps: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(rsvp.pk, rsvp.display_name) for rsvp in rsvps]
        self.fields["attended"].choices = choices  # type: ignore[attr-defined]
        if not rsvps:
            del self.fields["attended"]


class RsvpForm(SingleLineFieldsMixin, forms.Form):
    """Signing up without an account."""

    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("You get an e-mail with a link to confirm your sign-up."),
    )
