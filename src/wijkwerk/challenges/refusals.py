"""Why a challenge's step was refused: `ChallengeRefused` with a stable code.

From the workflow (wijkwerk.core.workflow):
    unknown_step            no such step
    wrong_state             not possible in the challenge's current status
    reasons_required        a decision or an ending without reasons
From the steps and services:
    own_form                admitting, refusing, submitting and agreeing have their own pages
    incomplete              submitting a proposal that misses one of the seven items or the
                            legal entity (each missing item is its own message)
    title_required          a proposal without a title
    too_long                a text above its maximum length
    legal_form              a legal form that is not an association, foundation or cooperative
    kvk_invalid             a KvK number that is not 8 digits
    signatures              a number of signatures below zero or absurdly large
    areas_municipality      areas concerned in more than one municipality
    decided_before_submission  a decision dated before the proposal was submitted
    decided_in_future       a decision dated after today
    entity_not_confirmed    admitting without confirming the legal entity check
    no_agreement            starting a challenge, or booking money, without an agreement
    agreement_incomplete    an agreement without tasks, result or who does what
    term_required           an agreement without a start or an end
    term_order              an agreement that ends before it starts
    report_frequency        reports less often than once a year or more than monthly
    amount_invalid          an amount that is not a whole number of cents
    amount_negative         an amount below zero (or zero where more is needed)
    amount_too_large        an amount above the maximum (€ 100.000.000,00)
    not_bookable            booking money for a challenge without a running agreement
    other_municipality      a fund of another municipality
    area_not_covered        a fund that does not cover the challenge's area
    fund_inactive           a closed fund
    above_budget            committing more than the agreement's budget
    more_than_committed     paying more than is committed and not yet paid
    note_required           a payment without saying what it is for
    not_running             a progress report on a challenge that is not running
    report_empty            a progress report without text
    figure_invalid          hours or residents reached below zero or not whole numbers
    unknown_purpose         an attachment of an unknown kind
    term                    a decision term outside 1 to 365
    term_unit               a decision term in another unit than days or weeks
The ledger's codes (funds.services.LedgerRefused: `not_enough_money`, `fund_inactive`, ...) come
through unchanged. Uploads are refused by initiatives.uploads.check_upload (`too_large`,
`empty`, `wrong_type`, ...).
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused


class ChallengeRefused(Refused):
    """A step the workflow or the rules do not allow now; the message is for people."""
