"""META ``min_project_score_threshold`` is on the project's score (pabulib format).

The format says: "a minimum score a project must receive to be eligible for
implementation [...] In the case of approval ballots, the score is simply the number
of votes received", and a project's ``score`` is "the cumulative sum of points"
(pabulib.org/format). pabulib's checker compares the threshold with the ``score``
column when the file has one, else with ``votes``, and keeps a project whose score
equals it (``project_score >= threshold``, pabulib/checker ``verify_greedy_selected``).
pabutools only parses the key; the differential tests below apply it with
pabutools' own score of a project (``total_score`` / ``approval_score``).

Every supporter of a points ballot gives at least one point, so a project's points
are never fewer than its supporters: a threshold on supporters can only remove
projects that meet it by points, never keep one that does not.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabutools.election import (
    Additive_Cardinal_Sat,
    AdditiveSatisfaction,
    ApprovalBallot,
    ApprovalProfile,
    Cost_Sat,
    CumulativeBallot,
    CumulativeProfile,
    Instance,
)
from pabutools.election import Project as PProject
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from pabutools.tiebreaking import TieBreakingRule

from wijkwerk.counting import Code, count, read_pb, render_english

POINTS = """META
key;value
description;threshold on points
num_projects;3
num_votes;5
budget;100
vote_type;{vote_type}
rule;greedy-threshold
min_project_score_threshold;4
PROJECTS
project_id;cost;name
a;40;two supporters, 10 points
b;30;two supporters, 4 points
c;20;three supporters, 3 points
VOTES
voter_id;vote;points
1;a;5
2;a;5
3;b,c;2,1
4;b,c;2,1
5;c;1
"""


@pytest.mark.parametrize("vote_type", ["cumulative", "scoring"])
@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip", "mes"])
def test_points_threshold_is_on_points(vote_type: str, rule: str) -> None:
    e = read_pb(POINTS.format(vote_type=vote_type))
    out = count(e, rule=rule, completion="add1" if rule == "mes" else None)
    # a meets 4 by points (10) with only 2 supporters; b exactly (4 points, 2 supporters)
    assert set(out.selected) == {"a", "b"}
    assert out.total_cost == 70
    c = out.explanations["c"]
    assert (c.funded, c.code) == (False, Code.BELOW_THRESHOLD)
    assert c.data == {"score": 3, "threshold": 4, "unit": "points"}
    assert render_english(c) == "Not funded: it got 3 points, fewer than the minimum of 4."
    assert c.to_json()["data"] == {"score": 3, "threshold": "4", "unit": "points"}


APPROVAL = """META
key;value
description;threshold on votes
num_projects;3
num_votes;4
budget;100
vote_type;approval
rule;greedy-threshold
min_project_score_threshold;{threshold}
PROJECTS
project_id;cost
x;30
y;30
z;30
VOTES
voter_id;vote
1;x,y,z
2;x,y
3;x
4;x
"""


def test_approval_threshold_is_on_votes() -> None:
    out = count(read_pb(APPROVAL.format(threshold=2)))
    assert out.selected == ["x", "y"]  # 4 and 2 votes: y meets 2 exactly
    z = out.explanations["z"]
    assert (z.code, render_english(z)) == (
        Code.BELOW_THRESHOLD,
        "Not funded: it got 1 vote, fewer than the minimum of 2.",
    )


def test_fractional_threshold_is_compared_exactly() -> None:
    # not an integer in the format, but if a file has one, 2 votes are fewer than 2.5
    out = count(read_pb(APPROVAL.format(threshold="2.5")))
    assert out.selected == ["x"]
    assert out.explanations["y"].data == {"score": 2, "threshold": Fraction(5, 2), "unit": "votes"}
    assert out.explanations["y"].to_json()["data"]["threshold"] == "2.5"


# --- differential: pabutools on the projects whose pabutools score meets the threshold ---


def _cost_points_sat(
    _instance: Any, _profile: Any, ballot: Any, project: Any, _pre: dict[str, Any]
) -> Any:
    return ballot.get(project, 0) * project.cost


class PointsCostSat(AdditiveSatisfaction):
    """Points x cost: pabutools' greedy then orders by total points, as Cost_Sat by votes."""

    def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
        AdditiveSatisfaction.__init__(self, instance, profile, ballot, _cost_points_sat)


@st.composite
def points_instances(draw: Any) -> Any:
    m = draw(st.integers(1, 5))
    n = draw(st.integers(1, 8))
    costs = draw(st.lists(st.integers(1, 25), min_size=m, max_size=m))
    budget = draw(st.integers(1, 40))
    ballots = draw(
        st.lists(
            st.dictionaries(st.integers(0, m - 1), st.integers(1, 5), max_size=m),
            min_size=n,
            max_size=n,
        )
    )
    threshold = draw(st.integers(1, 12))
    return budget, costs, ballots, threshold


def _pb(
    budget: int, costs: list[int], ballots: list[dict[int, int]], threshold: int, vote_type: str
) -> str:
    approval = vote_type == "approval"
    lines = [
        "META",
        "key;value",
        f"budget;{budget}",
        f"vote_type;{vote_type}",
        f"min_project_score_threshold;{threshold}",
        "PROJECTS",
        "project_id;cost",
        *(f"{i};{c}" for i, c in enumerate(costs)),
        "VOTES",
        "voter_id;vote" if approval else "voter_id;vote;points",
    ]
    for v, b in enumerate(ballots):
        ids = sorted(b)
        row = f"{v};{','.join(map(str, ids))}"
        lines.append(row if approval else f"{row};{','.join(str(b[i]) for i in ids)}")
    return "\n".join(lines) + "\n"


def _reference(
    budget: int, costs: list[int], ballots: list[dict[int, int]], threshold: int
) -> tuple[Any, Any, Any]:
    projects = [PProject(str(i), c) for i, c in enumerate(costs)]
    full = CumulativeProfile(
        [CumulativeBallot({projects[i]: pts for i, pts in b.items()}) for b in ballots]
    )
    keep = [p for p in projects if full.total_score(p) >= threshold]
    inst = Instance(keep, budget_limit=budget)
    prof = CumulativeProfile(
        [
            CumulativeBallot({projects[i]: pts for i, pts in b.items() if projects[i] in keep})
            for b in ballots
        ]
    )
    votes = [sum(1 for b in ballots if i in b) for i in range(len(costs))]
    tie_breaking = TieBreakingRule(
        lambda _i, _p, proj: (proj.cost, -votes[int(proj.name)], int(proj.name))
    )
    return inst, prof, tie_breaking


SETTINGS = settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@SETTINGS
@given(points_instances())
def test_points_threshold_matches_pabutools(case: Any) -> None:
    budget, costs, ballots, threshold = case
    e = read_pb(_pb(budget, costs, ballots, threshold, "cumulative"))
    inst, prof, tie_breaking = _reference(budget, costs, ballots, threshold)
    greedy_ref = greedy_utilitarian_welfare(
        inst, prof, sat_class=PointsCostSat, tie_breaking=tie_breaking
    )
    assert set(count(e, rule="greedy").selected) == {p.name for p in greedy_ref}
    mes_ref = method_of_equal_shares(
        inst, prof, sat_class=Additive_Cardinal_Sat, tie_breaking=tie_breaking
    )
    assert set(count(e, rule="mes", completion="none").selected) == {p.name for p in mes_ref}


@SETTINGS
@given(points_instances())
def test_approval_threshold_matches_pabutools(case: Any) -> None:
    budget, costs, ballots, threshold = case
    threshold = 1 + threshold // 3  # votes, so smaller than points
    e = read_pb(_pb(budget, costs, ballots, threshold, "approval"))
    projects = [PProject(str(i), c) for i, c in enumerate(costs)]
    full = ApprovalProfile([ApprovalBallot([projects[i] for i in b]) for b in ballots])
    keep = [p for p in projects if full.approval_score(p) >= threshold]
    inst = Instance(keep, budget_limit=budget)
    prof = ApprovalProfile(
        [ApprovalBallot([projects[i] for i in b if projects[i] in keep]) for b in ballots]
    )
    votes = [sum(1 for b in ballots if i in b) for i in range(len(costs))]
    tie_breaking = TieBreakingRule(
        lambda _i, _p, proj: (proj.cost, -votes[int(proj.name)], int(proj.name))
    )
    ref = method_of_equal_shares(inst, prof, sat_class=Cost_Sat, tie_breaking=tie_breaking)
    assert set(count(e, rule="mes", completion="none").selected) == {p.name for p in ref}
