"""Tie-breaking as an ordered list of criteria.

Each criterion narrows the set of tied projects, as in the equalshares.net compute
tool (``breakTies``): ``min-cost`` keeps the cheapest, ``max-votes`` those with the
most supporters, ``file-order`` the one listed first in the file, ``lot:SEED`` the
first in a reproducible random order drawn from ``SEED``. If more than one project is
left after the whole list, :class:`~wijkwerk.counting.model.TieError` is raised: the
count never picks silently.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .model import CountingError, TieError

DEFAULT_TIE_BREAK = "min-cost,max-votes,file-order"


@dataclass(frozen=True)
class TieBreak:
    """A parsed tie-breaking list, bound to one election's projects.

    Attributes:
        criteria: the criteria in order (``min-cost``, ``max-votes``, ``file-order``, ``lot:SEED``).
    """

    criteria: tuple[str, ...]

    @staticmethod
    def parse(spec: str | Sequence[str] | None) -> TieBreak:
        """Parse ``"min-cost,max-votes,file-order"`` (or a list of criteria)."""
        if spec is None:
            spec = DEFAULT_TIE_BREAK
        items = (
            [s.strip() for s in spec.split(",")]
            if isinstance(spec, str)
            else [s.strip() for s in spec]
        )
        items = [item for item in items if item]
        for item in items:
            if item in ("min-cost", "max-votes", "file-order"):
                continue
            if item.startswith("lot:") and len(item) > 4:
                continue
            raise CountingError(
                f"unknown tie-break criterion '{item}' "
                "(use min-cost, max-votes, file-order, lot:SEED)"
            )
        return TieBreak(tuple(items))

    def __str__(self) -> str:
        return ",".join(self.criteria)


class TieBreaker:
    """Applies a :class:`TieBreak` to projects given by index."""

    def __init__(
        self,
        tie_break: TieBreak,
        costs: Sequence[int | Fraction],
        votes: Sequence[int],
        ids: Sequence[str],
    ) -> None:
        self.tie_break = tie_break
        self.costs = costs
        self.votes = votes
        self.ids = ids
        self._lots: dict[str, dict[int, int]] = {}
        for criterion in tie_break.criteria:
            if criterion.startswith("lot:"):
                order = list(range(len(ids)))
                random.Random(criterion[4:]).shuffle(order)
                self._lots[criterion] = {p: rank for rank, p in enumerate(order)}

    def narrow(self, tied: Sequence[int]) -> list[int]:
        """Apply the criteria in order; return what is left (maybe several)."""
        rest = list(tied)
        for criterion in self.tie_break.criteria:
            if len(rest) <= 1:
                break
            if criterion == "min-cost":
                cheapest = min(self.costs[p] for p in rest)
                rest = [p for p in rest if self.costs[p] == cheapest]
            elif criterion == "max-votes":
                most_votes = max(self.votes[p] for p in rest)
                rest = [p for p in rest if self.votes[p] == most_votes]
            elif criterion == "file-order":
                rest = [min(rest)]
            else:
                lot = self._lots[criterion]
                rest = [min(rest, key=lambda p: lot[p])]
        return rest

    def pick(self, tied: Sequence[int], context: str = "") -> int:
        """Return the single winner among ``tied`` or raise :class:`TieError`."""
        rest = self.narrow(tied)
        if len(rest) != 1:
            names = ", ".join(repr(self.ids[p]) for p in sorted(rest))
            where = f" {context}" if context else ""
            raise TieError(
                f"tie between projects {names}{where} that the tie-break list "
                f"'{self.tie_break}' cannot break; add file-order or lot:SEED"
            )
        return rest[0]

    def order(self, tied: Sequence[int], context: str = "") -> list[int]:
        """Order ``tied`` completely by repeatedly picking the tie-break winner."""
        rest = list(tied)
        out: list[int] = []
        while rest:
            p = self.pick(rest, context)
            out.append(p)
            rest.remove(p)
        return out
