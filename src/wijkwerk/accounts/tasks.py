"""Account mails queued before the notification layer (`accounts.notifications`, through
`core.notifications`), already rendered: a worker that meets one still sends it. New code never
queues this task; it can go once no queue holds it any more."""

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
