"""The mails about events and sign-ups (`wijkwerk.core.notifications`; registered in
`EventsConfig.ready`). Their texts are `templates/events/email/<event>.txt`. A sign-up without an
account gets its mails at its address in the language it signed up in, each with the link to
confirm or cancel (`manage_url`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications


def _title(context: dict[str, Any]) -> dict[str, Any]:
    return {"title": context["event"].title}


def _link(context: dict[str, Any]) -> str:
    return str(context.get("manage_url") or context["event"].get_absolute_url())


def _municipality(context: dict[str, Any]) -> Any:
    return context["event"].area.municipality


def _when(context: dict[str, Any], recipient: notifications.Recipient) -> dict[str, Any]:
    from .texts import when

    extra = {"when": when(context["event"])}
    if "old_starts_at" in context:
        old = SimpleNamespace(starts_at=context["old_starts_at"], ends_at=context["old_ends_at"])
        extra["old_when"] = when(old)
    return extra


def calendar_file(
    context: dict[str, Any], recipient: notifications.Recipient
) -> list[notifications.Attachment]:
    """The event's calendar file as it is now (SEQUENCE raised by the change or the
    cancellation), so a calendar that imported it updates or strikes it."""
    from .ics import calendar

    event = context["event"]
    return [
        notifications.Attachment(
            f"{slugify(event.title) or 'event'}.ics",
            calendar([event]),
            "text/calendar",
        )
    ]


MAILS = {
    "events.rsvp_confirm": (
        _("Confirm your sign-up for “%(title)s”"),
        _("Confirm your sign-up"),
        None,
    ),
    "events.rsvp_going": (_("You are signed up for “%(title)s”"), _("See the event"), None),
    "events.rsvp_waiting": (
        _("You are on the waiting list for “%(title)s”"),
        _("See the event"),
        None,
    ),
    "events.rsvp_promoted": (
        _("A place came free: you are signed up for “%(title)s”"),
        _("See the event"),
        None,
    ),
    "events.cancelled": (_("Cancelled: “%(title)s”"), _("See the event"), None),
    "events.changed": (_("Changed: “%(title)s”"), _("See the event"), None),
    "events.reminder": (_("Tomorrow: “%(title)s”"), _("See the event"), None),
    # for followers of the event's area, council or group (the follows app routes it)
    "events.announced": (_("New event: “%(title)s”"), _("See the event"), "events"),
}


# the mails that carry the event's updated calendar file
WITH_CALENDAR = {"events.changed", "events.cancelled"}


def register() -> None:
    for name, (subject, label, topic) in MAILS.items():
        notifications.register(
            notifications.Event(
                name,
                template=f"events/email/{name.removeprefix('events.')}",
                subject=subject,
                subject_vars=_title,
                link=_link
                if name != "events.announced"
                else lambda c: c["event"].get_absolute_url(),
                link_label=label,
                municipality=_municipality,
                extra_context=_when,
                topic=topic,
                attachments=calendar_file if name in WITH_CALENDAR else None,
            )
        )
