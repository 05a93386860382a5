"""Brute force: django-axes locks an address + account pair out; allauth limits failures per IP."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def login(client: Client, email: str, password: str, ip: str = "192.0.2.10"):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_the_account_for_this_address(
    client: Client, settings, cast: Cast
) -> None:
    user = cast.applicant
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, user.email, "wrong password")
        assert response.status_code == 200  # the form again, with its error
    locked = login(client, user.email, "wrong password")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert html.count("<h1") == 1
    assert "30" in html  # the cool-off time in minutes, read from the settings
    assert reverse("account_reset_password") in html
    # Even the right password does not get in while the lock holds.
    again = login(client, user.email, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_is_per_account_and_address(client: Client, settings, cast: Cast) -> None:
    user = cast.applicant
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.email, "wrong password", ip="192.0.2.10")
    # allauth also limits failures per account for five minutes, from any address, with a form
    # error rather than the lock-out page ...
    elsewhere = login(Client(), user.email, PASSWORD, ip="198.51.100.7")
    assert elsewhere.status_code == 200
    assert 'role="alert"' in elsewhere.content.decode()
    cache.clear()  # ... after which only axes' lock on the account + address pair is left:
    assert login(Client(), user.email, PASSWORD, ip="198.51.100.7").status_code == 302
    assert login(Client(), user.email, PASSWORD, ip="192.0.2.10").status_code == 429
    other = cast.neighbour
    assert login(Client(), other.email, PASSWORD, ip="192.0.2.10").status_code == 302


def test_successful_login_resets_the_count(client: Client, settings, cast: Cast) -> None:
    user = cast.applicant
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.email, "wrong password")
    assert login(client, user.email, PASSWORD).status_code == 302
    client.logout()
    assert not AccessAttempt.objects.filter(username=user.email, failures_since_start__gt=0)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, user.email, "wrong password").status_code == 200


def test_allauth_limits_failures_from_one_address_over_many_accounts(
    client: Client, cast: Cast
) -> None:
    """Trying many accounts once each (password spraying) trips allauth's per-IP limit."""
    # Eleven of the cast's people; the last, a resident, then comes with the right password.
    names = "neighbour outsider council_member broker other_broker alderman community_worker"
    users = [getattr(cast, name) for name in (*names.split(), "coordinator", "clerk", "admin")]
    users.append(cast.applicant)
    assert len({user.pk for user in users}) == 11
    for user in users[:10]:
        assert login(client, user.email, "wrong password").status_code == 200
    blocked = login(client, users[10].email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert blocked.status_code == 200
    html = blocked.content.decode()
    assert html.count("<h1") == 1
    assert 'role="alert"' in html
