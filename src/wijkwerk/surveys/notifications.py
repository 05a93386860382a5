"""The surveys' mails (`core.notifications`, registered in `SurveysConfig.ready`): a survey or
poll opened, for the followers of its area, council or group (the topic "surveys": the follows
app sends it now or keeps it for the weekly digest)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications
from wijkwerk.core.notifications import Event

PUBLISHED = "surveys.published"


def register() -> None:
    notifications.register(
        Event(
            PUBLISHED,
            template="surveys/email/published",
            subject=_("Have your say: %(title)s"),
            subject_vars=lambda context: {"title": context["survey"].title},
            link=lambda context: context["survey"].get_absolute_url(),
            link_label=_("Answer the survey"),
            municipality=lambda context: context["survey"].municipality,
            topic="surveys",
        )
    )
