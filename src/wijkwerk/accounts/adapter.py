"""allauth adapters: account e-mail goes through the notification layer (and so the task queue)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from wijkwerk.core import notifications as mail

from .notifications import event_for
from .roles import role_index

# The invitation a visitor opened before logging in or signing up (views.invitation): after
# logging in they come back to it.
PENDING_INVITATION = "wijkwerk_invitation"


def landing_url(user: Any) -> str:
    """Where a person starts: officials with a work queue on it, everyone else on their
    profile."""
    if role_index(user).is_official and user.has_perm(settings.WIJKWERK_WORK_QUEUE_PERMISSION):
        return reverse(settings.WIJKWERK_WORK_QUEUE_URL)
    return reverse(settings.LOGIN_REDIRECT_URL)


# What allauth's mail context holds that is no part of the mail: the worker has neither.
_REQUEST_ONLY = ("request", "current_site")


def _packable(value: Any) -> Any:
    try:
        mail.pack(value)
    except TypeError:
        return str(value)
    return value


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # A locked-out account + address gets axes' lockout page on every attempt. Without this
        # check allauth's own rate limit answers first (it stops before authenticate() is called,
        # where axes would look), and the visitor sees a plain form error after the lock-out page.
        if not AxesProxyHandler.is_allowed(request, credentials):
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # (allauth asks only when the login form had no safe `next`)
        token = request.session.get(PENDING_INVITATION)
        if isinstance(token, str) and token:
            return reverse("accounts:invitation", kwargs={"token": token})
        return landing_url(request.user)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # Mails go out in the language the person signed up in (they can change it on their
        # profile).
        user.language = translation.get_language() or user.language
        return super().save_user(request, user, form, commit)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every allauth mail (confirmation, password reset, "account already exists", ...) as
        an event of `accounts.notifications`: queued once the sign-up or change that caused it
        commits, rendered by the worker in the person's language (an address without an account
        gets the visitor's), signed by the municipality of their home area or by the site."""
        user = context.get("user")
        account = user if getattr(user, "pk", None) is not None else None
        data = {key: _packable(value) for key, value in context.items() if key not in _REQUEST_ONLY}
        data.update({"email": email, "template_prefix": template_prefix, "user": account})
        mail.notify(
            event_for(template_prefix),
            recipients=[
                mail.Recipient(email=email, language=translation.get_language() or "", user=account)
            ],
            context=data,
        )
