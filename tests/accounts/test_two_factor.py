"""Two-factor login (TOTP + recovery codes) is required of every official, asked at login."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory, totp_code
from tests.cast import Cast
from wijkwerk.accounts.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
# The cast's official of each role: Dorst's alderman, broker, community worker and
# coordinator, Oosterhout's clerk and admin.
HOLDER = {
    Role.ALDERMAN: "alderman",
    Role.BROKER: "broker",
    Role.COMMUNITY_WORKER: "community_worker",
    Role.AREA_COORDINATOR: "coordinator",
    Role.CLERK: "clerk",
    Role.ADMIN: "admin",
}


def test_the_cast_has_an_official_of_every_role(cast: Cast) -> None:
    assert set(HOLDER) == set(Role)
    for role, name in HOLDER.items():
        assert RoleAssignment.objects.filter(user=getattr(cast, name), role=role).exists()


def official_of(cast: Cast, role: Role) -> object:
    return getattr(cast, HOLDER[role])


def official_without_totp(cast: Cast, role: Role) -> object:
    """The cast's official of `role`, whose two-factor login is taken away."""
    user = official_of(cast, role)
    Authenticator.objects.filter(user=user).delete()
    return user


def login(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.parametrize("role", ALL_ROLES, ids=[r.value for r in ALL_ROLES])
@pytest.mark.parametrize("path", ["/", "/account/profiel/", "/beheer/"])
def test_official_without_totp_is_sent_to_set_it_up(
    client: Client, cast: Cast, role: Role, path: str
) -> None:
    client.force_login(official_without_totp(cast, role))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert f"next={path}" in response["Location"].replace("%2F", "/")


def test_superuser_without_totp_is_sent_to_set_it_up(client: Client) -> None:
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/")["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("path", ["/accounts/2fa/totp/activate/", "/static/wijkwerk/site.css"])
def test_official_without_totp_can_still_reach_set_up_and_static(
    client: Client, cast: Cast, path
) -> None:
    client.force_login(official_without_totp(cast, Role.BROKER))
    response = client.get(path)
    assert not (
        response.status_code == 302
        and response["Location"].startswith(reverse("mfa_activate_totp"))
    )


def test_official_without_totp_can_log_out(client: Client, cast: Cast) -> None:
    client.force_login(official_without_totp(cast, Role.CLERK))
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_resident_is_not_asked_for_two_factor(client: Client, cast: Cast) -> None:
    client.force_login(cast.applicant)
    assert client.get("/account/profiel/").status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES, ids=[r.value for r in ALL_ROLES])
def test_official_with_totp_passes(client: Client, cast: Cast, role: Role) -> None:
    user = official_of(cast, role)
    client.force_login(user)
    assert client.get("/account/profiel/").status_code == 200


def test_setting_up_totp_gives_recovery_codes_and_lets_the_official_in(
    client: Client, cast: Cast
) -> None:
    user = official_without_totp(cast, Role.BROKER)
    login(client, user.email)
    # allauth asks for the password once more before a change to two-factor login, so that a
    # session left open on a shared computer cannot be used to take the account over.
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert 'for="id_code"' in html
    secret = page.context["form"].secret
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert 'aria-invalid="true"' in wrong.content.decode()
    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert done["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert client.get("/account/profiel/").status_code == 200


def test_login_of_an_official_asks_the_code(client: Client, cast: Cast) -> None:
    user = cast.alderman
    response = login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # not logged in on the password alone
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    assert 'for="id_code"' in page.content.decode()
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_recovery_code_works_once_instead_of_the_app(client: Client, cast: Cast) -> None:
    user = cast.clerk
    codes = RecoveryCodes.activate(user).generate_codes()
    login(client, user.email)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    login(client, user.email)
    reused = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert reused.status_code == 200
    assert "_auth_user_id" not in client.session


def test_resident_login_needs_no_code(client: Client, cast: Cast) -> None:
    user = cast.applicant
    response = login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert client.session["_auth_user_id"] == str(user.pk)
