"""The public counting entry point: :func:`count` returns an :class:`Outcome`.

The rules are a table, :data:`RULES`: each :class:`Rule` counts an election with resolved
:class:`Settings` (one signature for all), so adding a rule is adding an entry, and the CLI
lists them from the same table. Every project gets an :class:`Explanation`: a
:class:`~wijkwerk.counting.codes.Code` with the figures behind it; the words come from a
renderer (:mod:`wijkwerk.counting.english` for the CLI and the JSON).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple

from . import english
from .codes import Code, Note, Statement, json_data
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
from .rules.prepare import Eligibility, check_eligibility, group
from .tiebreak import TieBreak, TieBreaker

Render = Callable[[Statement], str]
"""A renderer: the sentence of an explanation or note (e.g. :func:`english.render`)."""


@dataclass
class Explanation:
    """Why a project was or was not funded.

    Attributes:
        project_id: the project id.
        funded: whether it is in the outcome.
        code: why (see :class:`~wijkwerk.counting.codes.Code` and docs/counting.md).
        data: the figures behind it: exact amounts (``int``/``Fraction``), counts, ranks.
    """

    project_id: str
    name: str
    cost: Amount
    votes: int
    funded: bool
    code: Code
    data: dict[str, Any] = field(default_factory=dict)

    def fields(self) -> Mapping[str, Any]:
        """What a sentence about it may use: its ``cost`` and ``votes`` and its data."""
        return {"cost": self.cost, "votes": self.votes, **self.data}

    def to_json(self, render: Render = english.render) -> dict[str, Any]:
        """JSON-ready dict (exact amounts as strings); ``reason`` is the rendered sentence."""
        return {
            "project_id": self.project_id,
            "name": self.name,
            "cost": format_amount(self.cost),
            "votes": self.votes,
            "funded": self.funded,
            "code": self.code.value,
            "reason": render(self),
            "data": json_data(self.data),
        }


@dataclass
class Settings:
    """Resolved counting settings (the options every rule is counted with).

    ``jobs`` is the number of processes for the Add1 steps; the outcome does not depend on
    it, so it is not part of the outcome's JSON.
    """

    rule: str
    completion: str
    comparison: str
    tie_break: TieBreak
    eligibility: str
    jobs: int = 1


@dataclass
class Outcome:
    """Result of :func:`count`.

    ``selected`` lists the funded project ids in the order they were funded;
    ``explanations`` has one :class:`Explanation` per project, in file order; ``notes``
    are statements on the whole count (the comparison step).
    """

    settings: Settings
    selected: list[str]
    total_cost: Amount
    budget: Amount
    explanations: dict[str, Explanation]
    per_voter_budget: Amount | None = None
    add1_steps: int | None = None
    notes: list[Note] = field(default_factory=list)

    def to_json(self, render: Render = english.render) -> dict[str, Any]:
        """JSON-ready dict with ``selected``, ``total_cost`` (string) and ``projects``.

        Sentences (each project's ``reason``, the ``notes``) come from ``render``.
        """
        return {
            "rule": self.settings.rule,
            "completion": self.settings.completion,
            "comparison": self.settings.comparison,
            "tie_break": str(self.settings.tie_break),
            "eligibility": self.settings.eligibility,
            "budget": format_amount(self.budget),
            "selected": list(self.selected),
            "total_cost": format_amount(self.total_cost),
            "per_voter_budget": None
            if self.per_voter_budget is None
            else format_amount(self.per_voter_budget),
            "add1_steps": self.add1_steps,
            "notes": [render(note) for note in self.notes],
            "projects": [e.to_json(render) for e in self.explanations.values()],
        }


@dataclass(frozen=True)
class Rule:
    """A counting rule: one entry of :data:`RULES`.

    ``count(election, settings)`` counts with resolved settings; ``completes``: the rule
    takes a completion and a comparison step (MES).
    """

    name: str
    description: str
    count: Callable[[Election, Settings], Outcome]
    completes: bool = False


class _Prepared(NamedTuple):
    """What every rule needs: supporters, scores, eligibility, the tie-breaker."""

    votes: list[int]
    scores: list[int]
    eligibility: Eligibility
    costs: list[Amount]
    tie_breaker: TieBreaker
    candidates: list[int]  # election indices of the eligible projects


def _prepare(election: Election, settings: Settings) -> _Prepared:
    votes = election.supporters()
    scores = election.scores() if election.vote_type in POINTS_TYPES else votes
    eligibility = check_eligibility(election, settings.eligibility, votes, scores)
    costs = [p.cost for p in election.projects]
    tie_breaker = TieBreaker(settings.tie_break, costs, votes, [p.id for p in election.projects])
    candidates = [p for p in range(len(election.projects)) if eligibility.eligible[p]]
    return _Prepared(votes, scores, eligibility, costs, tie_breaker, candidates)


class _Explainer:
    """Collects the explanations of one count (the last one given for a project wins)."""

    def __init__(self, election: Election, votes: list[int]) -> None:
        self.election = election
        self.votes = votes
        self.explanations: dict[str, Explanation] = {}

    def __call__(self, p: int, funded: bool, code: Code, **data: Any) -> None:
        project = self.election.projects[p]
        self.explanations[project.id] = Explanation(
            project.id, project.name, project.cost, self.votes[p], funded, code, data
        )

    def ordered(self) -> dict[str, Explanation]:
        """The explanations in file order."""
        return {
            p.id: self.explanations[p.id]
            for p in self.election.projects
            if p.id in self.explanations
        }


def _count_greedy(election: Election, settings: Settings, *, skip: bool) -> Outcome:
    prepared = _prepare(election, settings)
    result = greedy(
        prepared.candidates,
        prepared.costs,
        prepared.scores,
        election.budget,
        prepared.tie_breaker,
        skip=skip,
    )
    explain = _Explainer(election, prepared.votes)
    _explain_greedy(result, explain)
    _explain_ineligible(election, prepared.eligibility, explain)
    selected = [election.projects[p].id for p in result.selected]
    return Outcome(settings, selected, result.total_cost, election.budget, explain.ordered())


def _count_greedy_skip(election: Election, settings: Settings) -> Outcome:
    return _count_greedy(election, settings, skip=True)


def _count_greedy_no_skip(election: Election, settings: Settings) -> Outcome:
    return _count_greedy(election, settings, skip=False)


def _count_mes(election: Election, settings: Settings) -> Outcome:
    prepared = _prepare(election, settings)
    costs, votes, tie_breaker = prepared.costs, prepared.votes, prepared.tie_breaker
    completion = COMPLETIONS[settings.completion]
    grouped = group(election, prepared.candidates)
    completed = run_with_completion(grouped, settings.completion, tie_breaker, jobs=settings.jobs)
    run = completed.run
    chosen = [grouped.candidates[p] for p in run.selected]
    notes: list[Note] = []
    explain = _Explainer(election, votes)
    _explain_mes(election, grouped.candidates, run, explain)
    total = Fraction(run.total_cost)
    if completion.then_greedy:
        result = greedy(
            prepared.candidates,
            costs,
            votes,
            election.budget,
            tie_breaker,
            skip=True,
            initial=chosen,
        )
        for step in result.steps:
            if step.funded:
                chosen.append(step.project)
                total += Fraction(costs[step.project])
                explain(
                    step.project,
                    True,
                    Code.ADD1U_FUNDED,
                    money_left=step.money_left,
                    rank=step.rank,
                )
    comparison = COMPARISONS[settings.comparison]
    if comparison.measure is not None:
        result = greedy(prepared.candidates, costs, votes, election.budget, tie_breaker, skip=True)
        prefer_mes, prefer_greedy = _compare(election, chosen, result.selected, comparison.measure)
        notes.append(
            Note(
                Code.COMPARISON,
                {
                    "kind": comparison.name,
                    "prefer_equal_shares": prefer_mes,
                    "prefer_greedy": prefer_greedy,
                },
            )
        )
        if prefer_greedy > prefer_mes:
            notes.append(Note(Code.GREEDY_OUTCOME_USED))
            explain.explanations.clear()
            _explain_greedy(result, explain)
            chosen = list(result.selected)
            total = Fraction(result.total_cost)
    _explain_ineligible(election, prepared.eligibility, explain)
    return Outcome(
        settings,
        [election.projects[p].id for p in chosen],
        normalize_amount(total),
        election.budget,
        explain.ordered(),
        per_voter_budget=normalize_amount(run.per_voter),
        add1_steps=completed.steps if completion.add1 else None,
        notes=notes,
    )


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "greedy",
            "by votes (points for cumulative and scoring ballots), skipping what does not fit",
            _count_greedy_skip,
        ),
        Rule(
            "greedy-no-skip",
            "by votes, stopping at the first project that does not fit",
            _count_greedy_no_skip,
        ),
        Rule(
            "mes",
            "Method of Equal Shares (cost utilities), with --completion and --comparison",
            _count_mes,
            completes=True,
        ),
    )
}
"""The counting rules by name (``--rule``)."""

META_RULES: dict[str, tuple[str, str, str]] = {
    "greedy": ("greedy", "none", "none"),
    "greedy-no-skip": ("greedy-no-skip", "none", "none"),
    "greedy-threshold": ("greedy", "none", "none"),
    "equalshares": ("mes", "none", "none"),
    "equalshares/add1": ("mes", "add1", "none"),
    "equalshares/add1-comparison": ("mes", "add1", "satisfaction"),
    # not (yet) used by pabulib's own files; written by wijkwerk's result files so that
    # `wijkwerk count FILE` reproduces a round counted with these completions
    "equalshares/add1-exhaustive": ("mes", "add1-exhaustive", "none"),
    "equalshares/add1u": ("mes", "add1u", "none"),
}
"""META ``rule`` -> (rule, completion, comparison)."""


def _unknown(what: str, name: str, known: Mapping[str, Any]) -> CountingError:
    return CountingError(f"unknown {what} '{name}' (use {', '.join(known)})")


def resolve_settings(
    election: Election,
    rule: str | None = None,
    completion: str | None = None,
    tie_break: str | TieBreak | None = None,
    eligibility_rule: str = "none",
    comparison: str | None = None,
    jobs: int = 1,
) -> Settings:
    """Fill in unspecified settings from the file's META ``rule`` and check them."""
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
        raise _unknown("rule", rule, RULES)
    completion = completion or "none"
    comparison = comparison or "none"
    if completion not in COMPLETIONS:
        raise _unknown("completion", completion, COMPLETIONS)
    if comparison not in COMPARISONS:
        raise _unknown("comparison", comparison, COMPARISONS)
    if not RULES[rule].completes and (completion != "none" or comparison != "none"):
        completing = ", ".join(name for name, r in RULES.items() if r.completes)
        raise CountingError(f"completion and comparison only apply to --rule {completing}")
    tie = tie_break if isinstance(tie_break, TieBreak) else TieBreak.parse(tie_break)
    return Settings(rule, completion, comparison, tie, eligibility_rule, jobs)


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
        rule: a name in :data:`RULES` (``greedy``, ``greedy-no-skip``, ``mes``); ``None``
            follows META ``rule``.
        completion: for MES: ``none``, ``add1``, ``add1-exhaustive`` or ``add1u``.
        tie_break: ordered list such as ``"min-cost,max-votes,file-order"``.
        eligibility_rule: ``none`` or ``cost-share`` (the Świecie rule).
        comparison: for MES: ``none``, ``satisfaction`` or ``exclusion-ratio``.
        jobs: processes that compute the Add1 steps (forked workers beside this
            one); the outcome does not depend on it.

    Raises:
        CountingError: bad settings; TieError for a tie the list cannot break.
    """
    settings = resolve_settings(
        election, rule, completion, tie_break, eligibility_rule, comparison, jobs
    )
    return RULES[settings.rule].count(election, settings)


def _explain_ineligible(election: Election, eligibility: Eligibility, explain: _Explainer) -> None:
    for p in range(len(election.projects)):
        code = eligibility.code[p]
        if code is not None:
            explain(p, False, code, **eligibility.data[p])


def _explain_greedy(result: GreedyResult, explain: _Explainer) -> None:
    for step in result.steps:
        if step.funded:
            code = Code.GREEDY_FUNDED
        elif step.stopped:
            code = Code.GREEDY_STOPPED
        else:
            code = Code.GREEDY_DOES_NOT_FIT
        explain(
            step.project,
            step.funded,
            code,
            rank=step.rank,
            score=step.score,
            money_left=step.money_left,
        )


def _explain_mes(
    election: Election, candidates: list[int], run: MesRun, explain: _Explainer
) -> None:
    rounds = run.rounds
    round_of = {r.project: r for r in rounds}
    per_voter_budget = normalize_amount(run.per_voter)
    for local, p in enumerate(candidates):
        if local in round_of:
            funded_in = round_of[local]
            payments = funded_in.payments
            explain(
                p,
                True,
                Code.MES_FUNDED,
                round=funded_in.number,
                effective_votes=float(funded_in.effective_votes),
                payments=[
                    {
                        "amount": normalize_amount(payment.amount),
                        "voters": payment.voters,
                        "all_they_had": payment.all_they_had,
                    }
                    for payment in payments
                ],
                per_voter_budget=per_voter_budget,
                paying_supporters=sum(payment.voters for payment in payments),
                most_paid=normalize_amount(
                    max((payment.amount for payment in payments), default=0)
                ),
                some_paid_all_they_had=any(payment.all_they_had for payment in payments),
            )
        elif local in run.dropped:
            dropped_in_round, money = run.dropped[local]
            data: dict[str, Any] = {
                "dropped_in_round": dropped_in_round,
                "money_behind_it": normalize_amount(money),
                "per_voter_budget": per_voter_budget,
            }
            if dropped_in_round > 1:
                data["after_round"] = dropped_in_round - 1
                before = (
                    rounds[dropped_in_round - 2] if dropped_in_round - 2 < len(rounds) else None
                )
                if before is not None and local in before.others:
                    data.update(
                        lost_in_round=before.number,
                        effective_votes=before.others[local],
                        winner=election.projects[candidates[before.project]].id,
                        winner_effective_votes=float(before.effective_votes),
                    )
            explain(p, False, Code.MES_UNAFFORDABLE, **data)
        elif local in run.selected:  # costs nothing: funded before the first round
            explain(p, True, Code.MES_FUNDED_FREE, per_voter_budget=per_voter_budget)


def _compare(
    election: Election, mes: list[int], greedy_selected: list[int], measure: Callable[[int], int]
) -> tuple[int, int]:
    """equalshares.net comparison step: voters preferring MES vs greedy."""
    mes_set, greedy_set = set(mes), set(greedy_selected)
    counts = election.ballot_counts()
    prefer_mes = prefer_greedy = 0
    for ballot, c in zip(election.ballots, counts, strict=True):
        if c == 0:
            continue
        supported = (
            ballot.projects
            if ballot.points is None
            else [p for p, v in zip(ballot.projects, ballot.points, strict=True) if v > 0]
        )
        a = measure(sum(1 for p in supported if p in mes_set))
        b = measure(sum(1 for p in supported if p in greedy_set))
        if a > b:
            prefer_mes += c
        elif b > a:
            prefer_greedy += c
    return prefer_mes, prefer_greedy
