"""The weekly digest: one mail per person with every update kept for them (`DigestItem`s the
router wrote), in their language, then the items go.

Run by `manage.py send_digests` (cron, weekly) or the task `tasks.send_weekly_digests` (the task
worker). Recipients are taken 1,000 at a time, each batch in one transaction and a fixed number of
queries (the next 1,000 people with items, their items locked, their accounts, one delete):

- idempotent: a digest's items are deleted in the transaction that sends it, so a second run
  finds nothing to send; two runs at once skip each other's locked items (PostgreSQL);
- a mail the server refuses keeps its items for the next run; if the process dies after sending
  but before the commit, that batch goes again next time (at least once, never lost);
- the mail carries `List-Unsubscribe` for all weekly digests (`notifications.headers`) and a link
  to the settings page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import mailers
from django.db import connection as db_connection
from django.db import transaction

from wijkwerk.core import notifications
from wijkwerk.core.notifications import Recipient

from .models import DigestItem
from .notifications import DIGEST

logger = logging.getLogger(__name__)

BATCH = 1000


@dataclass
class DigestRun:
    mails: int = 0  # digests sent
    items: int = 0  # updates they held
    dropped: int = 0  # items of inactive accounts or accounts without an address, removed
    failed: int = 0  # digests the mail server refused (items kept)
    batches: int = 0


def _groups(items: list[DigestItem]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, str]]] = {}
    for item in items:
        groups.setdefault(item.target_label, []).append({"line": item.line, "link": item.link})
    return [{"label": label, "items": lines} for label, lines in groups.items()]


def _batches(size: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            DigestItem.objects.filter(user_id__gt=last)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()[:size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def send_digests(*, batch: int = BATCH, mail_connection: Any = None) -> DigestRun:
    run = DigestRun()
    event = notifications.event(DIGEST)
    user_model = get_user_model()
    mailer = mail_connection or mailers.default
    skip_locked = db_connection.features.has_select_for_update_skip_locked
    mailer.open()  # one connection to the mail server for the whole run
    try:
        _send(run, event, user_model, mailer, batch=batch, skip_locked=skip_locked)
    finally:
        mailer.close()
    return run


def _send(
    run: DigestRun, event: Any, user_model: Any, mailer: Any, *, batch: int, skip_locked: bool
) -> None:
    for user_ids in _batches(batch):
        run.batches += 1
        with transaction.atomic():
            items = DigestItem.objects.filter(user_id__in=user_ids).order_by(
                "user_id", "created_at", "id"
            )
            if skip_locked:
                items = items.select_for_update(skip_locked=True)
            by_user: dict[int, list[DigestItem]] = {}
            for item in items.only("id", "user_id", "line", "link", "target_label"):
                by_user.setdefault(item.user_id, []).append(item)
            users = user_model._default_manager.filter(pk__in=list(by_user)).only(
                "id", "email", "full_name", "language", "is_active"
            )
            done: list[int] = []
            for user in users:
                kept = by_user[user.pk]
                if not user.is_active or not user.email:
                    run.dropped += len(kept)
                    done.extend(item.pk for item in kept)
                    continue
                recipient = Recipient(
                    email=user.email,
                    language=notifications._language(user.language),
                    name=str(user.display_name or ""),
                    user=user,
                )
                context = {"items": kept, "groups": _groups(kept)}
                message = notifications.render(event, recipient, context)
                try:
                    mailer.send_messages([message])
                except Exception:  # a refused address must not stop everyone's digest
                    logger.exception("weekly digest to user %s not sent", user.pk)
                    run.failed += 1
                    continue
                run.mails += 1
                run.items += len(kept)
                done.extend(item.pk for item in kept)
            # accounts deleted since: their items went with them (CASCADE)
            DigestItem.objects.filter(pk__in=done).delete()
