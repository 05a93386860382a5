"""The weekly digest: one mail per person, in their language, batched, idempotent."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.factories import UserFactory
from wijkwerk.core import notifications
from wijkwerk.core.notifications import Recipient
from wijkwerk.follows import digest, tokens
from wijkwerk.follows.models import DigestItem
from wijkwerk.follows.notifications import DIGEST

from .factories import follow, item

pytestmark = pytest.mark.django_db


def test_one_mail_per_person_with_all_their_items_in_their_language(cast: Any) -> None:
    anna = UserFactory(email="anna@example.org", full_name="Anna de Wit", language="nl")
    bob = UserFactory(email="bob@example.org", full_name="Bob Smith", language="en")
    anna_area = follow(anna, cast.neighbourhood)
    anna_district = follow(anna, cast.district)
    item(anna_area, "Nieuw initiatief “Bankjes”", link="https://example.org/i/1/")
    item(anna_district, "Buurtbudget Dorst: stemmen is begonnen", label="Dorst")
    item(anna_area, "Speeltuin goedgekeurd")
    item(follow(bob, cast.neighbourhood), "Playground approved")

    run = digest.send_digests()

    assert (run.mails, run.items, run.failed, run.batches) == (2, 4, 0, 1)
    by_address = {parseaddr(m.to[0])[1]: m for m in mail.outbox}
    anna_mail, bob_mail = by_address["anna@example.org"], by_address["bob@example.org"]
    assert anna_mail.subject == "[wijkwerk] Je wekelijkse overzicht: 3 berichten"
    assert bob_mail.subject == "[wijkwerk] Your weekly digest: 1 update"
    assert "Beste Anna de Wit," in anna_mail.body
    body = anna_mail.body
    assert body.index("Dorst-Zuid\n- Nieuw initiatief “Bankjes”") < body.index(
        "Dorst\n- Buurtbudget Dorst: stemmen is begonnen"
    )
    assert "  https://example.org/i/1/" in body
    assert "- Speeltuin goedgekeurd" in body
    # the settings page, and one-click unsubscribe from all weekly digests
    assert "/volgen/" in body
    header = anna_mail.extra_headers["List-Unsubscribe"]
    assert anna_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = header.strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert tokens.read(token) == tokens.Unsubscribe(user_id=anna.pk, follow_id=None)
    assert DigestItem.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "language", "lines"),
    [
        ("Anna de Wit", "nl", ["Speeltuin goedgekeurd"]),
        ("Zoë Çelik “Z”", "en", ["Été", "Nieuw initiatief “Bankjes”", "a & b"]),
        ('Jan <b>&amp; "Piet" \x00name\x00', "nl", ["<script>x</script>", "\x00updates\x00"]),
        ("", "en", ["Plain"]),  # no name: "Hello,"
    ],
    ids=["dutch", "english, three updates", "markup and marks", "without a name"],
)
def test_a_digest_filled_into_its_frame_is_the_mail_render_makes(
    cast: Any, monkeypatch: pytest.MonkeyPatch, name: str, language: str, lines: list[str]
) -> None:
    # the same second in every token, so that two tokens for one person are the same
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: "1xZHXe")
    person = UserFactory(email="zoe@example.org", language=language)
    # unsaved: PostgreSQL would not store the NUL of a mark
    kept = [
        DigestItem(
            line=line,
            link=f"https://example.org/i/{n}/?a=1&b=2" if n % 2 else "",
            target_label="Dorst & <Zuid>" if n else "Dorst-Zuid",
        )
        for n, line in enumerate(lines)
    ]
    recipient = Recipient(email=person.email, language=language, name=name, user=person)
    event = notifications.event(DIGEST)

    expected = notifications.render(
        event, recipient, {"items": kept, "groups": digest._groups(kept)}
    )
    made = digest._Frames(event).mail(recipient, kept)

    got = (made.subject, made.body, made.alternatives, made.from_email, made.to, made.reply_to)
    assert got == (
        expected.subject,
        expected.body,
        expected.alternatives,
        expected.from_email,
        expected.to,
        expected.reply_to,
    )
    assert made.extra_headers == expected.extra_headers
    assert lines[-1] in made.body


def test_running_twice_sends_nothing_twice(cast: Any) -> None:
    item(follow(UserFactory(), cast.neighbourhood), "Een bericht")
    assert digest.send_digests().mails == 1
    assert digest.send_digests().mails == 0
    call_command("send_digests", verbosity=0)
    assert len(mail.outbox) == 1


def test_inactive_people_get_nothing_and_their_items_go(cast: Any) -> None:
    gone = UserFactory(is_active=False)
    item(follow(gone, cast.neighbourhood), "Een bericht")
    run = digest.send_digests()
    assert (run.mails, run.dropped) == (0, 1)
    assert mail.outbox == []
    assert DigestItem.objects.count() == 0


class RefusingMailer:
    def __init__(self) -> None:
        self.sent: list[Any] = []

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        if "refused@example.org" in messages[0].to[0]:
            raise OSError("550 mailbox unavailable")
        self.sent.extend(messages)
        return len(messages)


def test_a_refused_mail_keeps_its_items_for_the_next_run(cast: Any) -> None:
    refused = UserFactory(email="refused@example.org")
    fine = UserFactory(email="fine@example.org")
    item(follow(refused, cast.neighbourhood), "Voor refused")
    item(follow(fine, cast.neighbourhood), "Voor fine")
    mailer = RefusingMailer()
    run = digest.send_digests(mail_connection=mailer)
    assert (run.mails, run.failed) == (1, 1)
    assert [parseaddr(m.to[0])[1] for m in mailer.sent] == ["fine@example.org"]
    assert list(DigestItem.objects.values_list("line", flat=True)) == ["Voor refused"]


def _people_with_items(cast: Any, count: int) -> None:
    for number in range(count):
        person = UserFactory(email=f"p{number}@example.org")
        followed = follow(person, cast.neighbourhood)
        item(followed, f"Bericht {number} a")
        item(followed, f"Bericht {number} b")


@pytest.mark.parametrize("people", [3, 40])
def test_queries_per_batch_do_not_grow_with_the_people(cast: Any, people: int) -> None:
    _people_with_items(cast, people)
    with CaptureQueriesContext(connection) as queries:
        run = digest.send_digests(batch=1000)
    assert run.mails == people
    # the next people (and the empty look after them), their items, their accounts, one delete
    # (+ a savepoint's two statements where the test runs in a transaction)
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 4
    assert len(queries) <= 7


def test_batches_of_a_given_size(cast: Any) -> None:
    _people_with_items(cast, 5)
    with CaptureQueriesContext(connection) as queries:
        run = digest.send_digests(batch=2)
    assert (run.mails, run.batches) == (5, 3)
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 3 * 3 + 1
