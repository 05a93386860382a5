"""User text where one line is expected: titles, names, addresses, mail subjects.

A line break in a title typed into a form would end up in the subject of every mail about it (a
mail header cannot hold one: the mail fails, or worse, the text adds headers). Forms refuse such
characters in one-line fields (`wijkwerk.core.forms.SingleLineFieldsMixin`); text built for a
header passes through `single_line`, which also covers what was stored before.
"""

from __future__ import annotations

import re

# Control characters (C0, DEL, C1, among them tab, CR, LF and NEL) and the Unicode line and
# paragraph separators.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def single_line(text: str) -> str:
    """The text on one line: every run of control characters and blanks becomes one space."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())
