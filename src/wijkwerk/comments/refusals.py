"""Why a step with a comment was refused: `CommentRefused` with a stable code.

empty               a comment (or a hiding or block reason) with no text
too_long            a comment over 2,000 characters, a reason or explanation over 500
not_open            commenting on an object that takes no comments (not public, hidden,
                    a draft) or of a kind that takes none
blocked             the writer is blocked from commenting in the municipality (the message
                    gives the reason and until when)
bad_parent          a reply to a comment on another object, to a reply (one level only)
                    or to a hidden comment
already_reported    a second report of the same comment by the same person
bad_reason          a report without a known reason
already_hidden      hiding a hidden comment
not_hidden          restoring a comment that is not hidden
nothing_reported    keeping a comment that has no open reports
own_block           blocking oneself
bad_date            a block that ends in the past
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused

CODES = (
    "empty",
    "too_long",
    "not_open",
    "blocked",
    "bad_parent",
    "already_reported",
    "bad_reason",
    "already_hidden",
    "not_hidden",
    "nothing_reported",
    "own_block",
    "bad_date",
)


class CommentRefused(Refused):
    """A step with a comment that the rules do not allow; the message is for the user."""
