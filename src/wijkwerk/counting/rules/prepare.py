"""Eligibility and the compact, grouped form of an election used by the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # numpy.typing costs ~5 ms at import and is only needed for annotations
    import numpy.typing as npt

from ..model import POINTS_TYPES, Amount, CountingError, Election, format_amount
from ..pabulib import parse_amount

try:  # optional accelerator: GMP rationals, much faster than Fraction
    from gmpy2 import mpq as _Q
except ImportError:  # pragma: no cover
    _Q = Fraction

ELIGIBILITY_RULES = ("none", "cost-share")


@dataclass
class Eligibility:
    """Which projects may be funded at all, and why not.

    ``reason[p]`` is ``None`` for an eligible project, else a sentence.
    ``code[p]`` is a short machine code (``no-support``, ``below-threshold``, ``cost-share``).
    ``threshold`` is META ``min_project_score_threshold`` (exact), if the file has one.
    """

    eligible: list[bool]
    reason: list[str | None]
    code: list[str | None]
    threshold: Amount | None = None


def eligibility(
    election: Election,
    rule: str = "none",
    votes: list[int] | None = None,
    scores: list[int] | None = None,
) -> Eligibility:
    """Apply the eligibility rules before any counting rule.

    * META ``min_project_score_threshold``: projects whose *score* is below it are out.
      The score is the format's: total points for cumulative and scoring ballots, votes
      (supporters) otherwise ("In the case of approval ballots, the score is simply the
      number of votes received", pabulib.org/format; pabulib's checker compares the
      threshold with the ``score`` column when there is one). A score equal to the
      threshold meets it.
    * ``rule="cost-share"`` (Świecie): drop ``p`` when ``votes/n < cost/(3B)``;
    * a project that no voter supports is never funded.

    ``votes`` (``election.supporters()``) and ``scores`` (``election.scores()``) may be
    passed to save recounting them.
    """
    if rule not in ELIGIBILITY_RULES:
        raise CountingError(f"unknown eligibility rule '{rule}' (use none or cost-share)")
    if votes is None:
        votes = election.supporters()
    points = election.vote_type in POINTS_TYPES
    if scores is None:
        scores = election.scores() if points else votes
    unit = "points" if points else "votes"
    n = election.num_voters
    thr_txt = election.meta.get("min_project_score_threshold", "").strip()
    threshold: Amount | None = None
    if thr_txt:
        # compared exactly: the format says integer, but "2.5" must not become 2
        threshold = parse_amount(thr_txt)
        if threshold is None:
            raise CountingError(f"META min_project_score_threshold '{thr_txt}' is not a number")
    B = election.budget
    eligible: list[bool] = []
    reason: list[str | None] = []
    code: list[str | None] = []
    for p, proj in enumerate(election.projects):
        v = votes[p]
        if v == 0:
            eligible.append(False)
            reason.append("no voter supported it")
            code.append("no-support")
        elif threshold is not None and scores[p] < threshold:
            s = scores[p]
            eligible.append(False)
            reason.append(
                f"it got {s} {unit if s != 1 else unit[:-1]}, "
                f"fewer than the minimum of {format_amount(threshold)}"
            )
            code.append("below-threshold")
        elif rule == "cost-share" and 3 * B * v < n * proj.cost:
            eligible.append(False)
            reason.append(
                f"its share of votes ({v}/{n}) is below a third of its share of the budget "
                f"({format_amount(proj.cost)}/{format_amount(B)})"
            )
            code.append("cost-share")
        else:
            eligible.append(True)
            reason.append(None)
            code.append(None)
    return Eligibility(eligible, reason, code, threshold)


@dataclass
class Grouped:
    """Voters grouped by identical ballot restricted to the candidate projects.

    ``cand`` lists the election indices of the candidate projects (local index =
    position in ``cand``). For local project ``p``: ``sg[p]`` are the supporter
    groups and ``su[p]`` their utilities (1 for approval-like ballots, points for
    cumulative/scoring). ``weight[g]`` is the number of voters in group ``g``;
    ``umax`` is the largest utility (1 for approval).
    """

    n: int
    budget: Amount
    cand: list[int]
    cost: list[Amount]
    cost_f: npt.NDArray[np.float64]
    approval: bool
    weight: npt.NDArray[np.int64]
    sg: list[npt.NDArray[np.intp]]
    su: list[npt.NDArray[np.int64]]
    sw_f: list[npt.NDArray[np.float64]]
    swu: list[int]
    cosupport: npt.NDArray[np.bool_]
    umax: int = 1
    group_projects: list[tuple[int, ...]] = field(default_factory=list)
    cost_q: list[Any] = field(default_factory=list)  # costs as GMP rationals (or Fraction)


def group(election: Election, cand: list[int]) -> Grouped:
    """Group the voters for the candidate projects ``cand`` (election indices)."""
    loc = [-1] * len(election.projects)
    for i, p in enumerate(cand):
        loc[p] = i
    approval = election.vote_type not in POINTS_TYPES
    counts = election.ballot_counts()
    # key of a group: sorted local project indices (approval) or, for points, the
    # sorted (index, points) pairs flattened into one tuple
    gix: dict[tuple[int, ...], int] = {}
    gweight: list[int] = []
    # every project a candidate (approval): the key is the ballot itself, sorted
    identity = len(cand) == len(election.projects) and election.vote_type in (
        "approval",
        "choose-1",
    )
    for ballot, c in zip(election.ballots, counts, strict=True):
        if c == 0:
            continue
        key: tuple[int, ...]
        if identity and ballot.points is None:
            key = tuple(sorted(ballot.projects))
        elif ballot.points is None:
            key = tuple(sorted([q for q in [loc[p] for p in ballot.projects] if q >= 0]))
        else:
            pairs = sorted(
                (loc[p], pts)
                for p, pts in zip(ballot.projects, ballot.points, strict=True)
                if loc[p] >= 0 and pts > 0
            )
            key = tuple(x for pu in pairs for x in pu)
        if not key:
            continue
        g = gix.get(key)
        if g is None:
            g = gix[key] = len(gweight)
            gweight.append(c)
        else:
            gweight[g] += c
    m = len(cand)
    G = len(gweight)
    step = 1 if approval else 2
    gkeys = list(gix)
    lengths = np.fromiter((len(k) // step for k in gkeys), dtype=np.intp, count=G)
    flat = np.fromiter((x for k in gkeys for x in k), dtype=np.int64)
    flat_p = flat[::step].astype(np.intp)
    flat_u = np.ones(len(flat_p), dtype=np.int64) if approval else flat[1::2]
    group_projects = [k[::step] for k in gkeys]
    flat_g = np.repeat(np.arange(G, dtype=np.intp), lengths)
    order = np.argsort(flat_p, kind="stable")  # groups stay in increasing order per project
    sp = flat_p[order]
    sgs = flat_g[order]
    sus = flat_u[order]
    bounds = np.searchsorted(sp, np.arange(m + 1))
    weight = np.array(gweight, dtype=np.int64)
    sg = [sgs[bounds[p] : bounds[p + 1]] for p in range(m)]
    su = [sus[bounds[p] : bounds[p + 1]] for p in range(m)]
    wf = weight.astype(np.float64)
    sw_f = [wf[x] for x in sg]
    swu = [int(np.dot(weight[sg[p]], su[p])) for p in range(m)]
    # cosupport[p, q]: some group supports both p and q (by ballot length, vectorised)
    cos = np.zeros((m, m), dtype=np.bool_)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if G else np.zeros(0, np.intp)
    for L in np.unique(lengths).tolist():
        rows = starts[lengths == L]
        mat = flat_p[rows[:, None] + np.arange(L)[None, :]]
        for i in range(L):
            cos[mat[:, i : i + 1], mat] = True
    cost = [election.projects[p].cost for p in cand]
    return Grouped(
        n=election.num_voters,
        budget=election.budget,
        cand=cand,
        cost=cost,
        cost_f=np.array([float(c) for c in cost], dtype=np.float64),
        approval=approval,
        weight=weight,
        sg=sg,
        su=su,
        sw_f=sw_f,
        swu=swu,
        cosupport=cos,
        umax=int(flat_u.max()) if len(flat_u) else 1,
        group_projects=group_projects,
        cost_q=[_Q(Fraction(c).numerator, Fraction(c).denominator) for c in cost],
    )
