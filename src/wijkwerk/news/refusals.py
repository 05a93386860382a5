"""Why a step with a news post was refused: `NewsRefused` with a stable code.

incomplete          a post without a title, lead or text
too_long            a title, lead, text or reason longer than allowed
not_single_line     a title or lead with a line break or control characters
foreign_publisher   a council or group that is not of the post's area
already_published   publishing a post that is published
not_published       taking offline a post that is not published
reason_required     taking a post offline without a reason
picture_alt         a picture without a description (its text alternative), or one too long
empty               an empty picture file
too_large           a picture file above the size limit
wrong_type          a picture that is not JPEG, PNG or WebP by its content
too_many_pixels     a picture of more pixels than we decode
bad_image           a damaged picture, or one that is none
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused

CODES = (
    "incomplete",
    "too_long",
    "not_single_line",
    "foreign_publisher",
    "already_published",
    "not_published",
    "reason_required",
    "picture_alt",
    "empty",
    "too_large",
    "wrong_type",
    "too_many_pixels",
    "bad_image",
)


class NewsRefused(Refused):
    """A step with a news post that the rules do not allow; the message is for the user."""
