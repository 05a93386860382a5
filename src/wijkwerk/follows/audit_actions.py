"""What the audit trail records about following (`wijkwerk.core.auditlog`; registered in
`FollowsConfig.ready`): that a person followed or stopped following something, and how often
they get mail; nothing else about them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowAction(models.TextChoices):
    FOLLOW = "follow.create", _("Started following")
    CHANGE = "follow.change", _("Changed how often updates come")
    UNFOLLOW = "follow.delete", _("Stopped following")
    UNSUBSCRIBE = "follow.unsubscribe", _("Unsubscribed through the link in an e-mail")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("follows", _("Follow and digests"), FollowAction)
    log.register_fields(
        "follows.follow",
        {
            "followed": log.Text(_("followed")),
            "digests": log.Number(_("weekly digests stopped")),
        },
    )
