"""What the audit trail records about challenges ("challenge.<verb>"; the workflow's steps as
"challenge.<step>"), registered in `ChallengesConfig.ready`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeAction(models.TextChoices):
    CREATE = "challenge.create", _("Challenge created")
    SAVE_DRAFT = "challenge.save_draft", _("Proposal changed")
    SUBMIT = "challenge.submit", _("Challenge submitted")
    ADMIT = "challenge.admit", _("Challenge admitted")
    REFUSE = "challenge.refuse", _("Challenge not admitted")
    OPEN_DIALOGUE = "challenge.open_dialogue", _("Dialogue started")
    AGREE = "challenge.agree", _("Agreement recorded")
    START = "challenge.start", _("Challenge started")
    COMPLETE = "challenge.complete", _("Challenge completed")
    END = "challenge.end", _("Challenge ended")
    DECISION = "challenge.decision", _("Admissibility decision recorded")
    ATTACHMENT_ADD = "challenge.attachment_add", _("File added")
    COMMIT = "challenge.commit", _("Money committed from a fund")
    PAY = "challenge.pay", _("Payment recorded")
    REPORT = "challenge.report", _("Progress report added")
    SETTINGS = "challenge.settings", _("Settings for the right to challenge changed")


def register() -> None:
    from wijkwerk.core import auditlog as log

    from .models import AttachmentPurpose, BookingKind, DecisionKind

    log.register_actions("challenges", _("Right to challenge"), ChallengeAction)
    log.register_fields(
        "challenges.challenge",
        {
            "decision": log.Hidden(),
            "reference": log.Text(_("reference")),
            "kind": log.Choice(_("decision"), choices=DecisionKind.choices),
            "late": log.Boolean(_("decided after the term")),
            "attachment": log.Hidden(),
            "name": log.Text(_("file")),
            "purpose": log.Choice(_("purpose"), choices=AttachmentPurpose.choices),
            "booking": log.Hidden(),
            "booking_kind": log.Choice(_("kind"), choices=BookingKind.choices),
            "fund": log.Reference(_("fund"), model="funds.fund"),
            "amount_cents": log.Money(_("amount")),
            "report": log.Hidden(),
            "spent_cents": log.Money(_("spent so far")),
            "reasons": log.Text(_("reasons")),
            "budget_cents": log.Money(_("budget")),
            "starts_on": log.Date(_("start")),
            "ends_on": log.Date(_("end")),
        },
    )
