"""Officials (anyone with a role) must set up two-factor login before they can do anything else."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .roles import role_index

# Pages an official without two-factor login may still reach: setting it up, logging out,
# switching language, and static files.
ALLOWED_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/static/", "/accounts/email/")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and (user.is_superuser or role_index(user).is_official)
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not is_mfa_enabled(user)
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
