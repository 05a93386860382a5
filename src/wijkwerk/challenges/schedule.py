"""When progress reports are due: every `report_every_months` months from the agreement's start;
the n-th report is due n periods after the start. Pure functions (no queries)."""

from __future__ import annotations

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day where it is shorter)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_report_due(starts_on: datetime.date, every_months: int, reports: int) -> datetime.date:
    """The date the next report (after `reports` reports) is due."""
    return add_months(starts_on, every_months * (reports + 1))


def report_overdue(
    starts_on: datetime.date, every_months: int, reports: int, today: datetime.date
) -> bool:
    return today > next_report_due(starts_on, every_months, reports)
