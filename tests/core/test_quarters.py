from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkwerk.core.quarters import Quarter, QuarterError


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 9, 30)))
def test_a_day_lies_in_its_quarter_and_quarters_follow_each_other(day):
    quarter = Quarter.of(day)
    assert quarter.first_day <= day <= quarter.last_day
    assert quarter.next().previous() == quarter
    assert quarter.next().first_day - quarter.last_day == date(2000, 1, 2) - date(2000, 1, 1)
    assert Quarter.parse(quarter.slug) == quarter


def test_boundaries_of_the_year():
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2027, 1).previous() == Quarter(2026, 4)
    assert Quarter(2026, 3).first_day == date(2026, 7, 1)
    assert Quarter(2026, 3).last_day == date(2026, 9, 30)
    assert Quarter.parse("2026q2") == Quarter(2026, 2)


@pytest.mark.parametrize("text", ["", "2026", "2026-K5", "K3-2026", "26-K1", "1999-K1"])
def test_unreadable_quarters_are_refused_with_the_way_to_write_one(text):
    with pytest.raises(QuarterError):
        Quarter.parse(text)
