"""What the audit trail records about events and sign-ups (`wijkwerk.core.auditlog`; registered
in `EventsConfig.ready`). A sign-up is recorded by its number and status, never its person's
name or address."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventAction(models.TextChoices):
    CREATE = "event.create", _("Event announced")
    CHANGE = "event.change", _("Event changed")
    CANCEL = "event.cancel", _("Event cancelled")
    ATTENDANCE = "event.attendance", _("Attendance recorded")
    RSVP_CREATE = "rsvp.create", _("Signed up for an event")
    RSVP_REQUEST = "rsvp.request", _("Sign-up without an account, waiting for e-mail confirmation")
    RSVP_CONFIRM = "rsvp.confirm", _("Sign-up confirmed by e-mail")
    RSVP_CANCEL = "rsvp.cancel", _("Sign-up cancelled")
    RSVP_PROMOTE = "rsvp.promote", _("Moved up from the waiting list")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("events", _("Meetings and events"), EventAction)
    log.register_fields(
        "events.event",
        {
            "description": log.Hidden(),
            "names_ticked": log.Number(_("names ticked as present")),
        },
    )
    log.register_fields(
        "events.rsvp",
        {
            "position": log.Number(_("place on the waiting list")),
            "name": log.Hidden(),
            "email": log.Hidden(),
        },
    )
