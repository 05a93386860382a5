"""Why a write about offers, invitations or questions was refused: `ExpertiseRefused` with a
stable code (the message is for people, translated; the code for tests and clients).

    markup                  a text with HTML tags (offers, questions and answers are plain text)
    no_home_area            offering without a home area: an offer lies in your municipality
    area_elsewhere          an area outside the resident's (or the official's) municipality
    no_areas                no area chosen
    too_many_areas          more areas than an offer may have
    too_many_tags           more tags than an offer may have
    bad_tag                 a tag that is too long or has other characters than letters,
                            digits, spaces and hyphens
    until_past              "available until" before today
    not_a_target            inviting to an initiative, group or question the inviter may not
                            invite to (not theirs, not running, closed)
    already_invited         the offer's resident was invited to this already
    already_answered        answering an invitation twice
    closing_in_past         a question whose closing date is before today
    question_closed         answering a closed question, or closing it twice
    question_open           recording the outcome of a question that is still open
    outcome_required        an empty outcome
    answer_required         an answer without text
    not_your_offer          linking someone else's offer to an answer
    answered_already        answering the same question twice

Rate limits refuse with `core.ratelimit.RateLimited` (code `rate_limited`).
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused


class ExpertiseRefused(Refused):
    """A write the rules do not allow; the message is for the user."""
