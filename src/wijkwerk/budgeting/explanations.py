"""The counting engine's explanations in the reader's language (Dutch or English), by gettext.

`wijkwerk.counting` makes no sentences: every explanation of a project (and every note on a
count, and every what-if result) is a code with figures (`wijkwerk.counting.codes`). The CLI puts
them into English with `wijkwerk.counting.english`; the web app uses `render` below, which takes
the format string of the statement's code and form from gettext and writes the figures in the
active language's notation ("995.079" and "205,61" in Dutch). The message ids are the CLI's
English texts (a test keeps them equal), so English pages read as the CLI does.

`render(statement, money=True)` writes the amounts as the platform writes money ("€ 1.250,00";
amounts that are no whole cent rounded to one): the result pages count in euros, where the CLI
counts in whatever unit a file has. `statement_from_json` turns a stored explanation (the
engine's JSON: amounts as exact decimal strings) back into a statement to render.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.money import format_money
from wijkwerk.counting.codes import AMOUNT_KEYS, Code, Statement, text_key
from wijkwerk.counting.model import format_amount

TEXTS: dict[tuple[Code, str], Promise] = {
    (Code.NO_SUPPORT, ""): _("Not funded: no voter supported it."),
    (Code.BELOW_THRESHOLD, "point"): _(
        "Not funded: it got {score} point, fewer than the minimum of {threshold}."
    ),
    (Code.BELOW_THRESHOLD, "points"): _(
        "Not funded: it got {score} points, fewer than the minimum of {threshold}."
    ),
    (Code.BELOW_THRESHOLD, "vote"): _(
        "Not funded: it got {score} vote, fewer than the minimum of {threshold}."
    ),
    (Code.BELOW_THRESHOLD, "votes"): _(
        "Not funded: it got {score} votes, fewer than the minimum of {threshold}."
    ),
    (Code.COST_SHARE, ""): _(
        "Not funded: its share of votes ({votes}/{voters}) is below a third of its share of "
        "the budget ({cost}/{budget})."
    ),
    (Code.GREEDY_FUNDED, ""): _(
        "Funded: it was number {rank} by votes ({score}) and when its turn came {money_left} "
        "was left, enough for its cost of {cost}."
    ),
    (Code.GREEDY_DOES_NOT_FIT, ""): _(
        "Not funded: it was number {rank} by votes ({score}); when its turn came only "
        "{money_left} was left, less than its cost of {cost}."
    ),
    (Code.GREEDY_STOPPED, ""): _(
        "Not funded: it was number {rank} by votes ({score}), but the count stops at the first "
        "project that does not fit, which came earlier."
    ),
    (Code.MES_FUNDED, "each-paid-the-same"): _(
        "Funded in round {round} of equal shares: its {paying_supporters} paying supporters "
        "shared its cost of {cost}, each paying {most_paid:rounded}."
    ),
    (Code.MES_FUNDED, "some-paid-all-they-had"): _(
        "Funded in round {round} of equal shares: its {paying_supporters} paying supporters "
        "shared its cost of {cost}; the most anyone paid was {most_paid:rounded}, supporters "
        "with less money left paid all they had."
    ),
    (Code.MES_FUNDED_FREE, ""): _(
        "Funded before the first round of equal shares: it costs nothing."
    ),
    (Code.MES_UNAFFORDABLE, "from-the-start"): _(
        "Not funded: its supporters together had only {money_behind_it:rounded} of their "
        "shares, less than its cost of {cost}."
    ),
    (Code.MES_UNAFFORDABLE, "after-round"): _(
        "Not funded: after round {after_round} its supporters had only "
        "{money_behind_it:rounded} left, less than its cost of {cost}."
    ),
    (Code.MES_UNAFFORDABLE, "after-round-outvoted"): _(
        "Not funded: after round {after_round} its supporters had only "
        "{money_behind_it:rounded} left, less than its cost of {cost}. In round "
        "{lost_in_round} its effective vote count was {effective_votes:.2f} against "
        "{winner_effective_votes:.2f} for the project funded then ({winner})."
    ),
    (Code.ADD1U_FUNDED, ""): _(
        "Funded in the completion step: equal shares left {money_left} unspent and this was "
        "the most-voted remaining project that fit."
    ),
    (Code.COMPARISON, "satisfaction"): _(
        "comparison (satisfaction): {prefer_equal_shares} voters prefer the equal-shares "
        "outcome, {prefer_greedy} prefer the greedy outcome"
    ),
    (Code.COMPARISON, "exclusion-ratio"): _(
        "comparison (exclusion-ratio): {prefer_equal_shares} voters prefer the equal-shares "
        "outcome, {prefer_greedy} prefer the greedy outcome"
    ),
    (Code.GREEDY_OUTCOME_USED, ""): _("the greedy outcome is used"),
    (Code.WHAT_IF_CHEAPER, ""): _(
        "It would have been funded if it had cost at most {cheaper_to} ({cheaper_by} less); "
        "at {not_funded_at} it would not (checked by recounting)."
    ),
    (Code.WHAT_IF_NOT_EVEN_FREE, ""): _("Even at no cost it would not have been funded."),
    (Code.WHAT_IF_MORE_SUPPORTERS, ""): _(
        "It would have been funded with {extra_supporters} more supporters (voters who chose "
        "only this project); {not_enough} would not have been enough."
    ),
    (Code.WHAT_IF_NOT_EVEN_MORE_SUPPORTERS, ""): _(
        "Even {limit} more supporters would not have been enough."
    ),
}

_CENT = Decimal("0.01")


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


class _Localized:
    """A figure in a format string, written in the active language's notation.

    Amounts: ``{x}`` exact when the decimal ends (else to two decimals), ``{x:rounded}`` to
    two decimals unless whole; floats take their format spec (``{x:.2f}``); whole numbers are
    grouped by thousands.
    """

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        value = self.value
        if isinstance(value, float):
            text = format(value, spec)
            places = len(text.partition(".")[2])
            return number_format(Decimal(text), decimal_pos=places, force_grouping=True)
        exact = Fraction(value)
        if exact.denominator == 1:
            return number_format(exact.numerator, force_grouping=True)
        written = format_amount(exact)
        if spec != "rounded" and "/" not in written:
            return number_format(Decimal(written), force_grouping=True)
        cents = _decimal(exact).quantize(_CENT, rounding=ROUND_HALF_EVEN)
        return number_format(cents, decimal_pos=2, force_grouping=True)


class _Money:
    """An amount of euros in a format string, written as money: "€ 1.250,00" (to the nearest
    cent, half to even, when it is no whole cent)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        cents = (_decimal(Fraction(self.value)) * 100).quantize(1, rounding=ROUND_HALF_EVEN)
        return format_money(int(cents))


# Data keys that are money (the threshold of `below-threshold` counts votes or points).
MONEY_KEYS = (AMOUNT_KEYS - {"threshold"}) | {"cost", "not_funded_at"}


def _is_number(value: Any) -> bool:
    return isinstance(value, float | Fraction) or (
        isinstance(value, int) and not isinstance(value, bool)
    )


def _localized(fields: Mapping[str, Any], money: bool = False) -> dict[str, Any]:
    return {
        key: (_Money(value) if money and key in MONEY_KEYS else _Localized(value))
        if _is_number(value)
        else value
        for key, value in fields.items()
    }


def render(statement: Statement, *, money: bool = False) -> str:
    """The sentence of one explanation, note or what-if result, in the active language;
    `money`: the amounts are euros, written as money."""
    return str(TEXTS[text_key(statement)]).format_map(_localized(statement.fields(), money))


class StoredStatement:
    """An explanation or note read back from the engine's JSON (`Explanation.to_json`)."""

    def __init__(self, code: str, data: Mapping[str, Any]) -> None:
        self.code = Code(code)
        self.data = {
            key: Fraction(value) if key in AMOUNT_KEYS and isinstance(value, str) else value
            for key, value in data.items()
        }

    def fields(self) -> Mapping[str, Any]:
        return self.data


def statement_from_json(project: Mapping[str, Any]) -> StoredStatement:
    """The statement of one project of `Outcome.to_json()["projects"]`: its code, with its cost
    and votes beside the data, as `Explanation.fields` gives them."""
    return StoredStatement(
        project["code"],
        {"cost": Fraction(project["cost"]), "votes": project["votes"], **project["data"]},
    )
