"""The mails of pilots and lessons (`wijkwerk.core.notifications`; registered in
`LearningConfig.ready`). Texts: `templates/learning/email/<kind>.txt`.

- `learning.lesson_approved`: to the resident whose lesson an official approved;
- `learning.lesson_rejected`: to the resident whose lesson an official rejected, with the reason;
- `learning.pilot_started`: to the followers of the pilot's areas (topic "pilots": the follows
  app sends it now or in the weekly digest, each person once).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications

LESSON_APPROVED = "learning.lesson_approved"
LESSON_REJECTED = "learning.lesson_rejected"
PILOT_STARTED = "learning.pilot_started"


def _lesson_link(context: dict[str, Any]) -> str:
    return reverse("learning:lesson", kwargs={"pk": context["lesson"].pk})


def register() -> None:
    notifications.register(
        notifications.Event(
            LESSON_APPROVED,
            template="learning/email/lesson_approved",
            subject=_("Your lesson “%(title)s” is published"),
            subject_vars=lambda context: {"title": context["lesson"].title},
            link=_lesson_link,
            link_label=_("Read your lesson"),
            municipality=lambda context: context["lesson"].municipality,
        )
    )
    notifications.register(
        notifications.Event(
            LESSON_REJECTED,
            template="learning/email/lesson_rejected",
            subject=_("Your lesson “%(title)s” was not published"),
            subject_vars=lambda context: {"title": context["lesson"].title},
            link=_lesson_link,
            link_label=_("See your lesson and the reason"),
            municipality=lambda context: context["lesson"].municipality,
        )
    )
    notifications.register(
        notifications.Event(
            PILOT_STARTED,
            template="learning/email/pilot_started",
            subject=_("A new pilot in your area: “%(title)s”"),
            subject_vars=lambda context: {"title": context["pilot"].title},
            link=lambda context: context["pilot"].get_absolute_url(),
            link_label=_("Read about the pilot"),
            municipality=lambda context: context["pilot"].municipality,
            topic="pilots",
        )
    )
