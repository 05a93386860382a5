"""An offer's and an invitation's states, declared once (`wijkwerk.core.workflow`).

Templates ask `{% if invitation.states.accepted %}` (models.py).

    offer:       active ─offer_pause→ paused ─offer_pause (paused=False)→ active
    invitation:  pending ─invitation_answer→ accepted | declined
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import States


class OfferStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


OFFER_STATES = States(OfferStatus.values)
INVITATION_STATES = States(InvitationStatus.values)
