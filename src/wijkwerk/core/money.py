"""Money: integer cents everywhere, one Dutch formatter and one parser for what people type.

Amounts are never floats. `format_money(125000)` gives "€ 1.250,00", the one way amounts are
written for people, on pages, in mails, messages and letters (the template filter `money`,
`{% load money %}`, calls it). `parse_eur("1.250,00")` gives 125000; the parser accepts what
Dutch users type and what spreadsheets paste: "1.250,00", "1250", "1250,5", "1250.50",
"€ 1.250", "EUR 1,250.00".
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# EUR 100 million: far above any municipal fund, low enough that a typo of extra digits is caught.
MAX_CENTS = 10_000_000_000

_PREFIX = re.compile(r"^(eur|€)\s*", re.IGNORECASE)
_THOUSANDS_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMAS = re.compile(r"^\d{1,3}(,\d{3})+$")


def _number(cents: int) -> str:
    """The amount without the euro sign, as a form field shows it: 125000 -> "1.250,00"."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    grouped = f"{euros:,}".replace(",", ".")
    return f"{sign}{grouped},{rest:02d}"


def format_money(cents: int) -> str:
    """An amount for people, as Dutch government sites write it: 125000 -> "€ 1.250,00",
    69550 -> "€ 695,50", -50 -> "€ -0,50"."""
    return f"€ {_number(cents)}"


def cents_to_decimal(cents: int) -> Decimal:
    """For exports: an exact Decimal in euros (125050 -> Decimal("1250.50"))."""
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))


class AmountError(ValueError):
    """The text is not an amount in euros; `args[0]` is a message for the user."""


def _normalise(text: str) -> str:
    value = _PREFIX.sub("", text.strip()).replace(" ", "").replace("\u00a0", "")
    if value.startswith("+"):
        value = value[1:]
    if "." in value and "," in value:
        # Both separators: the last one is the decimal mark, the other groups thousands.
        decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        whole, _sep, fraction = value.rpartition(decimal_mark)
        groups = r"\d{1,3}(" + re.escape(thousands) + r"\d{3})*"
        if not re.fullmatch(groups, whole.lstrip("-")):
            raise AmountError(_("Enter an amount in euros, for example 1.250,00."))
        return whole.replace(thousands, "") + "." + fraction
    if "," in value:
        if _THOUSANDS_COMMAS.match(value.lstrip("-")) and value.count(",") > 1:
            return value.replace(",", "")
        return value.replace(",", ".")
    if _THOUSANDS_DOTS.match(value.lstrip("-")):
        # "1.250" is one thousand two hundred and fifty in Dutch, not one and a quarter.
        return value.replace(".", "")
    return value


def parse_eur(text: str, *, max_cents: int = MAX_CENTS) -> int:
    """The amount in cents; raises AmountError with a user-facing message."""
    if not text or not text.strip():
        raise AmountError(_("Enter an amount."))
    normalised = _normalise(text)
    if not re.fullmatch(r"-?\d+(\.\d*)?|-?\.\d+", normalised):
        raise AmountError(_("Enter an amount in euros, for example 1.250,00."))
    try:
        amount = Decimal(normalised)
    except InvalidOperation as error:
        raise AmountError(_("Enter an amount in euros, for example 1.250,00.")) from error
    _sign, digits, exponent = amount.as_tuple()
    # digits below the cents must be zeros; read from the digits, since quantize() fails on
    # numbers longer than the decimal context's 28 digits
    if isinstance(exponent, int) and exponent < -2 and any(digits[exponent + 2 :]):
        raise AmountError(_("An amount has at most two decimals (whole cents)."))
    if amount < 0:
        raise AmountError(_("The amount cannot be negative."))
    if amount * 100 > max_cents:
        raise AmountError(
            _("The amount is too large: at most %(max)s.") % {"max": format_money(max_cents)}
        )
    return int(amount * 100)


class EuroField(forms.CharField):
    """A form field for an amount in euros, cleaned to integer cents.

    `allow_zero=False` (the default) refuses € 0,00; `max_cents` caps the amount.
    """

    def __init__(
        self, *, allow_zero: bool = False, max_cents: int = MAX_CENTS, **kwargs: Any
    ) -> None:
        self.allow_zero = allow_zero
        self.max_cents = max_cents
        kwargs.setdefault(
            "help_text", _("In euros, for example 1.250,00. Use a comma for the cents.")
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "30"})
        return attrs

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return _number(value)
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > 30:
            raise ValidationError(
                _("Enter an amount in euros, for example 1.250,00."), code="invalid"
            )
        try:
            cents = parse_eur(text, max_cents=self.max_cents)
        except AmountError as error:
            raise ValidationError(str(error.args[0]), code="invalid") from error
        if cents == 0 and not self.allow_zero:
            raise ValidationError(_("The amount must be more than zero."), code="zero")
        return cents
