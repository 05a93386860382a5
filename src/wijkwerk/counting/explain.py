"""Explanations of one project, with exact what-if searches.

For a project that was not funded, :func:`explain_project` finds by recounting
(the full, exact count with the same settings):

* the highest whole cost at which it would have been funded ("how much cheaper"),
  by bisection between 0 and its cost, and
* the smallest number of additional voters supporting only this project with
  which it would have been funded ("how many more supporters"), by doubling and
  bisection up to ``4 n`` (``n`` the voters' weights summed; each extra supporter
  weighs 1).

The bisection assumes the outcome is monotone in the cost (resp. in the number of
extra supporters); the reported boundary is always checked by two exact recounts
(funded at the reported value, not funded one step further).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from . import english
from .codes import INELIGIBLE_CODES, Code, Note
from .engine import Explanation, Render, count
from .model import Amount, Ballot, CountingError, Election, format_amount, normalize_amount


def _with_cost(election: Election, p: int, cost: int) -> Election:
    projects = list(election.projects)
    projects[p] = dataclasses.replace(projects[p], cost=cost)
    return dataclasses.replace(election, projects=projects)


def _with_supporters(election: Election, p: int, k: int) -> Election:
    if election.ballots and election.ballots[0].points is not None:
        points = max((max(b.points or (1,)) for b in election.ballots), default=1)
        extra = Ballot((p,), (points,))
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
        # the extra supporters weigh 1 each
        voter_weights=None
        if election.voter_weights is None
        else [*election.voter_weights, *([1] * k)],
    )


@dataclass
class ProjectReport:
    """One project's explanation in a count, with the results of the what-if searches.

    ``cheaper_to``/``cheaper_by``: the highest whole cost at which it would have been
    funded and how much less that is; ``extra_supporters``: how many more supporters would
    have been enough (``None`` when not searched or not found).
    """

    explanation: Explanation
    selected: list[str]
    total_cost: Amount
    what_if: list[Note] = field(default_factory=list)
    cheaper_to: int | None = None
    cheaper_by: Amount | None = None
    extra_supporters: int | None = None

    def to_json(self, render: Render = english.render) -> dict[str, Any]:
        """The explanation's JSON with ``selected``, ``total_cost``, the figures found and
        ``what_if`` (sentences from ``render``)."""
        info = self.explanation.to_json(render)
        info["selected"] = self.selected
        info["total_cost"] = format_amount(self.total_cost)
        if self.cheaper_to is not None and self.cheaper_by is not None:
            info["cheaper_to"] = format_amount(self.cheaper_to)
            info["cheaper_by"] = format_amount(self.cheaper_by)
        if self.extra_supporters is not None:
            info["extra_supporters"] = self.extra_supporters
        info["what_if"] = [render(note) for note in self.what_if]
        return info


def explain_project(
    election: Election, project_id: str, *, search: bool = True, **settings: Any
) -> ProjectReport:
    """Explain the result for ``project_id``.

    ``settings`` are passed to :func:`wijkwerk.counting.count`. With ``search`` the
    what-if figures (``cheaper_to``, ``extra_supporters``) are added for a project
    that was eligible but not funded.
    """
    index = election.project_index()
    if project_id not in index:
        raise CountingError(f"unknown project '{project_id}'")
    p = index[project_id]
    outcome = count(election, **settings)
    explanation = outcome.explanations[project_id]
    report = ProjectReport(explanation, outcome.selected, outcome.total_cost)
    if not search or explanation.funded or explanation.code in INELIGIBLE_CODES:
        return report

    def funded_at(cost: int) -> bool:
        return project_id in count(_with_cost(election, p, cost), **settings).selected

    hi = math.ceil(Fraction(explanation.cost))  # not funded (at its real cost)
    lo = 0
    if funded_at(lo):
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if funded_at(mid):
                lo = mid
            else:
                hi = mid
        report.cheaper_to = lo
        report.cheaper_by = normalize_amount(Fraction(explanation.cost) - lo)
        report.what_if.append(
            Note(
                Code.WHAT_IF_CHEAPER,
                {"cheaper_to": lo, "cheaper_by": report.cheaper_by, "not_funded_at": hi},
            )
        )
    else:
        report.what_if.append(Note(Code.WHAT_IF_NOT_EVEN_FREE))

    def funded_with(k: int) -> bool:
        return project_id in count(_with_supporters(election, p, k), **settings).selected

    limit = 4 * max(election.total_weight, 1)
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
        report.extra_supporters = hi_k
        report.what_if.append(
            Note(Code.WHAT_IF_MORE_SUPPORTERS, {"extra_supporters": hi_k, "not_enough": hi_k - 1})
        )
    else:
        report.what_if.append(Note(Code.WHAT_IF_NOT_EVEN_MORE_SUPPORTERS, {"limit": limit}))
    return report
