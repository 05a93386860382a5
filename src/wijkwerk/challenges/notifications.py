"""The mails about challenges (service mails to the submitter; `core.notifications`),
registered in `ChallengesConfig.ready`. Texts: `templates/challenges/email/<kind>.txt`.

A decision's mail carries its letter (the decision in the context)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications

SUBJECTS = {
    "submitted": _("We received your challenge “%(title)s”"),
    "admitted": _("Your challenge “%(title)s” has been admitted"),
    "not_admitted": _("Decision on your challenge “%(title)s”"),
    "agreed": _("Agreement recorded for your challenge “%(title)s”"),
    "running": _("Your challenge “%(title)s” is running"),
    "completed": _("Your challenge “%(title)s” has been completed"),
    "ended": _("Your challenge “%(title)s” has been ended"),
}


def event_name(kind: str) -> str:
    return f"challenges.{kind}"


def notify_step(challenge: Any, kind: str, *, note: str = "", decision: Any = None) -> None:
    notifications.notify(
        event_name(kind),
        recipients=[challenge.submitter_id],
        context={"challenge": challenge, "kind": kind, "note": note, "decision": decision},
    )


def _subject_vars(context: dict[str, Any]) -> dict[str, Any]:
    return {"title": context["challenge"].title}


def _link(context: dict[str, Any]) -> str:
    return reverse("challenges:detail", kwargs={"pk": context["challenge"].pk})


def _municipality(context: dict[str, Any]) -> Any:
    return context["challenge"].area.municipality


def _letter(
    context: dict[str, Any], recipient: notifications.Recipient
) -> list[notifications.Attachment]:
    from . import decisions

    decision = context.get("decision")
    if decision is None:
        return []
    return [
        notifications.Attachment(
            decision.filename, decisions.letter_pdf(decision), "application/pdf"
        )
    ]


def register() -> None:
    for kind, subject in SUBJECTS.items():
        notifications.register(
            notifications.Event(
                event_name(kind),
                template=f"challenges/email/{kind}",
                subject=subject,
                subject_vars=_subject_vars,
                link=_link,
                link_label=_("See your challenge"),
                municipality=_municipality,
                attachments=_letter,
            )
        )
