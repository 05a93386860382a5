"""News's mails (`core.notifications`, registered in `NewsConfig.ready`): a published post, for
the followers of its area, council or group (the topic "news": the follows app sends it now or
keeps it for the weekly digest)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications
from wijkwerk.core.notifications import Event

PUBLISHED = "news.published"


def register() -> None:
    notifications.register(
        Event(
            PUBLISHED,
            template="news/email/published",
            subject=_("News from %(publisher)s: %(title)s"),
            subject_vars=lambda context: {
                "publisher": context["post"].publisher_name,
                "title": context["post"].title,
            },
            link=lambda context: context["post"].get_absolute_url(),
            link_label=_("Read the news"),
            municipality=lambda context: context["post"].municipality,
            topic="news",
        )
    )
