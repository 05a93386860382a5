"""What the audit trail records about resident groups' self-service
(`wijkwerk.core.auditlog`; registered in `GroupsConfig.ready`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupAction(models.TextChoices):
    FOUND = "group.found", _("Group founded")
    CHANGE = "group.change", _("Group changed")
    JOIN = "group.join", _("Joined a group")
    LEAVE = "group.leave", _("Left a group")
    REQUEST = "group.request", _("Asked to join a group")
    REQUEST_ACCEPT = "group.request_accept", _("Join request accepted")
    REQUEST_DECLINE = "group.request_decline", _("Join request declined")
    INVITE = "group.invite", _("Invited to a group")
    INVITATION_ACCEPT = "group.invitation_accept", _("Invitation to a group accepted")
    ROLE = "group.role", _("Role in a group changed")
    CONTACT = "group.contact", _("Message sent to a group")
    WORKER_LINK = "group.worker_link", _("Community worker linked to a group")
    WORKER_UNLINK = "group.worker_unlink", _("Community worker no longer linked to a group")
    DISSOLVE = "group.dissolve", _("Group dissolved")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("groups", _("Resident groups"), GroupAction)
    fields = {
        "person": log.Text(_("person")),
        "email": log.Hidden(),
        "message": log.Hidden(),
        "members": log.Text(_("members")),
        "successor": log.Text(_("successor")),
    }
    for model in (
        "areas.residentgroup",
        "areas.groupmembership",
        "groups.joinrequest",
        "groups.groupinvitation",
        "groups.contactmessage",
    ):
        log.register_fields(model, fields)
