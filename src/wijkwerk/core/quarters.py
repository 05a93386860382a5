"""Quarters of the calendar year: the period of reach figures and of the report to the council.

Oosterhout's council asked for the lessons from the pilots "at least once a quarter"; reach is
counted per quarter too. One value type for both so they speak of the same three months.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Self

from django.utils import timezone
from django.utils.translation import gettext as _

_TEXT = re.compile(r"^\s*(\d{4})\s*-?\s*[QqKk]([1-4])\s*$")


class QuarterError(ValueError):
    """A quarter written in a way we cannot read; the message says how to write one."""


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1–4

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise QuarterError(_("A quarter is numbered 1 to 4, not %(n)s.") % {"n": self.number})
        if not 2000 <= self.year <= 2100:
            message = _("%(year)s is not a year we keep figures for.")
            raise QuarterError(message % {"year": self.year})

    @classmethod
    def parse(cls, text: str) -> Self:
        """Reads "2026-K3", "2026K3" or "2026-Q3" (the URL form is "2026-K3")."""
        found = _TEXT.match(text or "")
        if not found:
            raise QuarterError(
                _("“%(text)s” is not a quarter; write it as 2026-K3.") % {"text": text}
            )
        return cls(int(found[1]), int(found[2]))

    @classmethod
    def of(cls, day: date) -> Self:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> Self:
        return cls.of(timezone.localdate())

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    @property
    def start(self) -> datetime:
        """The first moment, aware, in the site's time zone."""
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def end(self) -> datetime:
        """The first moment after the quarter (half-open: start <= t < end)."""
        return self.next().start

    def next(self) -> Quarter:
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    @property
    def slug(self) -> str:
        return f"{self.year}-K{self.number}"

    def __str__(self) -> str:
        # "3e kwartaal 2026" in Dutch; the catalogue carries the word order
        return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}
