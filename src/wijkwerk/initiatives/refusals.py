"""Why an initiative's step was refused: `ActionRefused` with a stable code.

The message is for people (translated); the code is for tests and clients and never changes
meaning. The ledger's codes (funds.services.LedgerRefused: `not_enough_money`,
`second_official`, `no_payee`, ...) come through unchanged when a step's booking is refused.

From the workflow (wijkwerk.core.workflow):
    unknown_step            no such step
    wrong_state             not possible in the initiative's current status
    reason_required         the step needs a reason
    amount_required         approving needs the amount granted
    fund_required           approving needs the fund the money comes from
From the steps and services:
    own_form                submitting and accounting have their own pages
    not_submittable         the application cannot be submitted; each of its messages has its
                            own code (`Refused.codes`): `incomplete` or the scheme's code for
                            the rule it breaks (funds.checks: `lead_time_too_short`, ...)
    incomplete              (a message of not_submittable) the submission needs something more
    amount_not_positive     the amount granted is zero or less
    above_requested         the amount granted is more than the amount requested
    above_scheme_maximum    the amount granted is more than the scheme allows per initiative
    fund_area               the fund does not cover the initiative's area
    fund_scheme             the fund pays under another scheme than the one applied under
    fund_year               the fund is for another year than the one the initiative starts in
    fund_closed             the fund is closed
    not_paid                closing while the amount finally set is still to be paid
    not_assignable          assigning a broker after completion (or to a draft)
    not_a_broker            assigning someone who is not a broker of the area
    not_payable             paying out in a status in which nothing is paid
    payee_not_yet           giving the account before approval
    payee_name_required     the account holder's name is missing
    nothing_to_repay        booking a repayment when nothing is owed
    repayment_amount        a repayment of zero, or of more than is owed
    no_fund_paid_this       no fund paid this much to the initiative
    costs_incomplete        the accountability misses the actual costs of a budget line
    negative_costs          an actual cost below zero
    unknown_purpose         an attachment of an unknown kind
    help_text_required      an offer of help without text
    official_support        an official (anyone with a role) supporting an initiative
    message_required        an empty message
    not_awardable           funding a plan by a neighbourhood vote through an initiative that
                            was decided on already (approved, rejected, running or ended)
    council_decides         an official approving or rejecting an initiative addressed to a
                            council (the council decides it at its meeting)
    council_fund            an official granting from a council's own fund
    not_the_council         a council decision on an initiative not addressed to that council,
                            or from a fund that is not the council's
    too_many_pending        more files waiting to be saved on a new application than allowed

Uploads are refused by uploads.check_upload with codes of their own (`too_large`, `empty`,
`wrong_type`, `too_many_pixels`, `bad_image`, `bad_pdf`).
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused


class ActionRefused(Refused):
    """A step the workflow or the scheme does not allow now; the message is for the user."""
