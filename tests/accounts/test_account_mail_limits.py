"""Mails to an address anyone can type in are bounded per day: password resets, and the
confirmation or "you already have an account" mail that a sign-up sends (allauth's rate limits,
with a daily bound per address added in settings; counted in the shared cache)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from allauth.core.internal import ratelimit as allauth_ratelimit
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD
from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch):
    """allauth's clock, moved forward by the test: limits per minute never bite."""
    clock = SimpleNamespace(now=time.time())
    monkeypatch.setattr(
        allauth_ratelimit,
        "time",
        SimpleNamespace(time=lambda: clock.now, monotonic=time.monotonic, sleep=time.sleep),
    )

    def advance(minutes: float) -> None:
        clock.now += minutes * 60

    return advance


def test_password_reset_mails_one_address_at_most_ten_times_a_day(
    later, smtp_server, django_capture_on_commit_callbacks, cast: Cast
):
    victim = cast.applicant
    statuses = []
    for _ in range(12):
        later(minutes=5)
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(reverse("account_reset_password"), {"email": victim.email})
        statuses.append(response.status_code)
    assert len(smtp_server.to(victim.email)) == 10
    assert statuses == [302] * 10 + [429] * 2


def test_sign_ups_with_an_existing_address_mail_it_at_most_ten_times_a_day(
    later, smtp_server, django_capture_on_commit_callbacks, cast: Cast
):
    victim = cast.applicant
    for n in range(12):
        later(minutes=5)
        with django_capture_on_commit_callbacks(execute=True):
            Client().post(
                reverse("account_signup"),
                {
                    "email": victim.email,
                    "full_name": f"Iemand {n}",
                    "password1": PASSWORD,
                    "password2": PASSWORD,
                },
            )
    assert len(smtp_server.to(victim.email)) == 10
