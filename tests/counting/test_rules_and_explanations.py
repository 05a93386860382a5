"""The table of rules, and explanations as codes with data rendered apart from the engine."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from wijkwerk.counting import (
    RULES,
    Code,
    CountingError,
    Election,
    Note,
    count,
    read_pb,
    render_english,
)
from wijkwerk.counting.cli import main
from wijkwerk.counting.codes import AMOUNT_KEYS, forms, text_keys
from wijkwerk.counting.engine import resolve_settings
from wijkwerk.counting.english import TEXTS
from wijkwerk.counting.explain import explain_project

PABULIB = Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"

SMALL = Election.from_approvals(
    10, [4, 4, 6, 3, 0], [[0, 1], [0, 2], [1], [2, 4], [0]], project_ids=["a", "b", "c", "d", "e"]
)


def test_rules_table_counts_every_rule_with_one_signature() -> None:
    assert list(RULES) == ["greedy", "greedy-no-skip", "mes"]
    for name, rule in RULES.items():
        assert rule.name == name and rule.description
        settings = resolve_settings(SMALL, name)
        direct = rule.count(SMALL, settings)
        assert direct.to_json() == count(SMALL, rule=name).to_json()
    assert [name for name, rule in RULES.items() if rule.completes] == ["mes"]


def test_unknown_rule_lists_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(
        CountingError, match=r"unknown rule 'x' \(use greedy, greedy-no-skip, mes\)"
    ):
        count(SMALL, rule="x")
    with pytest.raises(CountingError, match="only apply to --rule mes"):
        count(SMALL, rule="greedy", completion="add1")
    f = str(PABULIB / "Netherlands_Amsterdam_643.pb")
    with pytest.raises(SystemExit):
        main(["count", f, "--rule", "x"])
    err = capsys.readouterr().err
    assert "invalid choice: 'x'" in err
    assert all(name in err.rsplit("choose from", 1)[1] for name in RULES)


def test_every_code_and_form_has_one_english_text() -> None:
    assert set(TEXTS) == set(text_keys())
    assert all(forms(code) for code in Code)


def _statements(outcome: Any) -> list[Any]:
    return [*outcome.explanations.values(), *outcome.notes]


REAL = [
    ("Netherlands_Assen_2024.pb", {}),
    ("Netherlands_Assen_2024.pb", {"rule": "greedy"}),
    ("Netherlands_Amsterdam_309.pb", {"rule": "greedy-no-skip"}),
    ("Poland_Swiecie_2023.pb", {"eligibility_rule": "cost-share"}),
    ("Poland_Wieliczka_2023_Green_Budget.pb", {"comparison": "exclusion-ratio"}),
    ("Switzerland_Zurich_D10.pb", {"rule": "mes", "completion": "add1u"}),
]


@pytest.mark.parametrize(("name", "options"), REAL, ids=[f"{n}-{o}" for n, o in REAL])
def test_explanations_are_data_and_render(name: str, options: dict[str, Any]) -> None:
    out = count(read_pb(PABULIB / name), jobs=1, **options)
    for statement in _statements(out):
        assert isinstance(statement.code, Code)
        for key, value in statement.data.items():
            # figures, never words: amounts exact, ids and kinds without spaces
            assert not isinstance(value, str) or " " not in value, (key, value)
            if key in AMOUNT_KEYS:
                assert isinstance(value, int | Fraction), (key, value)
        text = render_english(statement)
        assert text and "{" not in text
    for project in out.to_json()["projects"]:
        assert project["code"] in {c.value for c in Code}
        assert project["reason"] == render_english(out.explanations[project["project_id"]])
        json.dumps(project["data"])  # amounts became strings


def test_json_keeps_its_shape() -> None:
    out = count(read_pb(PABULIB / "Netherlands_Assen_2024.pb"))
    project = out.to_json()["projects"][0]
    assert list(project) == [
        "project_id",
        "name",
        "cost",
        "votes",
        "funded",
        "code",
        "reason",
        "data",
    ]
    assert project["code"] == "mes-funded"
    data = project["data"]
    # the keys there were, then the figures added when the sentence left the engine
    assert list(data) == [
        "round",
        "effective_votes",
        "payments",
        "per_voter_budget",
        "paying_supporters",
        "most_paid",
        "some_paid_all_they_had",
    ]
    assert data["per_voter_budget"] == out.to_json()["per_voter_budget"]
    assert {"amount", "voters", "all_they_had"} == set(data["payments"][0])
    assert all(isinstance(data[k], str) for k in ("per_voter_budget", "most_paid"))


def test_free_and_unsupported_projects_are_explained() -> None:
    out = count(SMALL, rule="mes")
    assert out.explanations["e"].code == Code.MES_FUNDED_FREE
    assert render_english(out.explanations["e"]) == (
        "Funded before the first round of equal shares: it costs nothing."
    )
    assert out.explanations["d"].code == Code.NO_SUPPORT
    assert render_english(out.explanations["d"]) == "Not funded: no voter supported it."
    greedy = count(SMALL, rule="greedy")
    assert greedy.explanations["e"].code == Code.GREEDY_FUNDED


def test_what_if_results_are_notes() -> None:
    report = explain_project(SMALL, "c", rule="mes")
    assert report.explanation.code == Code.MES_UNAFFORDABLE
    assert [note.code for note in report.what_if] == [
        Code.WHAT_IF_CHEAPER,
        Code.WHAT_IF_MORE_SUPPORTERS,
    ]
    cheaper = report.what_if[0]
    assert cheaper == Note(
        Code.WHAT_IF_CHEAPER,
        {
            "cheaper_to": report.cheaper_to,
            "cheaper_by": report.cheaper_by,
            "not_funded_at": (report.cheaper_to or 0) + 1,
        },
    )
    info = report.to_json()
    assert info["what_if"] == [render_english(note) for note in report.what_if]
    assert info["cheaper_to"] == str(report.cheaper_to)
