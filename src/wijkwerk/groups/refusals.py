"""Why a write about a resident group was refused: `GroupRefused` with a stable code (the message
is for people, translated; the code for tests and clients).

    markup              a text with HTML tags (names, descriptions and messages are plain text)
    too_long            a text longer than its field allows
    name_required       a group without a name
    duplicate_name      a living group of that name (whatever its capitals) in the area already
    area_elsewhere      an area outside the founder's municipality
    no_home_area        founding a group without a home area on one's profile
    dissolved           anything but reading, on a dissolved group
    already_member      joining (asking, accepting an invitation) a group one is a member of
    already_asked       asking to join while a request is waiting
    invitation_only     joining or asking to join a group that takes members only by invitation
    request_decided     answering a join request that was answered already
    last_contact        the last contact leaving or stepping down without naming another
    successor_invalid   naming as successor someone who is not a member
    invitation_unknown  an invitation link that opens nothing
    invitation_used     an invitation accepted before
    invitation_expired  an invitation past its date
    invitation_email    accepting an invitation with another address than the one invited
    not_a_worker        linking someone who is not a community worker of the group's area
    worker_self         a community worker linking someone else (only brokers and
                        administrators link others)
    message_required    an empty message
    bad_email           an e-mail address that is none
    bad_policy          a join policy that is not one of the three
    bad_role            a role in the group that is not one of the three
    not_member          giving a role to someone who left the group meanwhile

Rate limits refuse with `core.ratelimit.RateLimited` (code `rate_limited`).
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused

CODES = (
    "markup",
    "too_long",
    "name_required",
    "duplicate_name",
    "area_elsewhere",
    "no_home_area",
    "dissolved",
    "already_member",
    "already_asked",
    "invitation_only",
    "request_decided",
    "last_contact",
    "successor_invalid",
    "invitation_unknown",
    "invitation_used",
    "invitation_expired",
    "invitation_email",
    "not_a_worker",
    "worker_self",
    "message_required",
    "bad_email",
    "bad_policy",
    "bad_role",
    "not_member",
)


class GroupRefused(Refused):
    """A write the rules do not allow; the message is for the user."""
