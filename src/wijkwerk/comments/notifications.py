"""Comments' mails (`core.notifications`, registered in `CommentsConfig.ready`): the owner of an
object (an initiative's applicant, a plan's or a post's author) hears of a new comment on it. A
service mail, bounded by the writers' rate limit on comments."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications
from wijkwerk.core.notifications import Event

NEW_COMMENT = "comments.new"


def register() -> None:
    notifications.register(
        Event(
            NEW_COMMENT,
            template="comments/email/new",
            subject=_("New comment on “%(title)s”"),
            subject_vars=lambda context: {"title": context["title"]},
            link=lambda context: f"{context['url']}#comment-{context['comment'].pk}",
            link_label=_("Read the comment"),
            municipality=lambda context: context["comment"].municipality,
        )
    )
