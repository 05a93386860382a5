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

Speed (50,000 followers in well under a minute, `benchmarks/participation_digest.py`): one
connection to the mail server for the whole run; the mail of each language, number of updates
and kind of greeting is rendered once by `notifications.render` with marks where the person's
name, address, updates and unsubscribe link go (`_Frame`), and each person's mail is that frame
with the marks filled in, not four templates rendered again; the mails are written out as bytes
by `bulkmail.BulkMessage` (a fraction of what Django's own MIME builder costs); and a sender
thread hands them to the server while the next ones are made, so the server's replies (four per
mail: MAIL, RCPT, DATA, the end of the data) are not waited for in turn with the rest. The
batch's transaction waits for its last mail before it deletes what was sent.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import mailers
from django.db import connection as db_connection
from django.db import transaction
from django.utils.html import escape

from wijkwerk.core import notifications
from wijkwerk.core.notifications import Event, Recipient

from . import bulkmail
from . import notifications as follows_notifications
from .bulkmail import BulkMessage
from .models import DigestItem
from .notifications import DIGEST

logger = logging.getLogger(__name__)

BATCH = 1000
# How long a thread may keep the interpreter while another waits for it, during a run (Python's
# default, 5 ms, would keep the sender from each of the server's replies that long while the
# rendering goes on).
SWITCH_INTERVAL = 0.0002


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


# What a frame holds in place of each person's own text: NUL characters, which no template and
# no text of ours holds (and which HTML escaping leaves as they are).
_NAME = "\x00name\x00"
_EMAIL = "\x00email\x00"
_UPDATES = "\x00updates\x00"


@dataclass
class _Frame:
    """The digest of one language, number of updates and kind of greeting, as
    `notifications.render` makes it for a stand-in with marks for a name, an address and the
    updates; its unsubscribe link (the stand-in's) is a mark too. Text and HTML are kept split
    at their marks (every odd piece a mark), so a person's mail is a join of the pieces with
    their own values: what a value holds is never read as a mark.

    All that `notifications.render` reads of a recipient is in the key or marked: the language,
    the name (greeting), the address and the account (only its id, for the unsubscribe link). A
    template that came to read more of the person would need a mark of its own;
    `tests/follows/test_digest.py` compares the frames' mails with `render`'s to catch it."""

    event: Event
    message: Any
    text: list[str]
    html: list[str]
    unsubscribe: str

    @classmethod
    def render(cls, event: Event, language: str, count: int, *, named: bool) -> _Frame:
        stand_in = Recipient(
            email=_EMAIL, language=language, name=_NAME if named else "", user=SimpleNamespace(pk=0)
        )
        marked = dataclasses.replace(
            event,
            extra_context=lambda _data, _recipient: follows_notifications.digest_body(
                count, (_UPDATES, _UPDATES)
            ),
        )
        message = notifications.render(marked, stand_in, {"items": [None] * count, "groups": []})
        unsubscribe = message.extra_headers.get("List-Unsubscribe", "").strip("<>")
        marks = [_NAME, _EMAIL, _UPDATES, *([unsubscribe] if unsubscribe else [])]
        text = "|".join(re.escape(mark) for mark in marks)
        html = "|".join(re.escape(escape(mark)) for mark in marks)
        return cls(
            event=event,
            message=message,
            text=re.split(f"({text})", str(message.body)),
            html=re.split(f"({html})", str(message.alternatives[0][0])),
            unsubscribe=unsubscribe,
        )

    def mail(self, recipient: Recipient, updates: tuple[str, str]) -> BulkMessage:
        """The person's digest: the same as `notifications.render` would make for them."""
        # the digest's headers hook for this person (the frame holds the stand-in's)
        headers = {
            **self.message.extra_headers,
            **follows_notifications.headers(self.event, recipient, {}),
        }
        url = headers.get("List-Unsubscribe", "").strip("<>")
        text = {_NAME: recipient.name, _EMAIL: recipient.email, _UPDATES: updates[0]}
        html: dict[str, str] = {
            escape(_NAME): escape(recipient.name),
            escape(_EMAIL): escape(recipient.email),
            escape(_UPDATES): updates[1],
        }
        if self.unsubscribe:
            text[self.unsubscribe] = url
            html[escape(self.unsubscribe)] = escape(url)
        return BulkMessage(
            subject=self.message.subject,
            body=_filled(self.text, text),
            from_email=self.message.from_email,
            to=[notifications.mailbox(recipient.name, recipient.email)],
            reply_to=self.message.reply_to,
            headers=headers,
            alternatives=[(_filled(self.html, html), "text/html")],
        )


def _filled(pieces: list[str], values: dict[str, str]) -> str:
    return "".join(values[piece] if number % 2 else piece for number, piece in enumerate(pieces))


@dataclass
class _Frames:
    """A run's frames, each rendered when its first person comes."""

    event: Event
    frames: dict[tuple[str, int, bool], _Frame] = field(default_factory=dict)

    def mail(self, recipient: Recipient, items: list[DigestItem]) -> BulkMessage:
        key = (recipient.language, len(items), bool(recipient.name))
        if key not in self.frames:
            self.frames[key] = _Frame.render(self.event, key[0], key[1], named=key[2])
        updates = follows_notifications.digest_updates(_groups(items))
        return self.frames[key].mail(recipient, updates)


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


@dataclass
class _Sender:
    """Sends the mails handed to it over the run's one connection, in a thread of its own, and
    notes which were sent: (the person's id, sent or not)."""

    mailer: Any
    waiting: queue.Queue[tuple[int, Any] | None] = field(default_factory=lambda: queue.Queue(200))
    results: list[tuple[int, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, name="digest-sender", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (job := self.waiting.get()) is not None:
            user_id, message = job
            try:
                bulkmail.send(self.mailer, message)
            except Exception:  # a refused address must not stop everyone's digest
                logger.exception("weekly digest to user %s not sent", user_id)
                self.results.append((user_id, False))
            else:
                self.results.append((user_id, True))
            finally:
                self.waiting.task_done()
        self.waiting.task_done()

    def send(self, user_id: int, message: Any) -> None:
        self.waiting.put((user_id, message))

    def sent(self) -> list[tuple[int, bool]]:
        """Waits for everything handed over so far; its results, which are then forgotten."""
        self.waiting.join()
        results, self.results = self.results, []
        return results

    def stop(self) -> None:
        self.waiting.put(None)
        self.thread.join()


def send_digests(*, batch: int = BATCH, mail_connection: Any = None) -> DigestRun:
    run = DigestRun()
    frames = _Frames(notifications.event(DIGEST))
    user_model = get_user_model()
    mailer = mail_connection or mailers.default
    skip_locked = db_connection.features.has_select_for_update_skip_locked
    interval = sys.getswitchinterval()
    mailer.open()  # one connection to the mail server for the whole run
    sender = _Sender(mailer)
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
    try:
        _send(run, frames, user_model, sender, batch=batch, skip_locked=skip_locked)
    finally:
        sys.setswitchinterval(interval)
        sender.stop()
        mailer.close()
    return run


def _send(
    run: DigestRun,
    frames: _Frames,
    user_model: Any,
    sender: _Sender,
    *,
    batch: int,
    skip_locked: bool,
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
                sender.send(user.pk, frames.mail(recipient, kept))
            for user_id, sent in sender.sent():
                if not sent:
                    run.failed += 1
                    continue
                kept = by_user[user_id]
                run.mails += 1
                run.items += len(kept)
                done.extend(item.pk for item in kept)
            # accounts deleted since: their items went with them (CASCADE)
            DigestItem.objects.filter(pk__in=done).delete()
