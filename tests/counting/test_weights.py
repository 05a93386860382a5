"""Voter weights: a voter of weight ``w`` counts exactly as ``w`` voters with the same ballot.

Property tests: an election with weights gives the same outcome and the same explanation
figures as the same election with each voter repeated ``w`` times, for every rule,
completion, comparison and eligibility rule of the engine, and the what-if searches of the
explanations agree too. The ``.pb`` reader and writer carry the weights in a ``weight``
column of VOTES.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wijkwerk.counting import (
    COMPARISONS,
    COMPLETIONS,
    Ballot,
    CountingError,
    Election,
    PabulibError,
    Project,
    count,
    read_pb,
    write_pb,
)
from wijkwerk.counting.cli import main
from wijkwerk.counting.explain import explain_project
from wijkwerk.counting.rules.prepare import group

TIE_BREAKS = ["min-cost,max-votes,file-order", "max-votes,file-order", "lot:7"]


@st.composite
def weighted(draw: Any, max_voters: int = 8, max_projects: int = 5) -> Election:
    """An election (approval or cumulative) whose voters have weights 1..4."""
    m = draw(st.integers(1, max_projects))
    n = draw(st.integers(1, max_voters))
    cumulative = draw(st.booleans())
    costs = draw(st.lists(st.integers(0, 25), min_size=m, max_size=m))
    budget = draw(st.integers(1, 40))
    ballots: list[Ballot] = []
    index: dict[Ballot, int] = {}
    voter_ballot: list[int] = []
    for _ in range(n):
        projects = sorted(draw(st.lists(st.integers(0, m - 1), unique=True, max_size=m)))
        points = tuple(draw(st.integers(1, 3)) for _ in projects) if cumulative else None
        ballot = Ballot(tuple(projects), points)
        if ballot not in index:
            index[ballot] = len(ballots)
            ballots.append(ballot)
        voter_ballot.append(index[ballot])
    weights = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
    meta = {"budget": str(budget), "vote_type": "cumulative" if cumulative else "approval"}
    if draw(st.booleans()):
        meta["min_project_score_threshold"] = str(draw(st.integers(1, 6)))
    return Election(
        meta=meta,
        projects=[Project(str(i), c) for i, c in enumerate(costs)],
        ballots=ballots,
        voter_ids=[f"v{v}" for v in range(n)],
        voter_ballot=voter_ballot,
        vote_type="cumulative" if cumulative else "approval",
        budget=budget,
        voter_weights=weights,
    )


def repeated(election: Election) -> Election:
    """The same election with each voter repeated as often as her weight, without weights."""
    assert election.voter_weights is not None
    voter_ids: list[str] = []
    voter_ballot: list[int] = []
    for v, (b, w) in enumerate(zip(election.voter_ballot, election.voter_weights, strict=True)):
        voter_ids += [f"v{v}.{i}" for i in range(w)]
        voter_ballot += [b] * w
    return Election(
        meta=dict(election.meta),
        projects=list(election.projects),
        ballots=list(election.ballots),
        voter_ids=voter_ids,
        voter_ballot=voter_ballot,
        vote_type=election.vote_type,
        budget=election.budget,
    )


def outcome_or_error(election: Election, **options: Any) -> Any:
    try:
        return count(election, **options).to_json()
    except CountingError as error:  # a tie the list cannot break: the same in both
        return ("error", str(error))


SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@SETTINGS
@given(
    weighted(),
    st.sampled_from(["greedy", "greedy-no-skip"]),
    st.sampled_from(["none", "cost-share"]),
    st.sampled_from(TIE_BREAKS),
)
def test_greedy_weights_count_as_repeated_voters(
    election: Election, rule: str, eligibility: str, tie_break: str
) -> None:
    options = {"rule": rule, "eligibility_rule": eligibility, "tie_break": tie_break}
    assert outcome_or_error(election, **options) == outcome_or_error(repeated(election), **options)


@SETTINGS
@given(
    weighted(),
    st.sampled_from(list(COMPLETIONS)),
    st.sampled_from(list(COMPARISONS)),
    st.sampled_from(["none", "cost-share"]),
    st.sampled_from(TIE_BREAKS),
)
def test_mes_weights_count_as_repeated_voters(
    election: Election, completion: str, comparison: str, eligibility: str, tie_break: str
) -> None:
    options = {
        "rule": "mes",
        "completion": completion,
        "comparison": comparison,
        "eligibility_rule": eligibility,
        "tie_break": tie_break,
    }
    weighted_outcome = outcome_or_error(election, **options)
    assert weighted_outcome == outcome_or_error(repeated(election), **options)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(
    weighted(max_voters=5, max_projects=4),
    st.sampled_from([("greedy", "none"), ("mes", "none"), ("mes", "add1"), ("mes", "add1u")]),
)
def test_what_if_figures_count_as_repeated_voters(
    election: Election, rule_completion: tuple[str, str]
) -> None:
    rule, completion = rule_completion
    options = {"rule": rule, "completion": completion}
    if rule == "greedy":
        del options["completion"]
    twin = repeated(election)
    for project in election.projects:
        try:
            mine = explain_project(election, project.id, **options).to_json()
        except CountingError as error:
            mine = ("error", str(error))
        try:
            theirs = explain_project(twin, project.id, **options).to_json()
        except CountingError as error:
            theirs = ("error", str(error))
        assert mine == theirs


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
@given(weighted())
def test_pb_file_carries_the_weights(election: Election) -> None:
    text = write_pb(election)
    assert text.split("VOTES\n", 1)[1].splitlines()[0].split(";")[-1] == "weight"
    back = read_pb(text)
    assert back.voter_weights == election.voter_weights
    assert back.total_weight == election.total_weight
    assert back.num_voters == election.num_voters
    assert back.ballot_counts() == election.ballot_counts()
    assert outcome_or_error(back, rule="mes", completion="add1") == outcome_or_error(
        election, rule="mes", completion="add1"
    )
    counting_only = read_pb(text, keep_extra=False)  # the CLI's way of reading
    assert counting_only.voter_weights == election.voter_weights


def test_grouped_voters_sum_their_weights_not_expanded() -> None:
    e = Election.from_approvals(10, [4, 6], [[0], [0], [1], [0, 1]], weights=[3, 2, 5, 1])
    assert e.num_voters == 4
    assert e.total_weight == 11
    assert e.ballot_counts() == [5, 5, 1]
    assert e.supporters() == [6, 6]
    grouped = group(e, [0, 1])
    assert grouped.n == 11
    assert grouped.weight.tolist() == [5, 5, 1]
    assert grouped.utility_total == [6, 6]


def test_weights_change_the_outcome_exactly() -> None:
    # three voters for "0", two for "1"; weighted 1 and 2, "1" has the most votes
    approvals = [[0], [0], [0], [1], [1]]
    plain = Election.from_approvals(10, [6, 6], approvals)
    assert count(plain, rule="greedy").selected == ["0"]
    w = Election.from_approvals(10, [6, 6], approvals, weights=[1, 1, 1, 2, 2])
    out = count(w, rule="greedy")
    assert out.selected == ["1"]
    assert (out.explanations["0"].votes, out.explanations["1"].votes) == (3, 4)
    assert out.explanations["0"].data == {"rank": 2, "score": 3, "money_left": 4}
    # equal shares: 10/7 a weight unit; "1"'s supporters have 4 units, 40/7 < 6
    mes = count(w, rule="mes")
    assert mes.per_voter_budget == Fraction(10, 7)
    assert mes.explanations["1"].data["money_behind_it"] == Fraction(40, 7)


def test_weights_checked() -> None:
    e = Election.from_approvals(5, [5], [[0], [0]], weights=[1, 0])
    with pytest.raises(CountingError, match="weight 0 of voter '1' is not a positive integer"):
        count(e, rule="greedy")
    e = Election.from_approvals(5, [5], [[0], [0]], weights=[1])
    with pytest.raises(CountingError, match="1 voter weights for 2 voters"):
        count(e, rule="greedy")


PB = """META
key;value
num_projects;2
num_votes;3
budget;10
vote_type;approval
PROJECTS
project_id;cost
a;6
b;6
VOTES
voter_id;vote;weight;age
1;a;3;30
2;b;2;40
3;b;2;50
"""


def test_read_weight_column() -> None:
    e = read_pb(PB)
    assert e.voter_weights == [3, 2, 2]
    assert e.vote_extra_columns == ["age"]
    assert e.vote_extra == [("30",), ("40",), ("50",)]
    assert count(e, rule="greedy").selected == ["b"]
    assert (
        write_pb(e).split("VOTES\n")[1]
        == "voter_id;vote;weight;age\n1;a;3;30\n2;b;2;40\n3;b;2;50\n"
    )
    without = read_pb(PB.replace(";weight", "").replace(";3;", ";").replace(";2;", ";"))
    assert without.voter_weights is None
    assert without.total_weight == 3
    assert "weight" not in write_pb(without)


@pytest.mark.parametrize(
    ("value", "shown"), [("0", "0"), ("-1", "-1"), ("x", "x"), ("1.5", "1.5"), ("", "")]
)
def test_bad_weight_names_line(value: str, shown: str) -> None:
    with pytest.raises(PabulibError) as raised:
        read_pb(PB.replace("2;b;2;40", f"2;b;{value};40"), name="w.pb")
    assert str(raised.value) == (
        f"w.pb:14: weight '{shown}' of voter '2' is not a positive integer"
    )


def test_cli_counts_weights(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "w.pb"
    path.write_text(PB)
    assert main(["check", str(path)]) == 0
    assert "3 votes, weighing 7, vote_type approval" in capsys.readouterr().out
    assert main(["count", "--rule", "greedy", "--json", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["selected"] == ["b"]
    assert [p["votes"] for p in result["projects"]] == [3, 4]
