"""allauth's pages and our profile. Keys in URLs are dummies: a visitor gets the real answer for
a wrong key (a 200 page saying the link is invalid). Pages that need a recent password entry
(two-factor changes) send every logged-in visitor to re-enter it first (302)."""

from ..framework import Case, everyone, logged_in

RESIDENTS = ("resident", "applicant", "council_member")
OFFICIALS = ("broker_other", "broker_this", "alderman", "clerk", "admin")


def only(status: int, visitors: tuple[str, ...], otherwise: int) -> dict[str, int]:
    return everyone(otherwise, **dict.fromkeys(visitors, status))


def _invitation(world) -> None:
    from wijkwerk.accounts.services import invitation_send

    _invitation, token = invitation_send(
        actor=world.users["admin"],
        email="uitgenodigd@example.org",
        role="clerk",
        municipality=world.municipality,
    )
    world.extra["token"] = token


def profile_data(world) -> dict[str, str]:
    return {"full_name": "Anna de Vries", "home_area": str(world.area.pk), "phone": ""}


CASES = [
    # Entrance: for visitors; someone logged in is sent on to their profile.
    Case("account_login", everyone(302, anonymous=200)),
    Case("account_signup", everyone(302, anonymous=200)),
    Case("account_confirm_login_code", everyone(302)),  # login by code is not switched on
    Case("account_reset_password", everyone(200)),
    Case("account_reset_password_done", everyone(200)),
    Case(
        "account_reset_password_from_key",
        everyone(200),
        kwargs=lambda w: {"uidb36": "1", "key": "not-a-real-key"},
        label="invalid key",
    ),
    Case("account_reset_password_from_key_done", everyone(200)),
    Case(
        "account_confirm_email",
        everyone(200),
        kwargs=lambda w: {"key": "not-a-real-key"},
        label="invalid key",
    ),
    Case("account_email_verification_sent", everyone(200)),
    Case("account_inactive", everyone(200)),
    # Logging out: the confirmation page for the logged in, the POST logs out.
    Case("account_logout", logged_in(200, anonymous=302)),
    Case("account_logout", everyone(302), method="post"),
    # Managing one's own account.
    Case("account_change_password", logged_in(200)),
    Case("account_set_password", everyone(302)),  # everyone has a password: sent to "change"
    Case("account_email", logged_in(200)),
    Case("account_reauthenticate", logged_in(200)),
    Case("accounts:profile", logged_in(200)),
    Case("accounts:profile", everyone(302), method="post", data=profile_data, label="valid"),
    Case(
        "accounts:profile",
        logged_in(400),
        method="post",
        data=lambda w: {"full_name": "x" * 151},
        label="invalid",
    ),
    # An invitation to a role: a wrong token is a clear page saying so (404); a real one is for
    # the person invited, so everyone logged in with another address is told so (403).
    Case(
        "accounts:invitation",
        everyone(404),
        kwargs=lambda w: {"token": "not-a-real-token"},
        label="invalid token",
    ),
    Case(
        "accounts:invitation",
        everyone(404, anonymous=302),
        kwargs=lambda w: {"token": "not-a-real-token"},
        method="post",
        label="invalid token",
    ),
    Case(
        "accounts:invitation",
        everyone(403, anonymous=200),
        kwargs=lambda w: {"token": w.extra["token"]},
        setup=_invitation,
    ),
    Case(
        "accounts:invitation",
        everyone(403, anonymous=302),
        kwargs=lambda w: {"token": w.extra["token"]},
        setup=_invitation,
        method="post",
    ),
    # Two-factor login. The login step itself is only reached halfway through a login.
    Case("mfa_authenticate", everyone(302)),
    Case("mfa_index", logged_in(200)),
    Case("mfa_activate_totp", everyone(302)),
    Case("mfa_generate_recovery_codes", everyone(302)),
    # Only those with an authenticator have something to turn off (officials in the world).
    Case("mfa_deactivate_totp", only(302, OFFICIALS, otherwise=404) | {"anonymous": 302}),
    # Officials in the world have TOTP but no recovery codes yet: nothing to view.
    Case("mfa_view_recovery_codes", logged_in(404)),
    Case("mfa_download_recovery_codes", logged_in(404)),
    # Re-entering a code instead of the password: for those with two-factor login.
    Case("mfa_reauthenticate", only(200, OFFICIALS, otherwise=302)),
]
