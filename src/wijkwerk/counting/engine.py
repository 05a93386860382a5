"""The public counting entry point: :func:`count` returns an :class:`Outcome`."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .completion import COMPARISONS, COMPLETIONS, run_with_completion
from .model import (
    POINTS_TYPES,
    Amount,
    CountingError,
    Election,
    format_amount,
    normalize_amount,
)
from .rules.equal_shares import MesRun
from .rules.greedy import GreedyResult, greedy
from .rules.prepare import Eligibility, eligibility, group
from .tiebreak import TieBreak, TieBreaker

RULES = ("greedy", "greedy-no-skip", "mes")

META_RULES: dict[str, tuple[str, str, str]] = {
    "greedy": ("greedy", "none", "none"),
    "greedy-no-skip": ("greedy-no-skip", "none", "none"),
    "greedy-threshold": ("greedy", "none", "none"),
    "equalshares": ("mes", "none", "none"),
    "equalshares/add1": ("mes", "add1", "none"),
    "equalshares/add1-comparison": ("mes", "add1", "satisfaction"),
}
"""META ``rule`` -> (rule, completion, comparison)."""


def _s(x: Fraction | int) -> str:
    return format_amount(x)


@dataclass
class Explanation:
    """Why a project was or was not funded.

    Attributes:
        project_id: the project id.
        funded: whether it is in the outcome.
        code: a short machine code (e.g. ``mes-funded``, ``mes-unaffordable``,
            ``greedy-does-not-fit``, ``below-threshold``).
        reason: one or two sentences a resident understands.
        data: the figures behind the reason (exact amounts as strings).
    """

    project_id: str
    name: str
    cost: Amount
    votes: int
    funded: bool
    code: str
    reason: str
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (exact amounts as strings)."""
        return {
            "project_id": self.project_id,
            "name": self.name,
            "cost": _s(self.cost),
            "votes": self.votes,
            "funded": self.funded,
            "code": self.code,
            "reason": self.reason,
            "data": self.data,
        }


@dataclass
class Settings:
    """Resolved counting settings."""

    rule: str
    completion: str
    comparison: str
    tie_break: TieBreak
    eligibility: str


@dataclass
class Outcome:
    """Result of :func:`count`.

    ``selected`` lists the funded project ids in the order they were funded;
    ``explanations`` has one :class:`Explanation` per project, in file order.
    """

    settings: Settings
    selected: list[str]
    total_cost: Amount
    budget: Amount
    explanations: dict[str, Explanation]
    per_voter_budget: Amount | None = None
    add1_steps: int | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict with ``selected``, ``total_cost`` (string) and ``projects``."""
        return {
            "rule": self.settings.rule,
            "completion": self.settings.completion,
            "comparison": self.settings.comparison,
            "tie_break": str(self.settings.tie_break),
            "eligibility": self.settings.eligibility,
            "budget": _s(self.budget),
            "selected": list(self.selected),
            "total_cost": _s(self.total_cost),
            "per_voter_budget": None
            if self.per_voter_budget is None
            else _s(self.per_voter_budget),
            "add1_steps": self.add1_steps,
            "notes": self.notes,
            "projects": [e.to_json() for e in self.explanations.values()],
        }


def resolve_settings(
    election: Election,
    rule: str | None = None,
    completion: str | None = None,
    tie_break: str | TieBreak | None = None,
    eligibility_rule: str = "none",
    comparison: str | None = None,
) -> Settings:
    """Fill in unspecified settings from the file's META ``rule``."""
    meta_rule = election.meta.get("rule", "").strip().lower()
    base = META_RULES.get(meta_rule)
    if rule is None:
        if base is None:
            if meta_rule and meta_rule != "unknown":
                raise CountingError(f"META rule '{meta_rule}' is not supported; pass --rule")
            base = ("greedy", "none", "none")
        rule = base[0]
        if completion is None:
            completion = base[1]
        if comparison is None:
            comparison = base[2]
    if rule not in RULES:
        raise CountingError(f"unknown rule '{rule}' (use {', '.join(RULES)})")
    completion = completion or "none"
    comparison = comparison or "none"
    if completion not in COMPLETIONS:
        raise CountingError(f"unknown completion '{completion}' (use {', '.join(COMPLETIONS)})")
    if comparison not in COMPARISONS:
        raise CountingError(f"unknown comparison '{comparison}' (use {', '.join(COMPARISONS)})")
    if rule != "mes" and (completion != "none" or comparison != "none"):
        raise CountingError("completion and comparison only apply to --rule mes")
    tb = tie_break if isinstance(tie_break, TieBreak) else TieBreak.parse(tie_break)
    return Settings(rule, completion, comparison, tb, eligibility_rule)


def count(
    election: Election,
    rule: str | None = None,
    completion: str | None = None,
    tie_break: str | TieBreak | None = None,
    *,
    eligibility_rule: str = "none",
    comparison: str | None = None,
    jobs: int = 1,
) -> Outcome:
    """Count an election exactly.

    Args:
        election: the election (see :func:`wijkwerk.counting.read_pb`).
        rule: ``greedy``, ``greedy-no-skip`` or ``mes``; ``None`` follows META ``rule``.
        completion: for MES: ``none``, ``add1``, ``add1-exhaustive`` or ``add1u``.
        tie_break: ordered list such as ``"min-cost,max-votes,file-order"``.
        eligibility_rule: ``none`` or ``cost-share`` (the Świecie rule).
        comparison: for MES: ``none``, ``satisfaction`` or ``exclusion-ratio``.
        jobs: processes that compute the Add1 steps (forked workers beside this
            one); the outcome does not depend on it.

    Raises:
        CountingError: bad settings; TieError for a tie the list cannot break.
    """
    st = resolve_settings(election, rule, completion, tie_break, eligibility_rule, comparison)
    votes = election.supporters()
    scores = election.scores() if election.vote_type in POINTS_TYPES else votes
    elig = eligibility(election, st.eligibility, votes, scores)
    costs = [p.cost for p in election.projects]
    tb = TieBreaker(st.tie_break, costs, votes, [p.id for p in election.projects])
    cand = [p for p in range(len(election.projects)) if elig.eligible[p]]
    expl: dict[str, Explanation] = {}

    def base(p: int, funded: bool, code: str, reason: str, **data: Any) -> None:
        pr = election.projects[p]
        expl[pr.id] = Explanation(pr.id, pr.name, pr.cost, votes[p], funded, code, reason, data)

    if st.rule in ("greedy", "greedy-no-skip"):
        res = greedy(cand, costs, scores, election.budget, tb, skip=st.rule == "greedy")
        _explain_greedy(election, res, base, scores)
        _explain_ineligible(election, elig, base, scores)
        sel = [election.projects[p].id for p in res.selected]
        out = Outcome(st, sel, res.total_cost, election.budget, _ordered(election, expl))
        return out

    data = group(election, cand)
    comp = run_with_completion(
        data, "add1" if st.completion == "add1u" else st.completion, tb, jobs=jobs
    )
    run = comp.run
    chosen = [data.cand[p] for p in run.selected]
    notes: list[str] = []
    _explain_mes(election, data.cand, run, base, chosen_all=set(chosen))
    total = Fraction(run.total_cost)
    if st.completion == "add1u":
        g = greedy(cand, costs, votes, election.budget, tb, skip=True, initial=chosen)
        for step in g.steps:
            if step.funded:
                chosen.append(step.project)
                total += Fraction(costs[step.project])
                base(
                    step.project,
                    True,
                    "add1u-funded",
                    f"Funded in the completion step: equal shares left "
                    f"{_s(step.money_left)} unspent "
                    f"and this was the most-voted remaining project that fit.",
                    money_left=_s(step.money_left),
                    rank=step.rank,
                )
    if st.comparison != "none":
        g = greedy(cand, costs, votes, election.budget, tb, skip=True)
        pm, pg = _compare(election, chosen, g.selected, st.comparison)
        notes.append(
            f"comparison ({st.comparison}): {pm} voters prefer the equal-shares outcome, "
            f"{pg} prefer the greedy outcome"
        )
        if pg > pm:
            notes.append("the greedy outcome is used")
            expl.clear()
            _explain_greedy(election, g, base, votes)
            chosen = list(g.selected)
            total = Fraction(g.total_cost)
    _explain_ineligible(election, elig, base, scores)
    sel_ids = [election.projects[p].id for p in chosen]
    return Outcome(
        st,
        sel_ids,
        normalize_amount(total),
        election.budget,
        _ordered(election, expl),
        per_voter_budget=normalize_amount(run.per_voter),
        add1_steps=comp.steps if st.completion != "none" else None,
        notes=notes,
    )


def _ordered(election: Election, expl: dict[str, Explanation]) -> dict[str, Explanation]:
    return {p.id: expl[p.id] for p in election.projects if p.id in expl}


def _explain_ineligible(
    election: Election, elig: Eligibility, base: Any, scores: list[int]
) -> None:
    for p in range(len(election.projects)):
        if not elig.eligible[p]:
            code = elig.code[p] or "ineligible"
            data: dict[str, Any] = {}
            if code == "below-threshold" and elig.threshold is not None:
                # for points ballots the score is not the `votes` of the explanation
                data = {"score": scores[p], "threshold": _s(elig.threshold)}
            base(p, False, code, f"Not funded: {elig.reason[p]}.", **data)


def _explain_greedy(election: Election, res: GreedyResult, base: Any, scores: list[int]) -> None:
    for s in res.steps:
        c = election.projects[s.project].cost
        common = {"rank": s.rank, "score": s.score, "money_left": _s(s.money_left)}
        if s.funded:
            base(
                s.project,
                True,
                "greedy-funded",
                f"Funded: it was number {s.rank} by votes ({s.score}) and when its turn came "
                f"{_s(s.money_left)} was left, enough for its cost of {_s(c)}.",
                **common,
            )
        elif s.stopped:
            base(
                s.project,
                False,
                "greedy-stopped",
                f"Not funded: it was number {s.rank} by votes ({s.score}), but the count stops at "
                f"the first project that does not fit, which came earlier.",
                **common,
            )
        else:
            base(
                s.project,
                False,
                "greedy-does-not-fit",
                f"Not funded: it was number {s.rank} by votes ({s.score}); when its turn came only "
                f"{_s(s.money_left)} was left, less than its cost of {_s(c)}.",
                **common,
            )


def _explain_mes(
    election: Election, cand: list[int], run: MesRun, base: Any, chosen_all: set[int]
) -> None:
    rounds = run.rounds
    by_proj = {r.project: r for r in rounds}
    for lp, gp in enumerate(cand):
        cost = election.projects[gp].cost
        if lp in by_proj:
            r = by_proj[lp]
            pays = [
                {"amount": _s(pm.amount), "voters": pm.voters, "all_they_had": pm.all_they_had}
                for pm in r.payments
            ]
            full = [pm for pm in r.payments if not pm.all_they_had]
            most = max((pm.amount for pm in r.payments), default=Fraction(0))
            txt = (
                f"Funded in round {r.number} of equal shares: its "
                f"{sum(pm.voters for pm in r.payments)} "
                f"paying supporters shared its cost of {_s(cost)}"
            )
            if full and len(full) == len(r.payments):
                txt += f", each paying {_money(most)}."
            else:
                txt += (
                    f"; the most anyone paid was {_money(most)}, supporters with less money left "
                    f"paid all they had."
                )
            base(
                gp,
                True,
                "mes-funded",
                txt,
                round=r.number,
                effective_votes=float(r.effective_votes),
                payments=pays,
                per_voter_budget=_s(run.per_voter),
            )
        elif lp in run.dropped:
            drop_round, money = run.dropped[lp]
            data: dict[str, Any] = {
                "dropped_in_round": drop_round,
                "money_behind_it": _s(money),
                "per_voter_budget": _s(run.per_voter),
            }
            if drop_round <= 1:
                txt = (
                    f"Not funded: its supporters together had only {_money(money)} "
                    f"of their shares, "
                    f"less than its cost of {_s(cost)}."
                )
            else:
                prev = rounds[drop_round - 2] if drop_round - 2 < len(rounds) else None
                txt = (
                    f"Not funded: after round {drop_round - 1} its supporters had only "
                    f"{_money(money)} "
                    f"left, less than its cost of {_s(cost)}."
                )
                if prev is not None and lp in prev.others:
                    winner = election.projects[cand[prev.project]].id
                    eff = prev.others[lp]
                    txt += (
                        f" In round {prev.number} its effective vote count was {eff:.2f} against "
                        f"{float(prev.effective_votes):.2f} for the project funded then ({winner})."
                    )
                    data.update(
                        lost_in_round=prev.number,
                        effective_votes=eff,
                        winner=winner,
                        winner_effective_votes=float(prev.effective_votes),
                    )
            base(gp, False, "mes-unaffordable", txt, **data)


def _money(x: Fraction | int) -> str:
    v = Fraction(x)
    if v.denominator == 1:
        return str(v.numerator)
    return f"{float(v):.2f}"


def _compare(election: Election, mes: list[int], grd: list[int], kind: str) -> tuple[int, int]:
    """equalshares.net comparison step: voters preferring MES vs greedy."""
    ms, gs = set(mes), set(grd)
    counts = election.ballot_counts()
    pm = pg = 0
    for ballot, c in zip(election.ballots, counts, strict=True):
        if c == 0:
            continue
        items = (
            ballot.projects
            if ballot.points is None
            else [p for p, v in zip(ballot.projects, ballot.points, strict=True) if v > 0]
        )
        a = sum(1 for p in items if p in ms)
        b = sum(1 for p in items if p in gs)
        if kind == "exclusion-ratio":
            a, b = int(a > 0), int(b > 0)
        if a > b:
            pm += c
        elif b > a:
            pg += c
    return pm, pg
