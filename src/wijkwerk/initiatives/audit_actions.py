"""What the audit trail records about initiatives, and how the audit log shows it
(`wijkwerk.core.auditlog`; registered in `InitiativesConfig.ready`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class InitiativeAction(models.TextChoices):
    """Every action recorded on an initiative ("initiative.<verb>"; the workflow's steps are
    recorded as "initiative.<step>")."""

    CREATE = "initiative.create", _("Initiative created")
    SAVE_DRAFT = "initiative.save_draft", _("Application changed")
    SUBMIT = "initiative.submit", _("Initiative submitted")
    START_REVIEW = "initiative.start_review", _("Initiative taken into review")
    ASSIGN = "initiative.assign", _("Initiative assigned to a broker")
    APPROVE = "initiative.approve", _("Initiative approved")
    AWARD = "initiative.award", _("Initiative funded by a neighbourhood vote")
    COUNCIL_APPROVE = "initiative.council_approve", _("Initiative approved by the council")
    COUNCIL_REJECT = "initiative.council_reject", _("Initiative rejected by the council")
    HAND_TO_COUNCIL = "initiative.hand_to_council", _("Initiative handed to the council")
    REJECT = "initiative.reject", _("Initiative rejected")
    RETURN = "initiative.return", _("Initiative returned for changes")
    START = "initiative.start", _("Initiative started")
    SUBMIT_ACCOUNTABILITY = "initiative.submit_accountability", _("Accountability submitted")
    ACCEPT_ACCOUNTABILITY = "initiative.accept_accountability", _("Accountability accepted")
    REQUEST_MORE = "initiative.request_more", _("More information asked for")
    CLOSE = "initiative.close", _("Initiative closed")
    WITHDRAW = "initiative.withdraw", _("Initiative withdrawn")
    DECISION = "initiative.decision", _("Decision recorded")
    PAY = "initiative.pay", _("Payment made")
    REPAYMENT = "initiative.repayment", _("Repayment received")
    PAYEE = "initiative.payee", _("Bank account given")
    ATTACHMENT_ADD = "initiative.attachment_add", _("File added")
    ATTACHMENT_DELETE = "initiative.attachment_delete", _("File removed")
    SUPPORT = "initiative.support", _("Initiative supported")
    SUPPORT_WITHDRAW = "initiative.support_withdraw", _("Support withdrawn")
    HELP_OFFER = "initiative.help_offer", _("Help offered")
    MESSAGE = "initiative.message", _("Message posted")
    NOTE = "initiative.note", _("Internal note added")


def register() -> None:
    from wijkwerk.core import auditlog as log

    from .models import AttachmentPurpose, DecisionKind

    log.register_actions("initiatives", _("Initiatives"), InitiativeAction)
    log.register_fields(
        "initiatives.initiative",
        {
            # the workflow's money figures beside the model's own fields
            "actual_cents": log.Money(_("actual costs")),
            "repayment_due_cents": log.Money(_("still to be paid back")),
            "paid_by": log.Reference(_("paid by"), model="accounts.user"),
            # help offers: what the person offers
            "text": log.Text(_("offer")),
            # messages and notes: the conversation shows them, the log that they were posted
            "message": log.Hidden(),
            # files: their name and purpose
            "attachment": log.Hidden(),
            "name": log.Text(_("file")),
            "purpose": log.Choice(_("purpose"), choices=AttachmentPurpose.choices),
            # decisions: their reference, kind and amount
            "decision": log.Hidden(),
            "reference": log.Text(_("reference")),
            "kind": log.Choice(_("decision"), choices=DecisionKind.choices),
            "amount_cents": log.Money(_("amount")),
        },
    )
