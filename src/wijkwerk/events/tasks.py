"""The day-before reminders as a task for the worker (django-tasks), e.g. enqueued by
`manage.py send_event_reminders --enqueue` from cron."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def send_event_reminders() -> int:
    return services.send_reminders()
