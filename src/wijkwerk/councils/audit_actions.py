"""What the audit trail records about councils (`core.auditlog`; registered in ready())."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilAction(models.TextChoices):
    MEETING_CREATE = "council.meeting_create", _("Council meeting planned")
    AGENDA_ADD = "council.meeting_agenda_add", _("Agenda item added")
    DOCUMENT_ADD = "council.meeting_document_add", _("Meeting document added")
    MINUTES_SAVE = "council.meeting_minutes_save", _("Minutes written")
    MINUTES_APPROVE = "council.meeting_minutes_approve", _("Minutes approved by the council")
    MINUTES_PUBLISH = "council.meeting_minutes_publish", _("Minutes published")
    DECIDE = "council.decide", _("Council decided on an initiative")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("councils", _("Councils"), CouncilAction)
    log.register_fields(
        "councils.councildecision",
        {
            "votes": log.Text(_("votes"), max_length=1000),
            "present": log.Text(_("members present")),
            "reference": log.Text(_("reference")),
        },
    )
    log.register_fields(
        "councils.meeting",
        {
            "title": log.Text(_("title")),
            "starts_at": log.DateTime(_("starts")),
            "is_public": log.Boolean(_("open to the public")),
            "position": log.Text(_("order")),
            "initiative": log.Reference(_("initiative"), model="initiatives.initiative"),
            "length": log.Text(_("characters")),
            "size": log.Text(_("size in bytes")),
            "type": log.Text(_("file type")),
        },
    )
