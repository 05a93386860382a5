"""core.ratelimit: limits per person and action, and the bound on mails one person causes another,
counted in the shared (database) cache over sliding windows."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from wijkwerk.core import ratelimit
from wijkwerk.core.ratelimit import Rate, RateLimited, check_rate_limits, limit, parse_rates

pytestmark = pytest.mark.django_db

ACTOR = SimpleNamespace(pk=7)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(ratelimit, "_now", clock)
    return clock


@pytest.fixture
def limits(settings: Any) -> dict[str, str]:
    settings.WIJKWERK_RATE_LIMITS = {"shout": "2/m,3/h", "mail_person": "4/d"}
    return settings.WIJKWERK_RATE_LIMITS


def allowed(action: str = "shout", mails_to: tuple[int | None, ...] = ()) -> bool:
    try:
        limit(ACTOR, action, mails_to=mails_to)
    except RateLimited:
        return False
    return True


def test_rates_are_read_as_allauth_writes_them() -> None:
    assert parse_rates("3/m, 10/h,20/d") == (Rate(3, 60), Rate(10, 3600), Rate(20, 86400))
    assert parse_rates("5/10m") == (Rate(5, 600),)
    assert parse_rates("") == ()
    for wrong in ("5", "5/x", "x/m", "5/am", "-1/m"):
        with pytest.raises(ImproperlyConfigured):
            parse_rates(wrong)


def test_a_wrong_limit_in_the_settings_fails_the_system_check(settings: Any) -> None:
    settings.WIJKWERK_RATE_LIMITS = {"message": "10/x"}
    [error] = check_rate_limits()
    assert error.id == "core.E001" and "message" in error.msg


def test_the_default_limits_pass_the_system_check() -> None:
    assert check_rate_limits() == []


def test_every_window_slides(clock: Clock, limits: dict[str, str]) -> None:
    assert [allowed() for _ in range(3)] == [True, True, False]  # 2 a minute
    clock.now += 61
    assert [allowed() for _ in range(2)] == [True, False]  # 3 an hour
    clock.now += 3600 - 61
    assert allowed()


def test_the_bound_is_per_pair_and_counts_every_action(
    clock: Clock, limits: dict[str, str]
) -> None:
    limits["other"] = "100/m"
    results = []
    for n in range(5):
        clock.now += 3600  # far apart: only the daily bound per pair counts
        results.append(allowed("shout" if n % 2 else "other", mails_to=(11,)))
    assert results == [True, True, True, True, False]
    assert allowed("other", mails_to=(12,)), "another person is not affected"
    assert allowed("other", mails_to=(ACTOR.pk, None)), "mails to oneself are not bounded"
    clock.now += 86_400
    assert allowed("other", mails_to=(11,)), "a day later"


def test_a_refused_attempt_counts_nothing(clock: Clock, limits: dict[str, str]) -> None:
    limits["mail_person"] = "1/d"
    assert allowed(mails_to=(11,))
    clock.now += 61
    assert not allowed(mails_to=(11,))  # refused by the bound for person 11 ...
    counted = cache.get(f"wijkwerk:rl:shout:{ACTOR.pk}")
    assert len(counted) == 1, "... and the attempt is not counted for the action either"


def test_the_messages_say_in_dutch_what_to_do(clock: Clock, limits: dict[str, str]) -> None:
    limits["mail_person"] = "1/d"
    allowed(mails_to=(11,))
    clock.now += 61
    with pytest.raises(RateLimited) as per_person:
        limit(ACTOR, "shout", mails_to=(11,))
    assert allowed() and allowed()
    with pytest.raises(RateLimited) as per_action:
        limit(ACTOR, "shout")
    with translation.override("nl"):
        assert "Probeer het morgen opnieuw." in per_person.value.messages[0]
        assert "te vaak kort na elkaar" in per_action.value.messages[0]
    with translation.override("en"):
        assert "try again tomorrow" in per_person.value.messages[0]


def test_a_lock_that_stays_taken_refuses(
    clock: Clock, limits: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ratelimit, "LOCK_WAIT", 0.05)
    cache.add(f"wijkwerk:rl:shout:{ACTOR.pk}:lock", 1, 10)
    assert not allowed(), "when counting is impossible the action is refused"
