"""budgeting.explanations: the counting engine's codes in Dutch and English (gettext)."""

from __future__ import annotations

import re
import string
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import translation

from wijkwerk.budgeting import explanations as counting_explanations
from wijkwerk.budgeting.explanations import TEXTS, render
from wijkwerk.counting import Code, Election, count, english, read_pb
from wijkwerk.counting.codes import Statement, text_keys
from wijkwerk.counting.explain import explain_project

PABULIB = Path(__file__).resolve().parents[2].parent / "shared" / "pabulib"

# words of the English texts that Dutch does not share
ENGLISH = re.compile(
    r"\b(the|its|of|and|funded|round|left|cost|costs|paid|paying|voters?|supporters?|votes?|"
    r"shares?|less|than|only|when|which|not|would|been|each|anyone|they|fit|number|enough|"
    r"money|prefer|outcome|greedy|comparison|satisfaction|exclusion|equal|points?|got|even|"
    r"more|after|before|nothing)\b",
    re.IGNORECASE,
)

PLACEHOLDER = re.compile(r"\{[^}]*\}")


def _fields(template: str) -> set[tuple[str | None, str | None]]:
    return {(name, spec) for _text, name, spec, _conv in string.Formatter().parse(template)}


def test_every_code_has_an_english_and_a_dutch_text() -> None:
    assert set(TEXTS) == set(text_keys())
    for key in text_keys():
        with translation.override("en"):
            en = str(TEXTS[key])
        with translation.override("nl"):
            nl = str(TEXTS[key])
        assert en == english.TEXTS[key], key  # the web's English is the CLI's
        assert nl != en, f"no Dutch for {key}"
        assert _fields(nl) == _fields(en), key  # the same figures, in the same notation
        assert not ENGLISH.search(PLACEHOLDER.sub("", nl)), (key, nl)


def _real_statements() -> list[Statement]:
    statements: list[Statement] = []
    for name, settings in (
        ("Poland_Wieliczka_2023_Green_Budget.pb", {"comparison": "exclusion-ratio"}),
        ("Netherlands_Assen_2024.pb", {"rule": "greedy"}),
        ("Netherlands_Amsterdam_309.pb", {"rule": "greedy-no-skip"}),
        ("Poland_Swiecie_2023.pb", {"eligibility_rule": "cost-share"}),
        ("Switzerland_Zurich_D10.pb", {"rule": "mes", "completion": "add1u"}),
    ):
        outcome = count(read_pb(PABULIB / name), jobs=1, **settings)
        statements += [*outcome.explanations.values(), *outcome.notes]
    return statements


def test_dutch_rendering_of_real_elections_has_no_english() -> None:
    statements = _real_statements()
    codes = {s.code for s in statements}
    assert {Code.MES_FUNDED, Code.MES_UNAFFORDABLE, Code.GREEDY_FUNDED, Code.COMPARISON} <= codes
    with translation.override("nl"):
        for statement in statements:
            text = render(statement)
            assert text and "{" not in text
            assert not ENGLISH.search(text), text


def test_numbers_in_the_active_languages_notation() -> None:
    election = Election.from_approvals(
        2_000_000, [1_500_000, 1_200_000], [[0], [0], [1]], project_ids=["a", "b"]
    )
    outcome = count(election, rule="greedy")
    b = outcome.explanations["b"]
    with translation.override("nl"):
        assert render(b) == (
            "Niet gefinancierd: het stond op plaats 2 naar stemmen (1); toen het aan de beurt "
            "was, was er nog maar 500.000 over, minder dan de kosten van 1.200.000."
        )
    with translation.override("en"):
        assert render(b) == (
            "Not funded: it was number 2 by votes (1); when its turn came only 500,000 was "
            "left, less than its cost of 1,200,000."
        )
    assert english.render(b) == (
        "Not funded: it was number 2 by votes (1); when its turn came only 500000 was "
        "left, less than its cost of 1200000."
    )


@pytest.mark.parametrize(
    ("value", "spec", "dutch"),
    [
        (1234567, "", "1.234.567"),
        ("12.5", "", "12,5"),
        ("1/3", "", "0,33"),
        ("1/3", "rounded", "0,33"),
        (3000, "rounded", "3.000"),
        (22.716, ".2f", "22,72"),
    ],
)
def test_figures(value: object, spec: str, dutch: str) -> None:
    number = Fraction(value) if isinstance(value, str) else value
    with translation.override("nl"):
        assert format(counting_explanations._Localized(number), spec) == dutch


def test_what_if_results_in_dutch() -> None:
    election = Election.from_approvals(
        10, [4, 4, 6], [[0, 1], [0, 2], [1], [2], [0]], project_ids=["a", "b", "c"]
    )
    report = explain_project(election, "c", rule="mes")
    assert report.what_if
    with translation.override("nl"):
        for note in report.what_if:
            assert not ENGLISH.search(render(note)), render(note)
