"""Eligibility and the compact, grouped form of an election used by the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from ..model import POINTS_TYPES, Amount, CountingError, Election, format_amount

ELIGIBILITY_RULES = ("none", "cost-share")


@dataclass
class Eligibility:
    """Which projects may be funded at all, and why not.

    ``reason[p]`` is ``None`` for an eligible project, else a sentence.
    ``code[p]`` is a short machine code (``no-support``, ``below-threshold``, ``cost-share``).
    """

    eligible: list[bool]
    reason: list[str | None]
    code: list[str | None]
    threshold: int | None = None


def eligibility(election: Election, rule: str = "none") -> Eligibility:
    """Apply the eligibility rules before any counting rule.

    * META ``min_project_score_threshold``: projects with fewer supporters are out;
    * ``rule="cost-share"`` (Świecie): drop ``p`` when ``votes/n < cost/(3B)``;
    * a project that no voter supports is never funded.
    """
    if rule not in ELIGIBILITY_RULES:
        raise CountingError(f"unknown eligibility rule '{rule}' (use none or cost-share)")
    votes = election.supporters()
    n = election.num_voters
    thr_txt = election.meta.get("min_project_score_threshold", "").strip()
    threshold: int | None = None
    if thr_txt:
        try:
            threshold = int(Fraction(thr_txt))
        except (ValueError, ZeroDivisionError):
            raise CountingError(
                f"META min_project_score_threshold '{thr_txt}' is not a number"
            ) from None
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
        elif threshold is not None and v < threshold:
            eligible.append(False)
            reason.append(f"it got {v} votes, fewer than the minimum of {threshold}")
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
    cumulative/scoring). ``weight[g]`` is the number of voters in group ``g``.
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
    group_projects: list[tuple[int, ...]] = field(default_factory=list)


def group(election: Election, cand: list[int]) -> Grouped:
    """Group the voters for the candidate projects ``cand`` (election indices)."""
    local = {p: i for i, p in enumerate(cand)}
    approval = election.vote_type not in POINTS_TYPES
    counts = election.ballot_counts()
    gix: dict[tuple[tuple[int, int], ...], int] = {}
    gweight: list[int] = []
    gkeys: list[tuple[tuple[int, int], ...]] = []
    for ballot, c in zip(election.ballots, counts, strict=True):
        if c == 0:
            continue
        if ballot.points is None:
            items = tuple(sorted((local[p], 1) for p in ballot.projects if p in local))
        else:
            items = tuple(
                sorted(
                    (local[p], pts)
                    for p, pts in zip(ballot.projects, ballot.points, strict=True)
                    if p in local and pts > 0
                )
            )
        if not items:
            continue
        g = gix.get(items)
        if g is None:
            g = len(gweight)
            gix[items] = g
            gweight.append(0)
            gkeys.append(items)
        gweight[g] += c
    m = len(cand)
    sg_l: list[list[int]] = [[] for _ in range(m)]
    su_l: list[list[int]] = [[] for _ in range(m)]
    for g, items in enumerate(gkeys):
        for p, u in items:
            sg_l[p].append(g)
            su_l[p].append(u)
    weight = np.array(gweight, dtype=np.int64)
    sg = [np.array(x, dtype=np.intp) for x in sg_l]
    su = [np.array(x, dtype=np.int64) for x in su_l]
    sw_f = [weight[x].astype(np.float64) for x in sg]
    swu = [int(np.dot(weight[sg[p]], su[p])) for p in range(m)]
    cos = np.zeros((m, m), dtype=np.bool_)
    if m:
        words = (m + 63) // 64
        masks = np.zeros((len(gkeys), words), dtype=np.uint64)
        for p in range(m):
            masks[sg[p], p // 64] |= np.uint64(1) << np.uint64(p % 64)
        for p in range(m):
            if len(sg[p]):
                red = np.bitwise_or.reduce(masks[sg[p]], axis=0)
                for w in range(words):
                    bits = int(red[w])
                    for b in range(64):
                        if bits >> b & 1 and w * 64 + b < m:
                            cos[p, w * 64 + b] = True
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
        group_projects=[tuple(p for p, _ in k) for k in gkeys],
    )
