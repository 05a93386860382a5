"""Mails queued before the notification layer (`initiatives.notifications`, through
`core.notifications`): a worker that meets one still sends it, the new way. New code never queues
this task; it can go once no queue holds it any more."""

from __future__ import annotations

from django.tasks import task

from wijkwerk.core import notifications

from .models import Initiative
from .notifications import event_name


@task()
def send_initiative_mail(
    *, initiative_id: int, kind: str, recipient_id: int | None = None, note: str = ""
) -> None:
    initiative = Initiative.objects.filter(pk=initiative_id).first()
    if initiative is None:
        return
    notifications.deliver(
        event_name(kind),
        recipient={"user": recipient_id if recipient_id is not None else initiative.applicant_id},
        context=notifications.pack({"initiative": initiative, "kind": kind, "note": note}),
    )
