"""Data model of a participatory-budgeting election (exact numbers only).

Amounts (budget, costs) are ``int`` when integral and :class:`fractions.Fraction`
otherwise; they are never floats. Project ids are strings and are never compared
as numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain
from typing import Literal

type Amount = int | Fraction
"""An exact amount of money: ``int`` when integral, else ``Fraction``."""

type VoteType = Literal["approval", "choose-1", "cumulative", "scoring", "ordinal"]

VOTE_TYPES: tuple[str, ...] = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
POINTS_TYPES: tuple[str, ...] = ("cumulative", "scoring")


class CountingError(Exception):
    """Base class of every error raised by :mod:`wijkwerk.counting`."""


class TieError(CountingError):
    """A tie that the configured tie-breaking list cannot break."""


def normalize_amount(value: Fraction | int) -> Amount:
    """Return ``value`` as ``int`` if it is integral, else as a reduced ``Fraction``."""
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return int(value.numerator)
        return value
    return int(value)


def format_amount(value: Fraction | int) -> str:
    """Format an exact amount as a decimal string (exact if it terminates, else ``p/q``)."""
    if type(value) is int:
        return str(value)
    v = Fraction(value)
    if v.denominator == 1:
        return str(v.numerator)
    d = v.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{v.numerator}/{v.denominator}"
    digits = max(twos, fives)
    scaled = v * 10**digits
    assert scaled.denominator == 1
    n = scaled.numerator
    sign = "-" if n < 0 else ""
    s = str(abs(n)).rjust(digits + 1, "0")
    return f"{sign}{s[:-digits]}.{s[-digits:]}"


@dataclass(frozen=True, slots=True)
class Project:
    """A project on the ballot.

    Attributes:
        id: the project id (a string, compared as a string).
        cost: exact cost.
        name: display name (may be empty).
        extra: the other columns of the PROJECTS section, kept verbatim.
        line: line number in the source file (0 if not read from a file).
    """

    id: str
    cost: Amount
    name: str = ""
    extra: dict[str, str] = field(default_factory=dict, compare=False)
    line: int = 0


@dataclass(frozen=True, slots=True)
class Ballot:
    """A distinct ballot: project indices (into ``Election.projects``) and points.

    For approval, choose-1 and ordinal ballots ``points`` is ``None``; for ordinal
    ballots ``projects`` keeps the ranking order (best first). For cumulative and
    scoring ballots ``points[i]`` belongs to ``projects[i]``.
    """

    projects: tuple[int, ...]
    points: tuple[int, ...] | None = None


@dataclass(slots=True)
class Election:
    """An election: META, projects and the (deduplicated) ballots.

    ``ballots`` holds the distinct ballots; ``voter_ballot[v]`` is the index of the
    ballot of voter ``v`` (whose id is ``voter_ids[v]``). ``vote_extra`` keeps the
    optional columns of the VOTES section (``vote_extra_columns``), one tuple per voter.

    ``voter_weights[v]`` is the weight of voter ``v``, a positive integer: a voter of weight
    ``w`` counts exactly as ``w`` voters with the same ballot would (in the scores, the
    budget shares of equal shares, the completions, the tie-breaks and the explanations'
    figures). ``None``: every voter weighs 1. The weights are summed per distinct ballot
    (:meth:`ballot_counts`), never expanded into voters.
    """

    meta: dict[str, str]
    projects: list[Project]
    ballots: list[Ballot]
    voter_ids: list[str]
    voter_ballot: list[int]
    vote_type: str = "approval"
    budget: Amount = 0
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost", "name"])
    vote_extra_columns: list[str] = field(default_factory=list)
    vote_extra: list[tuple[str, ...]] = field(default_factory=list)
    source: str = "<string>"
    voter_weights: list[int] | None = None

    @property
    def num_voters(self) -> int:
        """Number of voters (ballots cast), whatever their weights."""
        return len(self.voter_ids)

    @property
    def weighted(self) -> bool:
        """Whether the voters have weights (``voter_weights`` is set)."""
        return self.voter_weights is not None

    @property
    def total_weight(self) -> int:
        """The voters' weights together: the ``n`` of the counting rules (the number of
        voters without weights)."""
        if self.voter_weights is None:
            return len(self.voter_ids)
        return sum(self.voter_weights)

    def check_weights(self) -> None:
        """Raise :class:`CountingError` unless every voter has a positive integer weight."""
        weights = self.voter_weights
        if weights is None:
            return
        if len(weights) != len(self.voter_ballot):
            raise CountingError(f"{len(weights)} voter weights for {len(self.voter_ballot)} voters")
        for v, w in enumerate(weights):
            if type(w) is not int or w < 1:
                raise CountingError(
                    f"weight {w!r} of voter '{self.voter_ids[v]}' is not a positive integer"
                )

    def project_index(self) -> dict[str, int]:
        """Map project id to its index in ``projects``."""
        return {p.id: i for i, p in enumerate(self.projects)}

    def ballot_counts(self) -> list[int]:
        """Number of voters who cast each distinct ballot (their weights summed, if any)."""
        counts = [0] * len(self.ballots)
        if self.voter_weights is not None:
            self.check_weights()
            for b, w in zip(self.voter_ballot, self.voter_weights, strict=True):
                counts[b] += w
            return counts
        for b, c in Counter(self.voter_ballot).items():
            counts[b] = c
        return counts

    def supporters(self) -> list[int]:
        """Number of voters supporting each project (approving it / giving it points > 0);
        weighted voters count their weight."""
        counts = self.ballot_counts()
        if all(b.points is None for b in self.ballots):
            import numpy as np  # only here: the model itself does not need numpy

            # one pass in C: every project index of a ballot, weighted by its voters
            lengths = np.fromiter((len(b.projects) for b in self.ballots), dtype=np.int64)
            flat = np.fromiter(chain.from_iterable(b.projects for b in self.ballots), np.int64)
            w = np.repeat(np.array(counts, dtype=np.float64), lengths)
            # float sums of integers below 2**53 are exact
            tally = np.bincount(flat, weights=w, minlength=len(self.projects))
            return [int(x) for x in tally.tolist()]
        out = [0] * len(self.projects)
        for ballot, c in zip(self.ballots, counts, strict=True):
            if ballot.points is None:
                for p in ballot.projects:
                    out[p] += c
            else:
                for p, pts in zip(ballot.projects, ballot.points, strict=True):
                    if pts > 0:
                        out[p] += c
        return out

    def scores(self) -> list[int]:
        """Score of each project: total points for cumulative/scoring, else supporters."""
        if self.vote_type not in POINTS_TYPES:
            return self.supporters()
        counts = self.ballot_counts()
        out = [0] * len(self.projects)
        for ballot, c in zip(self.ballots, counts, strict=True):
            assert ballot.points is not None
            for p, pts in zip(ballot.projects, ballot.points, strict=True):
                out[p] += c * pts
        return out

    @staticmethod
    def from_approvals(
        budget: Amount,
        costs: Sequence[Amount],
        approvals: Sequence[Sequence[int]],
        project_ids: Sequence[str] | None = None,
        weights: Sequence[int] | None = None,
    ) -> Election:
        """Build an approval election from plain lists (handy for tests and the API).

        ``approvals[v]`` lists the project indices approved by voter ``v``; ``weights[v]``, if
        given, is the weight of voter ``v``.
        """
        ids = list(project_ids) if project_ids is not None else [str(i) for i in range(len(costs))]
        projects = [
            Project(pid, normalize_amount(Fraction(c))) for pid, c in zip(ids, costs, strict=True)
        ]
        ballot_ix: dict[tuple[int, ...], int] = {}
        ballots: list[Ballot] = []
        voter_ballot: list[int] = []
        for appr in approvals:
            key = tuple(sorted(set(appr)))
            if key not in ballot_ix:
                ballot_ix[key] = len(ballots)
                ballots.append(Ballot(key))
            voter_ballot.append(ballot_ix[key])
        meta = {
            "description": "constructed",
            "num_projects": str(len(projects)),
            "num_votes": str(len(approvals)),
            "budget": format_amount(budget),
            "vote_type": "approval",
        }
        return Election(
            meta=meta,
            projects=projects,
            ballots=ballots,
            voter_ids=[str(i) for i in range(len(approvals))],
            voter_ballot=voter_ballot,
            vote_type="approval",
            budget=normalize_amount(Fraction(budget)),
            project_columns=["project_id", "cost", "name"],
            voter_weights=None if weights is None else [int(w) for w in weights],
        )
