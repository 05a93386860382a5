"""What the audit trail records about comments and their moderation (registered in
`CommentsConfig.ready`): every moderation step names who, when and what."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommentAction(models.TextChoices):
    POST = "comment.post", _("Comment written")
    REPORT = "comment.report", _("Comment reported")
    HIDE = "comment.hide", _("Comment hidden")
    RESTORE = "comment.restore", _("Comment shown again")
    KEEP = "comment.keep", _("Reports of a comment handled, comment kept")
    BLOCK = "comment.block", _("Person blocked from commenting")
    UNBLOCK = "comment.unblock", _("Block on commenting lifted")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("comments", _("Comments"), CommentAction)
    from .models import ReportReason

    log.register_fields(
        "comments.comment",
        {
            "on": log.Text(_("on")),
            "length": log.Number(_("characters")),
            "parent": log.Number(_("reply to comment number")),
            "reports": log.Number(_("reports")),
            "reason": log.Choice(_("reason"), choices=ReportReason.choices),
        },
    )
