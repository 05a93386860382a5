"""The weekly digest as a task for the worker (django-tasks), e.g. enqueued by
`manage.py send_digests --enqueue` from cron, so the mail server's pace never holds up cron."""

from __future__ import annotations

from django.tasks import task

from . import digest


@task()
def send_weekly_digests() -> dict[str, int]:
    run = digest.send_digests(batch=digest.BATCH)
    return {"mails": run.mails, "items": run.items, "failed": run.failed}
