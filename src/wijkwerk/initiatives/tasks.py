"""E-mail about initiatives, sent by the task queue after the change is committed."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from wijkwerk.core.money import format_eur
from wijkwerk.core.text import single_line

from . import decisions
from .models import Initiative


def _base_url() -> str:
    # Mails need absolute links; a deployment sets WIJKWERK_BASE_URL to its public address.
    return str(settings.WIJKWERK_BASE_URL).rstrip("/")


def _subject(kind: str, initiative: Initiative) -> str:
    subjects = {
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
    # A title may hold what a header cannot (a line break stored before forms refused it).
    return single_line(str(subjects[kind]) % {"title": initiative.title})


@task()
def send_initiative_mail(
    *, initiative_id: int, kind: str, recipient_id: int | None = None, note: str = ""
) -> None:
    """Mail the applicant (or `recipient_id`, e.g. the broker) about a step of the initiative."""
    initiative = (
        Initiative.objects.select_related("applicant", "broker", "fund", "area")
        .filter(pk=initiative_id)
        .first()
    )
    if initiative is None:
        return
    recipient = initiative.applicant
    if recipient_id is not None:
        recipient = type(recipient)._default_manager.get(pk=recipient_id)
    # a mail announcing a decision carries its letter (to the applicant, whom it is addressed to)
    decision = decisions.for_mail(initiative, kind) if recipient_id is None else None
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "initiatives/email/notice.txt",
            {
                "kind": kind,
                "initiative": initiative,
                "recipient": recipient,
                "note": note,
                "granted": format_eur(initiative.granted_cents or 0),
                "paid": format_eur(initiative.paid_cents),
                "url": _base_url() + reverse("initiatives:detail", kwargs={"pk": initiative.pk}),
                "decision": decision,
            },
        )
        message = EmailMessage(
            subject=f"[{settings.WIJKWERK_SITE_NAME}] {_subject(kind, initiative)}",
            body=body,
            to=[recipient.email],
        )
        if decision is not None:
            decisions.attach_letter(message, decision)
        message.send()
