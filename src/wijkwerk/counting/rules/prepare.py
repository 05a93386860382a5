"""Eligibility and the compact, grouped form of an election used by the rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # numpy.typing costs ~5 ms at import and is only needed for annotations
    import numpy.typing as npt

from ..codes import Code
from ..model import POINTS_TYPES, Amount, CountingError, Election
from ..pabulib import parse_amount

try:  # optional accelerator: GMP rationals, much faster than Fraction
    from gmpy2 import mpq as _Q
except ImportError:  # pragma: no cover
    _Q = Fraction

ELIGIBILITY_RULES: dict[str, str] = {
    "none": "only the file's min_project_score_threshold, and no project without supporters",
    "cost-share": "also drop a project whose share of votes is below a third of its share of "
    "the budget (Swiecie)",
}
"""The eligibility rules by name (``--eligibility``), with what they do."""


@dataclass
class Eligibility:
    """Which projects may be funded at all, and why not.

    ``code[p]`` is ``None`` for an eligible project, else why it is not
    (:data:`~wijkwerk.counting.codes.INELIGIBLE_CODES`), with the figures in ``data[p]``.
    ``threshold`` is META ``min_project_score_threshold`` (exact), if the file has one.
    """

    eligible: list[bool]
    code: list[Code | None]
    data: list[dict[str, Any]]
    threshold: Amount | None = None


def check_eligibility(
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
        raise CountingError(
            f"unknown eligibility rule '{rule}' (use {', '.join(ELIGIBILITY_RULES)})"
        )
    if votes is None:
        votes = election.supporters()
    points = election.vote_type in POINTS_TYPES
    if scores is None:
        scores = election.scores() if points else votes
    unit = "points" if points else "votes"
    n = election.total_weight
    threshold_text = election.meta.get("min_project_score_threshold", "").strip()
    threshold: Amount | None = None
    if threshold_text:
        # compared exactly: the format says integer, but "2.5" must not become 2
        threshold = parse_amount(threshold_text)
        if threshold is None:
            raise CountingError(
                f"META min_project_score_threshold '{threshold_text}' is not a number"
            )
    B = election.budget
    cost_share = rule == "cost-share"
    eligible: list[bool] = []
    code: list[Code | None] = []
    data: list[dict[str, Any]] = []
    for p, project in enumerate(election.projects):
        supporters = votes[p]
        if supporters == 0:
            eligible.append(False)
            code.append(Code.NO_SUPPORT)
            data.append({})
        elif threshold is not None and scores[p] < threshold:
            eligible.append(False)
            code.append(Code.BELOW_THRESHOLD)
            # for points ballots the score is not the `votes` of the explanation
            data.append({"score": scores[p], "threshold": threshold, "unit": unit})
        elif cost_share and 3 * B * supporters < n * project.cost:
            eligible.append(False)
            code.append(Code.COST_SHARE)
            data.append({"voters": n, "budget": B})
        else:
            eligible.append(True)
            code.append(None)
            data.append({})
    return Eligibility(eligible, code, data, threshold)


@dataclass
class Grouped:
    """Voters grouped by identical ballot restricted to the candidate projects.

    ``candidates`` lists the election indices of the candidate projects (local index =
    position in ``candidates``). For local project ``p``: ``supporter_groups[p]`` are the
    groups that support it, ``supporter_utilities[p]`` their utilities (1 for approval-like
    ballots, points for cumulative/scoring) and ``supporter_weights[p]`` their numbers of
    voters (as floats, for the float evaluation); ``utility_total[p]`` is the sum of voters ×
    utility over its supporters (for approval: its number of supporters).
    ``weight[g]`` is the number of voters in group ``g`` (their weights summed); ``n`` is the
    number of voters (their weights summed: ``Election.total_weight``); ``max_utility`` is the
    largest utility (1 for approval). ``cosupport[p, q]``: some group supports both ``p`` and ``q``.
    ``cost[p]`` is exact, ``cost_float[p]`` its float and ``cost_rational[p]`` a GMP rational
    (``Fraction`` without gmpy2).
    """

    n: int
    budget: Amount
    candidates: list[int]
    cost: list[Amount]
    cost_float: npt.NDArray[np.float64]
    approval: bool
    weight: npt.NDArray[np.int64]
    supporter_groups: list[npt.NDArray[np.intp]]
    supporter_utilities: list[npt.NDArray[np.int64]]
    supporter_weights: list[npt.NDArray[np.float64]]
    utility_total: list[int]
    cosupport: npt.NDArray[np.bool_]
    max_utility: int = 1
    group_projects: list[tuple[int, ...]] = field(default_factory=list)
    cost_rational: list[Any] = field(default_factory=list)


def group(election: Election, candidates: list[int]) -> Grouped:
    """Group the voters for the candidate projects ``candidates`` (election indices)."""
    local = [-1] * len(election.projects)
    for i, p in enumerate(candidates):
        local[p] = i
    approval = election.vote_type not in POINTS_TYPES
    counts = election.ballot_counts()
    # key of a group: sorted local project indices (approval) or, for points, the
    # sorted (index, points) pairs flattened into one tuple
    group_of_key: dict[tuple[int, ...], int] = {}
    group_weight: list[int] = []
    # every project a candidate (approval): the key is the ballot itself, sorted
    identity = len(candidates) == len(election.projects) and election.vote_type in (
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
            key = tuple(sorted([q for q in [local[p] for p in ballot.projects] if q >= 0]))
        else:
            pairs = sorted(
                (local[p], points)
                for p, points in zip(ballot.projects, ballot.points, strict=True)
                if local[p] >= 0 and points > 0
            )
            key = tuple(x for pair in pairs for x in pair)
        if not key:
            continue
        g = group_of_key.get(key)
        if g is None:
            g = group_of_key[key] = len(group_weight)
            group_weight.append(c)
        else:
            group_weight[g] += c
    m = len(candidates)
    num_groups = len(group_weight)
    step = 1 if approval else 2
    keys = list(group_of_key)
    lengths = np.fromiter((len(k) // step for k in keys), dtype=np.intp, count=num_groups)
    flat = np.fromiter((x for k in keys for x in k), dtype=np.int64)
    flat_project = flat[::step].astype(np.intp)
    flat_utility = np.ones(len(flat_project), dtype=np.int64) if approval else flat[1::2]
    group_projects = [k[::step] for k in keys]
    flat_group = np.repeat(np.arange(num_groups, dtype=np.intp), lengths)
    # groups stay in increasing order per project
    order = np.argsort(flat_project, kind="stable")
    by_project = flat_project[order]
    groups_by_project = flat_group[order]
    utilities_by_project = flat_utility[order]
    bounds = np.searchsorted(by_project, np.arange(m + 1))
    weight = np.array(group_weight, dtype=np.int64)
    supporter_groups = [groups_by_project[bounds[p] : bounds[p + 1]] for p in range(m)]
    supporter_utilities = [utilities_by_project[bounds[p] : bounds[p + 1]] for p in range(m)]
    weight_float = weight.astype(np.float64)
    supporter_weights = [weight_float[groups] for groups in supporter_groups]
    utility_total = [
        int(np.dot(weight[supporter_groups[p]], supporter_utilities[p])) for p in range(m)
    ]
    # cosupport[p, q]: some group supports both p and q (by ballot length, vectorised)
    cosupport = np.zeros((m, m), dtype=np.bool_)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if num_groups else np.zeros(0, np.intp)
    for length in np.unique(lengths).tolist():
        rows = starts[lengths == length]
        projects = flat_project[rows[:, None] + np.arange(length)[None, :]]
        for i in range(length):
            cosupport[projects[:, i : i + 1], projects] = True
    cost = [election.projects[p].cost for p in candidates]
    return Grouped(
        n=election.total_weight,
        budget=election.budget,
        candidates=candidates,
        cost=cost,
        cost_float=np.array([float(c) for c in cost], dtype=np.float64),
        approval=approval,
        weight=weight,
        supporter_groups=supporter_groups,
        supporter_utilities=supporter_utilities,
        supporter_weights=supporter_weights,
        utility_total=utility_total,
        cosupport=cosupport,
        max_utility=int(flat_utility.max()) if len(flat_utility) else 1,
        group_projects=group_projects,
        cost_rational=[_Q(Fraction(c).numerator, Fraction(c).denominator) for c in cost],
    )
