"""Explanations of one project, with exact what-if searches.

For a project that was not funded, :func:`explain_project` finds by recounting
(the full, exact count with the same settings):

* the highest whole cost at which it would have been funded ("how much cheaper"),
  by bisection between 0 and its cost, and
* the smallest number of additional voters supporting only this project with
  which it would have been funded ("how many more supporters"), by doubling and
  bisection up to ``4 n``.

The bisection assumes the outcome is monotone in the cost (resp. in the number of
extra supporters); the reported boundary is always checked by two exact recounts
(funded at the reported value, not funded one step further).
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any

from .engine import count
from .model import Ballot, CountingError, Election, format_amount, normalize_amount

_INELIGIBLE = ("no-support", "below-threshold", "cost-share")


def _with_cost(election: Election, p: int, cost: int) -> Election:
    projects = list(election.projects)
    projects[p] = dataclasses.replace(projects[p], cost=cost)
    return dataclasses.replace(election, projects=projects)


def _with_supporters(election: Election, p: int, k: int) -> Election:
    if election.ballots and election.ballots[0].points is not None:
        pts = max((max(b.points or (1,)) for b in election.ballots), default=1)
        extra = Ballot((p,), (pts,))
    else:
        extra = Ballot((p,))
    ballots = [*election.ballots, extra]
    b = len(ballots) - 1
    meta = dict(election.meta)
    meta["num_votes"] = str(election.num_voters + k)
    return dataclasses.replace(
        election,
        meta=meta,
        ballots=ballots,
        voter_ids=[*election.voter_ids, *(f"what-if-{i}" for i in range(k))],
        voter_ballot=[*election.voter_ballot, *([b] * k)],
        vote_extra=[],
        vote_extra_columns=[],
    )


def explain_project(
    election: Election, project_id: str, *, search: bool = True, **settings: Any
) -> dict[str, Any]:
    """Explain the result for ``project_id`` (JSON-ready dict).

    ``settings`` are passed to :func:`wijkwerk.counting.count`. With ``search`` the
    what-if figures (``cheaper_to``, ``extra_supporters``) are added for a project
    that was eligible but not funded.
    """
    index = election.project_index()
    if project_id not in index:
        raise CountingError(f"unknown project '{project_id}'")
    p = index[project_id]
    outcome = count(election, **settings)
    e = outcome.explanations[project_id]
    info = e.to_json()
    info["selected"] = outcome.selected
    info["total_cost"] = format_amount(outcome.total_cost)
    what_if: list[str] = []
    if search and not e.funded and e.code not in _INELIGIBLE:

        def funded_at(cost: int) -> bool:
            return project_id in count(_with_cost(election, p, cost), **settings).selected

        hi = math.ceil(Fraction(e.cost))  # not funded (at its real cost)
        lo = 0
        if funded_at(lo):
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if funded_at(mid):
                    lo = mid
                else:
                    hi = mid
            cheaper = normalize_amount(Fraction(e.cost) - lo)
            info["cheaper_to"] = str(lo)
            info["cheaper_by"] = format_amount(cheaper)
            what_if.append(
                f"It would have been funded if it had cost at most {lo} "
                f"({format_amount(cheaper)} less); at {hi} it would not (checked by recounting)."
            )
        else:
            what_if.append("Even at no cost it would not have been funded.")

        def funded_with(k: int) -> bool:
            return project_id in count(_with_supporters(election, p, k), **settings).selected

        limit = 4 * max(election.num_voters, 1)
        k = 1
        while k <= limit and not funded_with(k):
            k *= 2
        if k <= limit:
            lo_k, hi_k = k // 2, k  # lo_k not enough (or 0), hi_k enough
            while hi_k - lo_k > 1:
                mid = (lo_k + hi_k) // 2
                if funded_with(mid):
                    hi_k = mid
                else:
                    lo_k = mid
            info["extra_supporters"] = hi_k
            what_if.append(
                f"It would have been funded with {hi_k} more supporters "
                f"(voters who chose only this "
                f"project); {hi_k - 1} would not have been enough."
            )
        else:
            what_if.append(f"Even {limit} more supporters would not have been enough.")
    info["what_if"] = what_if
    return info
