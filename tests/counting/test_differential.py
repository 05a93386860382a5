"""Differential tests against pabutools (test-only dependency) and property tests.

pabutools is configured the same way: cost satisfaction (``Cost_Sat``), so greedy
orders by votes; MES with ``B/n`` per voter; Add1 as ``exhaustion_by_budget_increase``
with a step of ``n`` (1 per voter) and ``exhaustive_stop=False``; Add1-exhaustive as
``voter_budget_increment=1``; Add1U as Add1 followed by greedy. The tie-breaking rule
is the same list: min cost, then max votes, then file order.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pabutools.analysis.justifiedrepresentation import is_EJR_one_approval
from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance
from pabutools.election import Project as PProject
from pabutools.rules import (
    completion_by_rule_combination,
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
)
from pabutools.tiebreaking import TieBreakingRule

from wijkwerk.counting import Election, count
from wijkwerk.counting.rules.equal_shares import mes_run
from wijkwerk.counting.rules.prepare import group
from wijkwerk.counting.tiebreak import TieBreak, TieBreaker


@st.composite
def instances(draw: Any, max_voters: int = 10, max_projects: int = 6, max_budget: int = 40) -> Any:
    m = draw(st.integers(1, max_projects))
    n = draw(st.integers(1, max_voters))
    costs = draw(st.lists(st.integers(1, 25), min_size=m, max_size=m))
    budget = draw(st.integers(1, max_budget))
    approvals = draw(
        st.lists(st.lists(st.integers(0, m - 1), unique=True, max_size=m), min_size=n, max_size=n)
    )
    return budget, costs, approvals


def to_pabutools(budget: int, costs: list[int], approvals: list[list[int]]) -> tuple[Any, Any, Any]:
    projects = [PProject(str(i), c) for i, c in enumerate(costs)]
    inst = Instance(projects, budget_limit=budget)
    prof = ApprovalProfile([ApprovalBallot([projects[j] for j in a]) for a in approvals])
    votes = [sum(1 for a in approvals if i in a) for i in range(len(costs))]
    tie_breaking = TieBreakingRule(
        lambda _i, _p, proj: (proj.cost, -votes[int(proj.name)], int(proj.name))
    )
    return inst, prof, tie_breaking


def supported(alloc: Any, approvals: list[list[int]]) -> set[str]:
    backed = {j for a in approvals for j in a}
    return {p.name for p in alloc if int(p.name) in backed}


SETTINGS = settings(
    max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@SETTINGS
@given(instances())
def test_greedy_matches_pabutools(case: Any) -> None:
    budget, costs, approvals = case
    e = Election.from_approvals(budget, costs, approvals)
    inst, prof, tie_breaking = to_pabutools(budget, costs, approvals)
    ref = greedy_utilitarian_welfare(inst, prof, sat_class=Cost_Sat, tie_breaking=tie_breaking)
    assert set(count(e, rule="greedy").selected) == supported(ref, approvals)


@SETTINGS
@given(instances())
def test_mes_matches_pabutools(case: Any) -> None:
    budget, costs, approvals = case
    e = Election.from_approvals(budget, costs, approvals)
    inst, prof, tie_breaking = to_pabutools(budget, costs, approvals)
    ref = method_of_equal_shares(inst, prof, sat_class=Cost_Sat, tie_breaking=tie_breaking)
    assert set(count(e, rule="mes", completion="none").selected) == supported(ref, approvals)


@SETTINGS
@given(instances())
def test_add1_exhaustive_matches_pabutools(case: Any) -> None:
    budget, costs, approvals = case
    e = Election.from_approvals(budget, costs, approvals)
    inst, prof, tie_breaking = to_pabutools(budget, costs, approvals)
    ref = method_of_equal_shares(
        inst, prof, sat_class=Cost_Sat, tie_breaking=tie_breaking, voter_budget_increment=1
    )
    ours = count(e, rule="mes", completion="add1-exhaustive")
    assert set(ours.selected) == supported(ref, approvals)


def _add1_ref(inst: Any, prof: Any, tie_breaking: Any, n: int) -> Any:
    return exhaustion_by_budget_increase(
        inst,
        prof,
        method_of_equal_shares,
        {"sat_class": Cost_Sat, "tie_breaking": tie_breaking},
        budget_step=n,
        exhaustive_stop=False,
    )


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(instances(max_budget=25))
def test_add1_matches_pabutools(case: Any) -> None:
    budget, costs, approvals = case
    e = Election.from_approvals(budget, costs, approvals)
    inst, prof, tie_breaking = to_pabutools(budget, costs, approvals)
    ref = _add1_ref(inst, prof, tie_breaking, len(approvals))
    assert set(count(e, rule="mes", completion="add1").selected) == supported(ref, approvals)


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(instances(max_budget=25))
def test_add1u_matches_pabutools(case: Any) -> None:
    budget, costs, approvals = case
    e = Election.from_approvals(budget, costs, approvals)
    inst, prof, tie_breaking = to_pabutools(budget, costs, approvals)
    n = len(approvals)
    ref = completion_by_rule_combination(
        inst,
        prof,
        [exhaustion_by_budget_increase, greedy_utilitarian_welfare],
        [
            {
                "rule": method_of_equal_shares,
                "rule_params": {"sat_class": Cost_Sat, "tie_breaking": tie_breaking},
                "budget_step": n,
                "exhaustive_stop": False,
            },
            {"sat_class": Cost_Sat, "tie_breaking": tie_breaking},
        ],
    )
    assert set(count(e, rule="mes", completion="add1u").selected) == supported(ref, approvals)


@SETTINGS
@given(
    instances(max_voters=8, max_projects=5),
    st.sampled_from(["none", "add1", "add1-exhaustive", "add1u"]),
)
def test_properties(case: Any, completion: str) -> None:
    budget, costs, approvals = case
    e = Election.from_approvals(budget, costs, approvals)
    out = count(e, rule="mes", completion=completion)
    assert out.total_cost <= budget
    assert out.total_cost == sum(costs[int(p)] for p in out.selected)
    backed = {j for a in approvals for j in a}
    assert all(int(p) in backed for p in out.selected)  # unsupported: never funded
    # payments of the fixed-budget run behind the outcome
    candidates = [p for p in range(len(costs)) if p in backed]
    grouped = group(e, candidates)
    tie_breaker = TieBreaker(
        TieBreak.parse(None), costs, e.supporters(), [p.id for p in e.projects]
    )
    x = Fraction(out.per_voter_budget or 0)
    run = mes_run(grouped, x, tie_breaker, record=True)
    chosen = {grouped.candidates[p] for p in run.selected}
    spent = Fraction(0)
    for g, left in enumerate(run.left):
        assert 0 <= left <= x  # nobody pays more than her budget
        if left < x:  # she paid, so she approved a funded project
            assert set(grouped.group_projects[g]) & set(run.selected)
        spent += (x - left) * int(grouped.weight[g])
    assert spent == sum(Fraction(costs[p]) for p in chosen)  # every funded project fully paid
    for r in run.rounds:
        assert (
            sum(pm.amount * pm.voters for pm in r.payments) == costs[grouped.candidates[r.project]]
        )


@settings(
    max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(instances(max_voters=6, max_projects=5))
def test_mes_satisfies_ejr_up_to_one(case: Any) -> None:
    budget, costs, approvals = case
    e = Election.from_approvals(budget, costs, approvals)
    inst, prof, _tie_breaking = to_pabutools(budget, costs, approvals)
    out = count(e, rule="mes", completion="none")
    alloc = [p for p in inst if p.name in set(out.selected)]
    assert is_EJR_one_approval(inst, prof, Cost_Sat, alloc)
