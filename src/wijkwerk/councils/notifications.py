"""The councils' mails to followers (`core.notifications`, registered in ready()): a council's
decision and its published minutes. Both have a topic, so they go to the followers of the
council and its area through the follows app (`notify_followers`), now or in the digest. The
applicant's own mail with the decision letter is the initiatives' (`initiatives.approved` /
`initiatives.rejected`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications

TOPIC = "councils"


def _council_link(context: dict[str, Any]) -> str:
    if "meeting" in context:
        return str(context["meeting"].get_absolute_url())
    return reverse("councils:detail", kwargs={"pk": context["decision"].council_id})


def _municipality(context: dict[str, Any]) -> Any:
    if "meeting" in context:
        return context["meeting"].council.area.municipality
    return context["decision"].council.area.municipality


def _decision_vars(context: dict[str, Any]) -> dict[str, Any]:
    return {"council": context["decision"].council.name}


def _minutes_vars(context: dict[str, Any]) -> dict[str, Any]:
    return {"council": context["meeting"].council.name}


def register() -> None:
    notifications.register(
        notifications.Event(
            "councils.decided",
            template="councils/email/decided",
            subject=_("%(council)s decided on an initiative"),
            subject_vars=_decision_vars,
            link=_council_link,
            link_label=_("See the council's decisions"),
            municipality=_municipality,
            topic=TOPIC,
        )
    )
    notifications.register(
        notifications.Event(
            "councils.minutes_published",
            template="councils/email/minutes_published",
            subject=_("Minutes of %(council)s published"),
            subject_vars=_minutes_vars,
            link=_council_link,
            link_label=_("Read the minutes"),
            municipality=_municipality,
            topic=TOPIC,
        )
    )
