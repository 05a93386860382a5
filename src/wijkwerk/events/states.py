"""An event's and a sign-up's states, declared once (`wijkwerk.core.workflow`).

Templates ask `{% if event.states.cancelled %}` or `{% if rsvp.states.going %}` (models.py).

    event:  scheduled ─event_cancel→ cancelled
    rsvp:   (an account signs up) → going | waiting      (an address signs up) → pending
            pending ─rsvp_confirm→ going | waiting      waiting ─a place comes free→ going
            pending, going, waiting ─rsvp_cancel→ cancelled
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import States


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")


class RsvpStatus(models.TextChoices):
    # an address without an account that has not yet clicked its confirmation link: no place
    PENDING = "pending", _("waiting for e-mail confirmation")
    GOING = "going", _("signed up")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


EVENT_STATES = States(EventStatus.values)
RSVP_STATES = States(RsvpStatus.values)
