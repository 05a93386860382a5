"""What a count says about its outcome, as codes with data: no sentences.

The engine explains every project (why it was or was not funded), adds notes on the whole
count (the comparison step) and, in :func:`wijkwerk.counting.explain.explain_project`, the
results of the what-if searches. Each of these is a :class:`Code` with a dict of the figures
behind it; the sentences are made elsewhere, in the reader's language:
:mod:`wijkwerk.counting.english` for the CLI and the JSON, ``wijkwerk.budgeting.explanations``
(gettext: Dutch and English) for the web app. So the engine builds no text, and a new language
or a new wording needs no change here.

A code's wording may depend on its data (one point or several; funded in round 1 or later):
each code has one or more named *forms*, :func:`form` picks one from the data, and every
renderer has one format string per ``(code, form)`` (:func:`text_keys` lists them all).

Data values are exact: amounts (the keys in :data:`AMOUNT_KEYS`) are ``int`` or ``Fraction``,
counts and ranks ``int``; effective vote counts are ``float`` (they are shown rounded, and
those of the projects that lost a round only exist as floats). :func:`json_data` writes amounts
as exact decimal strings, as the rest of the JSON output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from .model import format_amount


class Code(StrEnum):
    """Stable codes (their values appear in the JSON output and never change meaning)."""

    # Not eligible, before any rule (data: see docs/counting.md, "Explanations").
    NO_SUPPORT = "no-support"
    BELOW_THRESHOLD = "below-threshold"
    COST_SHARE = "cost-share"
    # Greedy, and the greedy outcome chosen by the comparison step.
    GREEDY_FUNDED = "greedy-funded"
    GREEDY_DOES_NOT_FIT = "greedy-does-not-fit"
    GREEDY_STOPPED = "greedy-stopped"
    # Method of Equal Shares and its completions.
    MES_FUNDED = "mes-funded"
    MES_FUNDED_FREE = "mes-funded-free"
    MES_UNAFFORDABLE = "mes-unaffordable"
    ADD1U_FUNDED = "add1u-funded"
    # Notes on the whole count.
    COMPARISON = "comparison"
    GREEDY_OUTCOME_USED = "greedy-outcome-used"
    # What-if searches of `wijkwerk explain`.
    WHAT_IF_CHEAPER = "what-if-cheaper"
    WHAT_IF_NOT_EVEN_FREE = "what-if-not-even-free"
    WHAT_IF_MORE_SUPPORTERS = "what-if-more-supporters"
    WHAT_IF_NOT_EVEN_MORE_SUPPORTERS = "what-if-not-even-more-supporters"


INELIGIBLE_CODES = frozenset({Code.NO_SUPPORT, Code.BELOW_THRESHOLD, Code.COST_SHARE})
"""Codes of projects that no rule may fund (the what-if searches skip them)."""

AMOUNT_KEYS = frozenset(
    {
        "amount",
        "budget",
        "cheaper_by",
        "cheaper_to",
        "cost",
        "money_behind_it",
        "money_left",
        "most_paid",
        "per_voter_budget",
        "threshold",
    }
)
"""Data keys that hold money (exact ``int``/``Fraction``; decimal strings in JSON)."""


class Statement(Protocol):
    """Anything a renderer can put into words: a code and the figures of its sentence."""

    @property
    def code(self) -> Code: ...

    def fields(self) -> Mapping[str, Any]:
        """The values the format strings may use."""
        ...


# NamedTuples rather than dataclasses here and in the other tables: a dataclass costs
# 0.3-0.5 ms to create at import, and every CLI run imports these.


class Note(NamedTuple):
    """A statement about the whole count (or a what-if search), not about one project."""

    code: Code
    data: Mapping[str, Any] = MappingProxyType({})

    def fields(self) -> Mapping[str, Any]:
        """The values the format strings may use: the data."""
        return self.data


class _Forms(NamedTuple):
    names: tuple[str, ...]
    choose: Callable[[Mapping[str, Any]], str]


def _threshold_form(fields: Mapping[str, Any]) -> str:
    unit = "point" if fields["unit"] == "points" else "vote"
    return unit if fields["score"] == 1 else unit + "s"


def _unaffordable_form(fields: Mapping[str, Any]) -> str:
    if "after_round" not in fields:
        return "from-the-start"
    return "after-round-outvoted" if "lost_in_round" in fields else "after-round"


_FORMS: dict[Code, _Forms] = {
    Code.BELOW_THRESHOLD: _Forms(("point", "points", "vote", "votes"), _threshold_form),
    Code.MES_FUNDED: _Forms(
        ("each-paid-the-same", "some-paid-all-they-had"),
        lambda f: "some-paid-all-they-had" if f["some_paid_all_they_had"] else "each-paid-the-same",
    ),
    Code.MES_UNAFFORDABLE: _Forms(
        ("from-the-start", "after-round", "after-round-outvoted"), _unaffordable_form
    ),
    Code.COMPARISON: _Forms(("satisfaction", "exclusion-ratio"), lambda f: str(f["kind"])),
}


def forms(code: Code) -> tuple[str, ...]:
    """The names of the forms of ``code`` (``("",)`` when its wording never varies)."""
    entry = _FORMS.get(code)
    return entry.names if entry is not None else ("",)


def form(code: Code, fields: Mapping[str, Any]) -> str:
    """The form of ``code`` that fits ``fields``."""
    entry = _FORMS.get(code)
    return entry.choose(fields) if entry is not None else ""


def text_keys() -> list[tuple[Code, str]]:
    """Every ``(code, form)`` a renderer needs a format string for."""
    return [(code, name) for code in Code for name in forms(code)]


def text_key(statement: Statement) -> tuple[Code, str]:
    """The ``(code, form)`` of one statement."""
    return statement.code, form(statement.code, statement.fields())


def json_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` ready for JSON: amounts as exact decimal strings, nested lists converted."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in AMOUNT_KEYS and isinstance(value, int | Fraction):
            out[key] = format_amount(value)
        elif isinstance(value, list):
            out[key] = [json_data(v) if isinstance(v, Mapping) else v for v in value]
        else:
            out[key] = value
    return out
