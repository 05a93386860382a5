"""Parsing and formatting amounts in euros: Dutch notation in, integer cents out, never float.

Messages are checked in Dutch, the default language.
"""

from __future__ import annotations

import pytest
from django import forms
from hypothesis import example, given
from hypothesis import strategies as st

from wijkwerk.core.money import MAX_CENTS, AmountError, EuroField, format_money, parse_eur


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1.250,00", 125_000),
        ("1250", 125_000),
        ("1250.5", 125_050),
        ("1250,5", 125_050),
        ("1.250", 125_000),
        ("€ 1.250", 125_000),
        ("€ 1.250,00", 125_000),
        ("1,250.00", 125_000),
        ("1.234.567,89", 123_456_789),
        ("0,01", 1),
        (" 12,50 ", 1_250),
    ],
)
def test_parses_what_people_type(text: str, cents: int) -> None:
    assert parse_eur(text) == cents


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "negatief"),
        ("abc", "bijvoorbeeld"),
        ("12,345", "twee cijfers achter de komma"),
        ("1.2345", "twee cijfers achter de komma"),
        ("1e5", "bijvoorbeeld"),
        ("NaN", "bijvoorbeeld"),
        ("Infinity", "bijvoorbeeld"),
        ("99999999999", "te hoog"),
        ("", "Vul een bedrag in"),
        ("1.25.0", "bijvoorbeeld"),
    ],
)
def test_refuses_what_is_not_an_amount(text: str, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        parse_eur(text)


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (125_000, "€ 1.250,00"),
        (0, "€ 0,00"),
        (5, "€ 0,05"),
        (-15_000, "€ -150,00"),
        (30_000_000, "€ 300.000,00"),
        (69_550, "€ 695,50"),
    ],
)
def test_formats_in_dutch(cents: int, text: str) -> None:
    assert format_money(cents) == text


@given(st.integers(min_value=0, max_value=MAX_CENTS))
def test_formatting_and_parsing_round_trip(cents: int) -> None:
    assert parse_eur(format_money(cents)) == cents


@given(st.text(max_size=40))
@example("100000000000000000000000000")  # longer than Decimal's 28 digits once quantized
@example("1" * 40 + ",5")
@example("0," + "0" * 30 + "1")
@example("1.250,000")
def test_any_text_gives_cents_or_a_clean_error(text: str) -> None:
    try:
        cents = parse_eur(text)
    except AmountError:
        return
    assert isinstance(cents, int)
    assert 0 <= cents <= MAX_CENTS


class AmountForm(forms.Form):
    amount = EuroField(label="Bedrag")


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("0", "groter zijn dan nul"),
        ("0,00", "groter zijn dan nul"),
        ("-10", "negatief"),
        ("10000000000", "te hoog"),
        ("tien euro", "bijvoorbeeld"),
        ("1" * 31, "bijvoorbeeld"),
        ("", "verplicht"),
    ],
)
def test_form_field_errors(value: str, error: str) -> None:
    form = AmountForm({"amount": value})
    assert not form.is_valid()
    assert error in form.errors["amount"][0]


def test_form_field_cleans_to_cents() -> None:
    form = AmountForm({"amount": "1.250,50"})
    assert form.is_valid()
    assert form.cleaned_data["amount"] == 125_050
    assert 'value="1.250,50"' in str(AmountForm(initial={"amount": 125_050})["amount"])
