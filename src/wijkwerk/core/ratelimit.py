"""Limits on what one person can make the platform do to others, counted in the shared cache.

The cache is the database cache (settings.CACHES), so every app process counts the same attempts.
A limit is written as allauth writes its own: "AMOUNT/PERIOD", PERIOD being s, m, h or d with an
optional number in front ("5/10m"), several separated by commas. Each is a sliding window over
the times of the attempts it allowed.

`settings.WIJKWERK_RATE_LIMITS` gives the limit of each action, counted per person, and under
`mail_person` the bound on the mails one person's actions may send one other person. A service
calls `limit()` before it writes anything: a refused action saves nothing and mails no one.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext_lazy as _

MAIL_PERSON = "mail_person"
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
LOCK_TIMEOUT = 10  # seconds; a lock left by a process that died is gone after this
LOCK_WAIT = 2.0  # seconds to wait for another request counting the same thing


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: float


class RateLimited(ValidationError):
    """Refused because the actor did this too often; the message is for the user."""


@functools.lru_cache(maxsize=64)
def parse_rates(text: str) -> tuple[Rate, ...]:
    """ "3/m,10/h" -> (Rate(3, 60), Rate(10, 3600))."""
    rates = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        amount, slash, period = part.partition("/")
        unit, number = period[-1:], period[:-1]
        if not slash or unit not in UNITS or not amount.isdigit():
            raise ImproperlyConfigured(f"Rate limit {part!r}: write it as AMOUNT/PERIOD, e.g. 5/m.")
        try:
            seconds = float(number or 1) * UNITS[unit]
        except ValueError:
            raise ImproperlyConfigured(f"Rate limit {part!r}: unknown period.") from None
        rates.append(Rate(int(amount), seconds))
    return tuple(rates)


def _now() -> float:
    return time.time()


@contextmanager
def _locked(key: str) -> Iterator[bool]:
    """Hold the lock of `key` (an atomic add in the shared cache); False when it stays taken."""
    lock = f"{key}:lock"
    deadline = time.monotonic() + LOCK_WAIT
    pause = 0.01
    while not cache.add(lock, 1, LOCK_TIMEOUT):
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(pause)
        pause = min(pause * 2, 0.1)
    try:
        yield True
    finally:
        cache.delete(lock)


def _take(key: str, rates: tuple[Rate, ...], now: float) -> bool:
    """Count an attempt at `now` under `key` if every rate still allows one."""
    if not rates:
        return True
    window = max(rate.seconds for rate in rates)
    with _locked(key) as locked:
        if not locked:
            return False  # counting failed: refusing is the safe side
        times = [t for t in cache.get(key, []) if t > now - window]
        for rate in rates:
            if sum(1 for t in times if t > now - rate.seconds) >= rate.amount:
                return False
        cache.set(key, [now, *times], math.ceil(window))
        return True


def _give_back(key: str, now: float, rates: tuple[Rate, ...]) -> None:
    with _locked(key) as locked:
        if locked:
            times = cache.get(key, [])
            if now in times:
                times.remove(now)
                cache.set(key, times, math.ceil(max(rate.seconds for rate in rates)))


def limit(actor: Any, action: str, *, mails_to: Iterable[int | None] = ()) -> None:
    """Count one `action` of `actor` that mails the users with ids `mails_to`.

    Raises RateLimited, counting nothing, when the actor did `action` too often, or when the
    platform already mailed one of those people as often as `mail_person` allows on account of
    this actor. Mails to oneself are not bounded.
    """
    limits = settings.WIJKWERK_RATE_LIMITS
    now = _now()
    checks = [
        (
            f"wijkwerk:rl:{action}:{actor.pk}",
            parse_rates(limits.get(action, "")),
            _("You did this too often in a short time. Please wait a while and try again."),
        )
    ]
    for recipient in sorted({pk for pk in mails_to if pk is not None and pk != actor.pk}):
        checks.append(
            (
                f"wijkwerk:rl:{MAIL_PERSON}:{actor.pk}:{recipient}",
                parse_rates(limits.get(MAIL_PERSON, "")),
                _(
                    "This person has already received as many e-mails about your messages and "
                    "offers as we send in a day. Please try again tomorrow."
                ),
            )
        )
    taken: list[tuple[str, tuple[Rate, ...]]] = []
    for key, rates, message in checks:
        if not _take(key, rates, now):
            for done, done_rates in taken:
                _give_back(done, now, done_rates)
            raise RateLimited(message, code="rate_limited")
        taken.append((key, rates))


def spent(actor: Any, action: str) -> bool:
    """Whether `action` of `actor` is at its limit now, counting nothing: one read of the
    shared cache, no lock. For a limit counted only on failures (`limit` after a failure):
    asked before each try, so that what is spent stops the tries that would succeed too."""
    rates = parse_rates(settings.WIJKWERK_RATE_LIMITS.get(action, ""))
    if not rates:
        return False
    now = _now()
    times = cache.get(f"wijkwerk:rl:{action}:{actor.pk}", [])
    return any(sum(1 for t in times if t > now - rate.seconds) >= rate.amount for rate in rates)


def check_rate_limits(**kwargs: Any) -> list[checks.CheckMessage]:
    """System check: every limit in settings.WIJKWERK_RATE_LIMITS can be read."""
    errors: list[checks.CheckMessage] = []
    for name, text in settings.WIJKWERK_RATE_LIMITS.items():
        try:
            parse_rates(text)
        except ImproperlyConfigured as error:
            errors.append(checks.Error(f"WIJKWERK_RATE_LIMITS[{name!r}]: {error}", id="core.E001"))
    return errors
