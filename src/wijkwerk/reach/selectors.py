"""Reach per quarter: how many different residents took part, through which channel, against
the area's population (docs/learning.md, "Reach").

Stable interface for the quarterly report (reports app) and the pages:

- `reach_table(municipality, quarter) -> ReachTable`: a row per area (district/village, their
  neighbourhoods, the municipality as a whole) and per council, each with persons per channel,
  distinct persons, budget-vote turnout, population and its year, share, and suppression flags.
- `reach_over_time(target, quarters) -> list[ReachPoint]`: one point per quarter for an area or a
  council.

Figures below `THRESHOLD` are suppressed: `Figure.value` is None and `Figure.suppressed` True.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.models import Area, AreaCouncil, Municipality
from wijkwerk.core.quarters import Quarter

THRESHOLD = 5

# The channels through which a person is reached, in the order the tables show them. Budget
# votes are not a channel of persons: their turnout is a count of ballots (see `budget_votes`).
CHANNELS: tuple[tuple[str, object], ...] = (
    ("attendance", _("meeting or event")),
    ("poll", _("poll")),
    ("survey", _("survey")),
    ("initiative", _("initiative")),
    ("support", _("support")),
    ("comment", _("comment")),
    ("follow", _("follow")),
)
CHANNEL_KEYS = tuple(key for key, _label in CHANNELS)


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown: `value` None when it is suppressed (fewer than THRESHOLD, or
    a figure from which a suppressed one could be worked out)."""

    value: int | None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return not self.suppressed


@dataclass(frozen=True)
class ReachRow:
    kind: str  # "municipality", "area" or "council"
    obj: Municipality | Area | AreaCouncil
    name: str
    depth: int  # 0 municipality, 1 district/village, 2 neighbourhood; councils: their area's
    channels: dict[str, Figure]
    total: Figure  # distinct persons across the channels
    budget_votes: Figure  # ballots cast in budget rounds (counts from the rounds, no persons)
    population: int | None
    population_year: int | None
    share: Decimal | None  # total / population in percent, None when not shown

    @property
    def channel_list(self) -> list[tuple[str, Figure]]:
        return [(key, self.channels[key]) for key in CHANNEL_KEYS]


@dataclass(frozen=True)
class ReachTable:
    municipality: Municipality
    quarter: Quarter
    total: ReachRow
    areas: list[ReachRow] = field(default_factory=list)
    councils: list[ReachRow] = field(default_factory=list)
    has_data: bool = False


@dataclass(frozen=True)
class ReachPoint:
    quarter: Quarter
    total: Figure
    budget_votes: Figure
    channels: dict[str, Figure]
    population: int | None
    population_year: int | None
    share: Decimal | None


def reach_table(municipality: Municipality, quarter: Quarter) -> ReachTable:
    raise NotImplementedError


def reach_over_time(target: Area | AreaCouncil, quarters: Sequence[Quarter]) -> list[ReachPoint]:
    raise NotImplementedError
