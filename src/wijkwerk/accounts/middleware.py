"""Officials (anyone with a role) must set up two-factor login before they can do anything else."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .roles import has_second_factor, role_index


@cache
def allowed_prefixes() -> tuple[str, ...]:
    """Pages an official without two-factor login may still reach: setting it up (which first
    asks for the password again), logging out, managing e-mail, switching language, static files.
    Resolved from URL names once, so moved URLs cannot silently lock officials out."""
    return (
        reverse("mfa_index"),  # everything under the two-factor URLs
        reverse("account_reauthenticate"),
        reverse("account_logout"),
        reverse("account_email"),
        reverse("set_language"),
        settings.STATIC_URL,
    )


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and (user.is_superuser or role_index(user).is_official)
            and not request.path.startswith(allowed_prefixes())
            and not has_second_factor(user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
