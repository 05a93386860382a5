"""What the audit trail records about offers, invitations and questions
(`wijkwerk.core.auditlog`; registered in `ExpertiseConfig.ready`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertiseAction(models.TextChoices):
    OFFER_CREATE = "offer.create", _("Offer made")
    OFFER_CHANGE = "offer.change", _("Offer changed")
    OFFER_PAUSE = "offer.pause", _("Offer paused")
    OFFER_RESUME = "offer.resume", _("Offer resumed")
    OFFER_REMOVE = "offer.remove", _("Offer removed")
    INVITATION_SEND = "offer_invitation.send", _("Resident invited")
    INVITATION_ACCEPT = "offer_invitation.accept", _("Invitation accepted")
    INVITATION_DECLINE = "offer_invitation.decline", _("Invitation declined")
    QUESTION_ASK = "municipal_question.ask", _("Question asked")
    QUESTION_CLOSE = "municipal_question.close", _("Question closed")
    QUESTION_OUTCOME = "municipal_question.outcome", _("Outcome of a question recorded")
    ANSWER_ADD = "municipal_question.answer", _("Question answered")


def register() -> None:
    from wijkwerk.core import auditlog as log

    from .models import AnswerKind, InvitationTarget

    log.register_actions("expertise", _("Offers and questions"), ExpertiseAction)
    fields = {
        "areas": log.Text(_("areas")),
        "tags": log.Text(_("tags")),
        "target": log.Choice(_("invited to"), choices=InvitationTarget.choices),
        "message": log.Hidden(),
        "text": log.Hidden(),
        "answer": log.Hidden(),
        "reply": log.Choice(_("reply"), choices=AnswerKind.choices),
    }
    for model in ("expertise.offer", "expertise.invitation", "expertise.question"):
        log.register_fields(model, fields)
