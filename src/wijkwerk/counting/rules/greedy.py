"""Greedy by votes (with or without skipping), exact."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..model import Amount, normalize_amount
from ..tiebreak import TieBreaker


@dataclass
class GreedyStep:
    """One project's turn in the greedy order."""

    project: int  # election index
    rank: int  # 1-based position in the order
    score: int
    money_left: Amount  # money left when its turn came
    funded: bool
    stopped: bool = False  # greedy-no-skip: the count had already stopped


@dataclass
class GreedyResult:
    """Outcome of a greedy count."""

    selected: list[int]
    steps: list[GreedyStep]
    total_cost: Amount


def greedy_order(candidates: list[int], scores: list[int], tie_breaker: TieBreaker) -> list[int]:
    """Order ``candidates`` by score (descending), ties ordered by the tie-break list."""
    by_score: dict[int, list[int]] = {}
    for p in candidates:
        by_score.setdefault(scores[p], []).append(p)
    out: list[int] = []
    for score in sorted(by_score, reverse=True):
        block = by_score[score]
        if len(block) == 1:
            out.extend(block)
        else:
            out.extend(tie_breaker.order(block, context=f"with {score} votes in the greedy order"))
    return out


def greedy(
    candidates: list[int],
    costs: list[Amount],
    scores: list[int],
    budget: Amount,
    tie_breaker: TieBreaker,
    *,
    skip: bool = True,
    initial: list[int] | None = None,
) -> GreedyResult:
    """Greedy by score: take projects in order while they fit.

    Args:
        candidates: election indices of the eligible projects (score > 0).
        skip: ``True`` skips a project that does not fit and goes on; ``False``
            stops at the first project that does not fit (greedy-no-skip).
        initial: projects already funded (used by completions); they are kept and
            their cost is taken from the budget first.
    """
    chosen = list(initial or [])
    left = Fraction(budget) - sum((Fraction(costs[p]) for p in chosen), Fraction(0))
    steps: list[GreedyStep] = []
    stopped = False
    pool = [p for p in candidates if p not in set(chosen) and scores[p] > 0]
    for rank, p in enumerate(greedy_order(pool, scores, tie_breaker), start=1):
        cost = costs[p]
        if not stopped and cost <= left:
            steps.append(GreedyStep(p, rank, scores[p], normalize_amount(left), True))
            chosen.append(p)
            left -= cost
        else:
            steps.append(GreedyStep(p, rank, scores[p], normalize_amount(left), False, stopped))
            if not skip:
                stopped = True
    total = normalize_amount(Fraction(budget) - left)
    return GreedyResult(chosen, steps, total)
