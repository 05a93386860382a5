"""allauth adapters: account e-mail goes through the task queue."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest

from .tasks import send_account_email


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

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Rendering happens here, in the request, so the visitor's language and host are used;
        # only the rendered text travels to the worker.
        request = self.request
        site = get_current_site(request)
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": site, **context},
        )
        html = None
        body = str(message.body)
        if isinstance(message, EmailMultiAlternatives):
            html = next(
                (str(content) for content, kind in message.alternatives if kind == "text/html"),
                None,
            )
        elif message.content_subtype == "html":
            html = body
        subject = str(message.subject)
        from_email = str(message.from_email)
        to = [str(address) for address in message.to]
        # Sent only once the sign-up or change that caused the mail is committed.
        transaction.on_commit(
            lambda: send_account_email.enqueue(
                subject=subject, body=body, html=html, from_email=from_email, to=to
            )
        )
