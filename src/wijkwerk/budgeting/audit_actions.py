"""What the audit trail records about budget rounds, and how the audit log shows it
(`wijkwerk.core.auditlog`; registered in `BudgetingConfig.ready`).

A ballot is recorded as "a vote was cast in this round" on the round, never what it said
(docs/adr/006-secret-ballot.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetAction(models.TextChoices):
    PROCESS_CREATE = "process.create", _("Budget round created")
    PROCESS_CHANGE = "process.change", _("Budget round changed")
    PROCESS_PUBLISH = "process.publish", _("Budget round published")
    PROCESS_CLOSE = "process.close", _("Voting closed")
    PROCESS_COUNT = "process.count", _("Votes counted")
    PROCESS_IMPORT = "process.import", _("Budget round imported from a pabulib file")
    PLAN_SUBMIT = "plan.submit", _("Plan submitted")
    PLAN_CHANGE = "plan.change", _("Plan changed")
    PLAN_LIKE = "plan.like", _("Plan liked")
    PLAN_UNLIKE = "plan.unlike", _("Like withdrawn")
    PLAN_MERGE = "plan.merge", _("Plans merged")
    PLAN_HIDE = "plan.hide", _("Plan hidden")
    PLAN_SHOW = "plan.show", _("Plan shown again")
    PLAN_FEASIBILITY = "plan.feasibility", _("Feasibility recorded")
    PLAN_FUNDED = "plan.funded", _("Funded plan became an initiative")
    BALLOT_CAST = "ballot.cast", _("Vote cast")
    BALLOT_CHANGE = "ballot.change", _("Vote changed")
    REGISTER_UPLOAD = "register.upload", _("Register extract uploaded")
    REGISTER_DELETE = "register.delete", _("Register extract deleted")
    PAPER_INTAKE = "paper.intake", _("Voting code taken in for a paper ballot")
    PAPER_ENTER = "paper.enter", _("Paper ballot entered")
    PAPER_RESOLVE = "paper.resolve", _("Paper ballot resolved")
    CODES_ISSUE = "codes.issue", _("Voting codes made for the letters")
    CODE_HAND_OUT = "code.hand_out", _("Voting code handed out at the desk")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("budgeting", _("Neighbourhood budgets"), BudgetAction)
    log.register_fields(
        "budgeting.budgetprocess",
        {
            "areas": log.Text(_("areas and their budgets")),
            "phases": log.Text(_("phases")),
            "ballots": log.Number(_("ballots")),
            "plans": log.Number(_("plans")),
            "selected": log.Text(_("funded plans")),
            "pb_sha256": log.Text(_("SHA-256 of the ballots file")),
            "channel": log.Text(_("channel")),
            # the register extract: counts only, never a person
            "register_rows": log.Number(_("rows of the register extract")),
            "residents": log.Number(_("residents")),
            "entrepreneurs": log.Number(_("entrepreneurs")),
            "extracts_replaced": log.Number(_("earlier extracts replaced")),
            "codes_withdrawn": log.Number(_("voting codes withdrawn")),
            "codes_deleted": log.Number(_("unused voting codes deleted")),
            "paper_ballot": log.Number(_("paper ballot")),
            "entry": log.Number(_("entry")),
            "paper_status": log.Text(_("paper ballot status")),
            "letters": log.Number(_("letters")),
            "replaced": log.Number(_("codes replaced")),
            "secret_addresses": log.Number(_("people with a secret address (no letter)")),
        },
    )
    log.register_fields(
        "budgeting.plan",
        {
            "likes": log.Number(_("likes")),
            "into": log.Reference(_("merged into"), model="budgeting.plan"),
            "initiative": log.Reference(_("initiative"), model="initiatives.initiative"),
        },
    )
