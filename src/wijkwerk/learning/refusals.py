"""Why a write about pilots or lessons was refused: `LearningRefused` with a stable code (the
message is for people, translated; the code for tests and clients).

    markup                  a text with HTML tags (pilots and lessons are plain text)
    too_long                a text longer than its field allows
    required                a title, goal or lesson text left empty
    ends_before_start       a pilot whose end is not after its start
    no_areas                a pilot without an area
    too_many_areas          more areas than a pilot may have
    area_elsewhere          an area or official outside the pilot's municipality, or an area
                            the official does not manage
    not_an_official         a person named as a pilot's official who holds no role there
    no_pilot_or_area        a lesson with neither a pilot nor an area
    pilot_elsewhere         a lesson's pilot of another municipality
    bad_perspective         a perspective that is not the municipality's or the residents'
    on_behalf_municipality  "recorded on behalf of residents" on a municipality's lesson
    learned_in_future       a lesson learned after today
    bad_tag                 a tag that is too long or has other characters than letters,
                            digits, spaces and hyphens
    too_many_tags           more tags than a lesson may have
    not_pending             approving or rejecting a lesson that is not waiting
    reason_required         rejecting without a reason
    follow_up_required      an empty follow-up
    follow_up_date          a follow-up dated after today or before the lesson

Rate limits refuse with `core.ratelimit.RateLimited` (code `rate_limited`).
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused


class LearningRefused(Refused):
    """A write the rules do not allow; the message is for the user."""
