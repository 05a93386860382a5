"""MES against a plain reference written with ``Fraction`` only (no floats anywhere).

The engine keeps budgets per class as ``x - sum(coef * t)`` with float copies that
decide only outside a proven error bound; these tests check every round's winner and
every voter's remaining money against a direct transcription of the rule, on
instances with fractional costs and budgets, many distinct ballots, near-ties, and
cumulative (points) ballots, so the float shortcuts and the exact fallbacks are both
exercised.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkwerk.counting.model import Ballot, Election, Project, normalize_amount
from wijkwerk.counting.rules.equal_shares import mes_run
from wijkwerk.counting.rules.prepare import group
from wijkwerk.counting.tiebreak import TieBreak, TieBreaker


def reference_mes(
    x: Fraction, costs: list[Fraction], ballots: list[dict[int, int]], approval: bool
) -> tuple[list[int], list[Fraction]]:
    """Direct MES with cost utilities; tie-break min cost, max votes, file order."""
    n, m = len(ballots), len(costs)
    votes = [sum(1 for b in ballots if b.get(p, 0) > 0) for p in range(m)]
    money = [x] * n
    selected = [p for p in range(m) if costs[p] == 0 and votes[p] > 0]
    alive = {p for p in range(m) if costs[p] > 0 and votes[p] > 0}
    while alive:
        keys: dict[int, Fraction] = {}
        for p in sorted(alive):
            sup = [(i, b[p]) for i, b in enumerate(ballots) if b.get(p, 0) > 0]
            if sum(money[i] for i, _ in sup) < costs[p]:
                continue
            sup.sort(key=lambda e: money[e[0]] / e[1])
            poor, rich = Fraction(0), sum(u for _, u in sup)
            for i, u in sup:
                t = (costs[p] - poor) / rich
                if t * u <= money[i]:
                    break
                poor += money[i]
                rich -= u
            keys[p] = t / costs[p] if approval else t
        alive = set(keys)
        if not alive:
            break
        kmin = min(keys.values())
        win = min((p for p in keys if keys[p] == kmin), key=lambda p: (costs[p], -votes[p], p))
        t = kmin * costs[win] if approval else kmin
        for i, b in enumerate(ballots):
            u = b.get(win, 0)
            if u > 0:
                money[i] -= min(money[i], t * u)
        selected.append(win)
        alive.discard(win)
    return selected, money


def election_of(
    budget: Fraction, costs: list[Fraction], ballots: list[dict[int, int]], approval: bool
) -> Election:
    projects = [Project(str(p), normalize_amount(c)) for p, c in enumerate(costs)]
    distinct: dict[tuple[tuple[int, int], ...], int] = {}
    bl: list[Ballot] = []
    vb: list[int] = []
    for b in ballots:
        key = tuple(sorted(b.items()))
        if key not in distinct:
            distinct[key] = len(bl)
            ps = tuple(p for p, _ in key)
            bl.append(Ballot(ps) if approval else Ballot(ps, tuple(u for _, u in key)))
        vb.append(distinct[key])
    return Election(
        meta={},
        projects=projects,
        ballots=bl,
        voter_ids=[str(i) for i in range(len(ballots))],
        voter_ballot=vb,
        vote_type="approval" if approval else "cumulative",
        budget=normalize_amount(budget),
    )


@st.composite
def cases(draw: Any) -> Any:
    approval = draw(st.booleans())
    m = draw(st.integers(1, 7))
    n = draw(st.integers(1, 25))
    cheap = draw(st.booleans())  # few distinct costs: many exact ties
    if cheap:
        costs = [Fraction(draw(st.sampled_from([100, 150, 300]))) for _ in range(m)]
    else:
        costs = [Fraction(draw(st.integers(1, 500_000)), 100) for _ in range(m)]
    ballots: list[dict[int, int]] = []
    for _ in range(n):
        ps = draw(st.lists(st.integers(0, m - 1), unique=True, max_size=m))
        ballots.append({p: (1 if approval else draw(st.integers(1, 9))) for p in ps})
    if draw(st.booleans()):
        budget = Fraction(draw(st.integers(1, 2_000_000)), draw(st.sampled_from([1, 3, 7, 100])))
        step = draw(st.integers(0, 40))
    else:
        # budget = cost of some projects, so that supporters' money often equals a cost
        # exactly and shares equal budgets exactly (the floats cannot decide these)
        chosen = draw(st.lists(st.integers(0, m - 1), unique=True, min_size=1, max_size=m))
        budget = sum((costs[p] for p in chosen), Fraction(0))
        step = 0
    return approval, costs, ballots, budget, step


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(cases())
def test_mes_equals_fraction_reference(case: Any) -> None:
    approval, costs, ballots, budget, step = case
    e = election_of(budget, costs, ballots, approval)
    votes = e.supporters()
    candidates = [p for p in range(len(costs)) if votes[p] > 0]
    grouped = group(e, candidates)
    tie_breaker = TieBreaker(TieBreak.parse(None), e_costs(e), votes, [p.id for p in e.projects])
    x = Fraction(budget) / len(ballots) + step
    run = mes_run(grouped, x, tie_breaker, record=True)
    ref_selected, ref_money = reference_mes(x, costs, ballots, approval)
    assert [grouped.candidates[p] for p in run.selected] == ref_selected
    # groups are numbered by first appearance of the (restricted) ballot
    local = {p: i for i, p in enumerate(candidates)}
    groups: dict[tuple[tuple[int, int], ...], int] = {}
    voter_group: list[int | None] = []
    for b in ballots:
        key = tuple(sorted((local[p], u) for p, u in b.items() if p in local))
        if key and key not in groups:
            groups[key] = len(groups)
        voter_group.append(groups[key] if key else None)
    left = run.left
    assert len(left) == len(groups)
    for i, g in enumerate(voter_group):
        assert (x if g is None else left[g]) == ref_money[i]


def e_costs(e: Election) -> list[Any]:
    return [p.cost for p in e.projects]
