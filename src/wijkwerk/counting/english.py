"""English sentences for the codes of :mod:`wijkwerk.counting.codes` (the CLI and the JSON).

One format string per ``(code, form)``. Placeholders name the statement's fields: for a
project's explanation its ``cost`` and ``votes`` and the keys of its data. An amount is
written exactly (``{cost}``: ``12.5``, ``1/3``) or, with ``{x:rounded}``, to two decimals
unless it is whole (money left over after shares, which is rarely a short decimal).

The web app has its own renderer with gettext (``wijkwerk.budgeting.explanations``, Dutch
and English); its English texts are these, checked by a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from .codes import AMOUNT_KEYS, Code, Statement, text_key
from .model import format_amount

TEXTS: dict[tuple[Code, str], str] = {
    (Code.NO_SUPPORT, ""): "Not funded: no voter supported it.",
    (Code.BELOW_THRESHOLD, "point"): (
        "Not funded: it got {score} point, fewer than the minimum of {threshold}."
    ),
    (Code.BELOW_THRESHOLD, "points"): (
        "Not funded: it got {score} points, fewer than the minimum of {threshold}."
    ),
    (Code.BELOW_THRESHOLD, "vote"): (
        "Not funded: it got {score} vote, fewer than the minimum of {threshold}."
    ),
    (Code.BELOW_THRESHOLD, "votes"): (
        "Not funded: it got {score} votes, fewer than the minimum of {threshold}."
    ),
    (Code.COST_SHARE, ""): (
        "Not funded: its share of votes ({votes}/{voters}) is below a third of its share of "
        "the budget ({cost}/{budget})."
    ),
    (Code.GREEDY_FUNDED, ""): (
        "Funded: it was number {rank} by votes ({score}) and when its turn came {money_left} "
        "was left, enough for its cost of {cost}."
    ),
    (Code.GREEDY_DOES_NOT_FIT, ""): (
        "Not funded: it was number {rank} by votes ({score}); when its turn came only "
        "{money_left} was left, less than its cost of {cost}."
    ),
    (Code.GREEDY_STOPPED, ""): (
        "Not funded: it was number {rank} by votes ({score}), but the count stops at the first "
        "project that does not fit, which came earlier."
    ),
    (Code.MES_FUNDED, "each-paid-the-same"): (
        "Funded in round {round} of equal shares: its {paying_supporters} paying supporters "
        "shared its cost of {cost}, each paying {most_paid:rounded}."
    ),
    (Code.MES_FUNDED, "some-paid-all-they-had"): (
        "Funded in round {round} of equal shares: its {paying_supporters} paying supporters "
        "shared its cost of {cost}; the most anyone paid was {most_paid:rounded}, supporters "
        "with less money left paid all they had."
    ),
    (Code.MES_FUNDED_FREE, ""): "Funded before the first round of equal shares: it costs nothing.",
    (Code.MES_UNAFFORDABLE, "from-the-start"): (
        "Not funded: its supporters together had only {money_behind_it:rounded} of their "
        "shares, less than its cost of {cost}."
    ),
    (Code.MES_UNAFFORDABLE, "after-round"): (
        "Not funded: after round {after_round} its supporters had only "
        "{money_behind_it:rounded} left, less than its cost of {cost}."
    ),
    (Code.MES_UNAFFORDABLE, "after-round-outvoted"): (
        "Not funded: after round {after_round} its supporters had only "
        "{money_behind_it:rounded} left, less than its cost of {cost}. In round "
        "{lost_in_round} its effective vote count was {effective_votes:.2f} against "
        "{winner_effective_votes:.2f} for the project funded then ({winner})."
    ),
    (Code.ADD1U_FUNDED, ""): (
        "Funded in the completion step: equal shares left {money_left} unspent and this was "
        "the most-voted remaining project that fit."
    ),
    (Code.COMPARISON, "satisfaction"): (
        "comparison (satisfaction): {prefer_equal_shares} voters prefer the equal-shares "
        "outcome, {prefer_greedy} prefer the greedy outcome"
    ),
    (Code.COMPARISON, "exclusion-ratio"): (
        "comparison (exclusion-ratio): {prefer_equal_shares} voters prefer the equal-shares "
        "outcome, {prefer_greedy} prefer the greedy outcome"
    ),
    (Code.GREEDY_OUTCOME_USED, ""): "the greedy outcome is used",
    (Code.WHAT_IF_CHEAPER, ""): (
        "It would have been funded if it had cost at most {cheaper_to} ({cheaper_by} less); "
        "at {not_funded_at} it would not (checked by recounting)."
    ),
    (Code.WHAT_IF_NOT_EVEN_FREE, ""): "Even at no cost it would not have been funded.",
    (Code.WHAT_IF_MORE_SUPPORTERS, ""): (
        "It would have been funded with {extra_supporters} more supporters (voters who chose "
        "only this project); {not_enough} would not have been enough."
    ),
    (Code.WHAT_IF_NOT_EVEN_MORE_SUPPORTERS, ""): (
        "Even {limit} more supporters would not have been enough."
    ),
}


def rounded(value: int | Fraction) -> str:
    """An amount to two decimals, or whole when it is whole (``205.61``, ``3000``)."""
    exact = Fraction(value)
    if exact.denominator == 1:
        return str(exact.numerator)
    return f"{float(exact):.2f}"


class _Amount:
    """An amount in a format string: ``{x}`` exact, ``{x:rounded}`` to two decimals."""

    __slots__ = ("value",)

    def __init__(self, value: int | Fraction) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        if spec == "rounded":
            return rounded(self.value)
        return format(format_amount(self.value), spec)


def display_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """``fields`` with amounts wrapped for the format strings (other values as they are)."""
    return {
        key: _Amount(value) if key in AMOUNT_KEYS and isinstance(value, int | Fraction) else value
        for key, value in fields.items()
    }


def render(statement: Statement) -> str:
    """The English sentence of one explanation, note or what-if result."""
    return TEXTS[text_key(statement)].format_map(display_fields(statement.fields()))
