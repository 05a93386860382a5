"""What the audit trail records about schemes, funds and the ledger, and how the audit log shows
it (`wijkwerk.core.auditlog`; registered in `FundsConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import EntryKind


class FundAction(models.TextChoices):
    """ "<object>.<verb>" as in every app (migration 0004 renamed the events recorded as
    "funds.scheme_created", "funds.commitment", ...)."""

    SCHEME_CREATE = "scheme.create", _("Scheme created")
    SCHEME_UPDATE = "scheme.update", _("Scheme changed")
    CATEGORY_CREATE = "category.create", _("Category created")
    CATEGORY_UPDATE = "category.update", _("Category changed")
    FUND_CREATE = "fund.create", _("Fund created")
    FUND_UPDATE = "fund.update", _("Fund changed")
    LEDGER_COMMIT = "ledger.commit", _("Money committed")
    LEDGER_PAY = "ledger.pay", _("Money paid")
    LEDGER_RELEASE = "ledger.release", _("Commitment released")
    LEDGER_REFUND = "ledger.refund", _("Money paid back to the fund")
    LEDGER_CORRECT = "ledger.correct", _("Ledger corrected")
    PAYMENT_BATCH_CREATE = "payment_batch.create", _("Payment batch made")


# The action recorded for each kind of ledger entry.
ENTRY_ACTIONS = {
    EntryKind.COMMITMENT: FundAction.LEDGER_COMMIT,
    EntryKind.PAYMENT: FundAction.LEDGER_PAY,
    EntryKind.RELEASE: FundAction.LEDGER_RELEASE,
    EntryKind.REFUND: FundAction.LEDGER_REFUND,
    EntryKind.CORRECTION: FundAction.LEDGER_CORRECT,
}


def register() -> None:
    from wijkwerk.core import auditlog as log

    from . import cases

    class CaseKind(log.Formatter):
        """The key of a kind of case (funds.cases) as its name; read when shown, since the
        apps that own the kinds register them after this."""

        def text(self, value: Any, names: Any) -> str:
            case_type = cases.get(str(value))
            return str(case_type.verbose_name) if case_type is not None else str(value)

    log.register_actions("funds", _("Money"), FundAction)
    log.register_fields(
        "funds.ledgerentry",
        {
            "fund_available_cents": log.Money(_("available in the fund")),
            "initiative_open_cents": log.Money(_("committed to the initiative, not yet paid")),
            "case_open_cents": log.Money(_("committed to the case, not yet paid")),
            "case_type": CaseKind(_("kind of case")),
            "case_id": log.Hidden(),  # the title tells which
            "case_title": log.Text(_("case")),
        },
        subject="fund",
    )
    # the batch's own count tells how many entries it holds
    log.register_fields("funds.paymentbatch", {"entries": log.Hidden()})
