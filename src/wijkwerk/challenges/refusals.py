"""Why a challenge's step was refused: `ChallengeRefused` with a stable code.

From the workflow (wijkwerk.core.workflow):
    unknown_step            no such step
    wrong_state             not possible in the challenge's current status
    reasons_required        a decision or ending without reasons
From the steps and services:
    incomplete              submitting a proposal that misses one of the seven items or the
                            legal entity (each missing item is its own message)
    kvk_invalid             a KvK number that is not 8 digits
    decided_before_submission  a decision dated before the proposal was submitted
    decided_in_future       a decision dated after today
    entity_not_confirmed    admitting without confirming the legal entity check
    no_agreement            starting a challenge without an agreement
    term_order              an agreement that ends before it starts
    amount_negative         an amount below zero
    amount_too_large        an amount above the maximum (€ 100.000.000,00)
    above_budget            committing more than the agreement's budget
    more_than_committed     paying more than is committed and not yet paid
    not_running             a progress report on a challenge that is not running
    report_empty            a progress report without text
    unknown_purpose         an attachment of an unknown kind
The ledger's codes (funds.services.LedgerRefused: `not_enough_money`, `fund_inactive`, ...) come
through unchanged. Uploads are refused by initiatives.uploads.check_upload (`too_large`,
`empty`, `wrong_type`, ...).
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused


class ChallengeRefused(Refused):
    """A step the workflow or the rules do not allow now; the message is for people."""
