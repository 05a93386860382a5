"""What the audit trail records about councils (`core.auditlog`; registered in ready())."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CouncilAction(models.TextChoices):
    MEETING_CREATE = "council.meeting_create", _("Council meeting planned")
    AGENDA_ADD = "council.meeting_agenda_add", _("Agenda item added")
    AGENDA_CHANGE = "council.meeting_agenda_change", _("Agenda item changed")
    AGENDA_MOVE = "council.meeting_agenda_move", _("Agenda item moved")
    AGENDA_REMOVE = "council.meeting_agenda_remove", _("Agenda item removed")
    DOCUMENT_ADD = "council.meeting_document_add", _("Meeting document added")
    DOCUMENT_CHANGE = "council.meeting_document_change", _("Meeting document renamed")
    DOCUMENT_REMOVE = "council.meeting_document_remove", _("Meeting document removed")
    MINUTES_SAVE = "council.meeting_minutes_save", _("Minutes written")
    MINUTES_APPROVE = "council.meeting_minutes_approve", _("Minutes approved by the council")
    MINUTES_PUBLISH = "council.meeting_minutes_publish", _("Minutes published")
    DECIDE = "council.decide", _("Council decided on an initiative")
    QUORUM_SET = "council.quorum_set", _("Council's quorum set")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("councils", _("Councils"), CouncilAction)
    log.register_fields(
        "councils.councildecision",
        {
            "votes": log.Text(_("votes"), max_length=1000),
            "present": log.Text(_("members present")),
            "quorum": log.Text(_("quorum")),
            "reference": log.Text(_("reference")),
        },
    )
    log.register_fields(
        "councils.meeting",
        {
            "title": log.Text(_("title")),
            "description": log.Text(_("description"), max_length=300),
            "starts_at": log.DateTime(_("starts")),
            "is_public": log.Boolean(_("open to the public")),
            "position": log.Text(_("order")),
            "initiative": log.Reference(_("initiative"), model="initiatives.initiative"),
            "length": log.Text(_("characters")),
            "size": log.Text(_("size in bytes")),
            "type": log.Text(_("file type")),
        },
    )
