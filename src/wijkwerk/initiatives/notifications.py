"""The mails about initiatives, one event per step (`wijkwerk.core.notifications`; registered in
`InitiativesConfig.ready`). Their texts are `templates/initiatives/email/<kind>.txt`.

Services call `notify_step` inside their transaction; the mail goes after the commit, through the
task queue, in the recipient's language, from the initiative's municipality, with a link to the
initiative. A mail announcing a decision carries its letter (to the applicant, to whom the
decision is addressed).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications
from wijkwerk.core.money import format_money
from wijkwerk.follows.services import notify_followers

from .states import FOLLOWED, Status

# The steps that mail someone, with their subjects ("%(title)s" is the initiative's title).
SUBJECTS = {
    "submitted": _("We received your initiative “%(title)s”"),
    "start_review": _("Your initiative “%(title)s” is being reviewed"),
    "approved": _("Your initiative “%(title)s” has been approved"),
    "rejected": _("Decision on your initiative “%(title)s”"),
    "returned": _("Please change your initiative “%(title)s”"),
    "in_progress": _("Your initiative “%(title)s” has started"),
    "accounted": _("We received the accountability for “%(title)s”"),
    "completed": _("Accountability for “%(title)s” accepted"),
    "request_more": _("More information needed for “%(title)s”"),
    "closed": _("Your initiative “%(title)s” has been closed"),
    "withdrawn": _("Your initiative “%(title)s” has been withdrawn"),
    "assigned": _("Initiative “%(title)s” is assigned to you"),
    "message": _("New message about “%(title)s”"),
    "paid": _("Payment for “%(title)s”"),
    "repaid": _("Repayment for “%(title)s” received"),
}


def event_name(kind: str) -> str:
    return f"initiatives.{kind}"


def notify_step(
    initiative: Any, kind: str, *, recipient_id: int | None = None, note: str = ""
) -> None:
    """Mail the applicant (or `recipient_id`, e.g. the broker) about a step of the initiative,
    once the transaction commits."""
    notifications.notify(
        event_name(kind),
        recipients=[recipient_id if recipient_id is not None else initiative.applicant_id],
        context={"initiative": initiative, "kind": kind, "note": note},
    )


# What followers of the initiative (and of its area) hear: its public status changed. A mail with
# a topic (`wijkwerk.follows`): sent now or kept for the weekly digest, as each follower chose.
PUBLIC_STATUS = "initiatives.public_status"


def notify_followers_of_step(initiative: Any, kind: str) -> None:
    """Tell the followers of a public initiative, or of its area, its new status; the applicant
    gets the step's own mail instead."""
    # A step's mail is named after the status it reached, except the start of the review.
    reached = Status.UNDER_REVIEW if kind == "start_review" else kind
    if reached not in FOLLOWED or not initiative.is_public:
        return
    notify_followers(
        PUBLIC_STATUS,
        initiative,
        context={"initiative": initiative, "status": initiative.status},
        exclude=[initiative.applicant_id],
    )


def _status_label(context: dict[str, Any]) -> str:
    """The status the step set (the initiative may have moved on before the worker ran)."""
    initiative = context["initiative"]
    labels = dict(type(initiative)._meta.get_field("status").flatchoices)
    return str(labels.get(context.get("status"), initiative.get_status_display()))


def _public_status_vars(context: dict[str, Any]) -> dict[str, Any]:
    return {"title": context["initiative"].title, "status": _status_label(context)}


def _subject_vars(context: dict[str, Any]) -> dict[str, Any]:
    return {"title": context["initiative"].title}


def _link(context: dict[str, Any]) -> str:
    return reverse("initiatives:detail", kwargs={"pk": context["initiative"].pk})


def _link_label(context: dict[str, Any]) -> str:
    if context.get("to_applicant"):
        return str(_("See your initiative"))
    return str(_("See the initiative"))


def _municipality(context: dict[str, Any]) -> Any:
    return context["initiative"].area.municipality


def _extra(context: dict[str, Any], recipient: notifications.Recipient) -> dict[str, Any]:
    from . import decisions

    initiative = context["initiative"]
    to_applicant = recipient.user is not None and recipient.user.pk == initiative.applicant_id
    return {
        "to_applicant": to_applicant,
        "granted": format_money(initiative.granted_cents or 0),
        "paid": format_money(initiative.paid_cents),
        # a mail announcing a decision carries its letter, to the applicant it is addressed to
        "decision": decisions.for_mail(initiative, context["kind"]) if to_applicant else None,
    }


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
    notifications.register(
        notifications.Event(
            PUBLIC_STATUS,
            template="initiatives/email/public_status",
            subject=_("Initiative “%(title)s”: %(status)s"),
            subject_vars=_public_status_vars,
            link=_link,
            link_label=_("See the initiative"),
            municipality=_municipality,
            extra_context=lambda context, recipient: {"status_label": _status_label(context)},
            topic="initiative",
        )
    )
    for kind, subject in SUBJECTS.items():
        notifications.register(
            notifications.Event(
                event_name(kind),
                template=f"initiatives/email/{kind}",
                subject=subject,
                subject_vars=_subject_vars,
                link=_link,
                link_label=_link_label,
                municipality=_municipality,
                extra_context=_extra,
                attachments=_letter,
            )
        )
