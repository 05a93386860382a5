"""The mails of offers and invitations (`wijkwerk.core.notifications`; registered in
`ExpertiseConfig.ready`). Texts: `templates/expertise/email/<kind>.txt`.

- `expertise.invited`: to the resident behind an offer, when someone invites them (rate-limited
  per inviter and per recipient: `expertise_invite` and `mail_person`);
- `expertise.answered`: to the inviter, when the resident accepts or declines;
- `expertise.question_asked`: to the followers of the question's areas (topic "questions": the
  follows app sends it now or in the weekly digest, each person once).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications

INVITED = "expertise.invited"
ANSWERED = "expertise.answered"
QUESTION_ASKED = "expertise.question_asked"


def _link(context: dict[str, Any]) -> str:
    return reverse("expertise:invitation", kwargs={"pk": context["invitation"].pk})


def _municipality(context: dict[str, Any]) -> Any:
    return context["invitation"].offer.municipality


def _subject_vars(context: dict[str, Any]) -> dict[str, Any]:
    return {"title": context["invitation"].offer.title}


def register() -> None:
    notifications.register(
        notifications.Event(
            INVITED,
            template="expertise/email/invited",
            subject=_("An invitation for your offer “%(title)s”"),
            subject_vars=_subject_vars,
            link=_link,
            link_label=_("Accept or decline"),
            municipality=_municipality,
        )
    )
    notifications.register(
        notifications.Event(
            ANSWERED,
            template="expertise/email/answered",
            subject=_("Answer to your invitation about “%(title)s”"),
            subject_vars=_subject_vars,
            link=_link,
            link_label=_("See the answer"),
            municipality=_municipality,
        )
    )
    notifications.register(
        notifications.Event(
            QUESTION_ASKED,
            template="expertise/email/question_asked",
            subject=_("The municipality asks: “%(title)s”"),
            subject_vars=lambda context: {"title": context["question"].title},
            link=lambda context: context["question"].get_absolute_url(),
            link_label=_("Read the question and reply"),
            municipality=lambda context: context["question"].municipality,
            topic="questions",
        )
    )
