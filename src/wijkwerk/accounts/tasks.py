"""Account e-mail leaves the request: the worker sends it, so a slow or failing SMTP server
never blocks or breaks a login, sign-up or password reset."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task
def send_account_email(
    *, subject: str, body: str, html: str | None, from_email: str, to: list[str]
) -> None:
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
