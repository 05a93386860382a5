"""What the audit trail records about news posts (registered in `NewsConfig.ready`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NewsAction(models.TextChoices):
    POST_CREATE = "post.create", _("News post written")
    POST_CHANGE = "post.change", _("News post changed")
    POST_PUBLISH = "post.publish", _("News post published")
    POST_UNPUBLISH = "post.unpublish", _("News post taken offline")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("news", _("News"), NewsAction)
    log.register_fields(
        "news.newspost",
        {
            "picture": log.Text(_("picture")),
            "picture_width": log.Text(_("width in pixels")),
            "picture_height": log.Text(_("height in pixels")),
        },
    )
