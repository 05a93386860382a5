"""Completions of MES (Add1 variants, Add1U) and the comparison step.

* ``add1``: raise every voter's budget by 1 currency unit at a time, starting at
  ``B/n``; keep the last outcome that costs at most ``B``; stop when the next one
  costs more (no stop at exhaustiveness; reproduces Wieliczka 2023). It also stops
  when every candidate is funded or when the per-voter budget exceeds ``B/n + B``
  (the bound of pabutools' ``exhaustion_by_budget_increase``).
* ``add1-exhaustive``: as ``add1`` but also stop at the first exhaustive outcome
  (equalshares.net tool default; pabutools ``voter_budget_increment=1``).
* ``add1u``: ``add1``, then add the remaining projects greedily by votes while they fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .model import CountingError
from .rules.equal_shares import MesRun, mes_run
from .rules.prepare import Grouped
from .tiebreak import TieBreaker

COMPLETIONS = ("none", "add1", "add1-exhaustive", "add1u")
COMPARISONS = ("none", "satisfaction", "exclusion-ratio")


@dataclass
class CompletedRun:
    """Final MES run after completion, plus how it was reached."""

    run: MesRun
    steps: int  # number of +1 increments accepted
    stop_reason: str


def _is_exhaustive(data: Grouped, sel: list[int], total: Fraction) -> bool:
    chosen = set(sel)
    left = Fraction(data.budget) - total
    return all(p in chosen or data.cost[p] > left for p in range(len(data.cand)))


def run_with_completion(data: Grouped, completion: str, tb: TieBreaker) -> CompletedRun:
    """Run MES (fixed budget ``B/n``) and the Add1 part of ``completion``."""
    if completion not in COMPLETIONS:
        raise CountingError(f"unknown completion '{completion}' (use {', '.join(COMPLETIONS)})")
    B = Fraction(data.budget)
    n = data.n
    if n == 0:
        return CompletedRun(mes_run(data, Fraction(0), tb, record=True), 0, "no voters")
    x0 = B / n
    if completion == "none":
        return CompletedRun(mes_run(data, x0, tb, record=True), 0, "no completion")
    exhaustive_stop = completion == "add1-exhaustive"
    supported = [p for p in range(len(data.cand)) if len(data.sg[p])]
    cur = mes_run(data, x0, tb)
    k = 0
    bound = x0 + B
    while True:
        if exhaustive_stop and _is_exhaustive(data, cur.selected, cur.total_cost):
            reason = "exhaustive"
            break
        if len(set(cur.selected)) == len(supported):
            reason = "every project funded"
            break
        nxt_x = x0 + k + 1
        if nxt_x > bound:
            reason = "per-voter budget bound reached"
            break
        nxt = mes_run(data, nxt_x, tb)
        if nxt.total_cost > B:
            reason = "next step over budget"
            break
        cur = nxt
        k += 1
    final = mes_run(data, x0 + k, tb, record=True)
    return CompletedRun(final, k, reason)
