"""Why a change to a quarterly report was refused: `ReportRefused` with a stable code.

From the services:
    published         the report is published: archived unchanged (no edit, no regeneration,
                      no second publication)
    exists            a report for this municipality and quarter exists already
    future_quarter    a report for a quarter that has not begun
    too_long          an introduction or note above its maximum length
    unknown_section   a note for a section the report does not have
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused

CODES = ("published", "exists", "future_quarter", "too_long", "unknown_section")


class ReportRefused(Refused):
    pass
