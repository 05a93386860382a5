"""The digest's cheaper MIME builder (`follows.bulkmail.BulkMessage`): over a real SMTP server the
mail reads as Django's own would (names and subject encoded, both parts, RFC 8058's headers
intact), every line ends in CRLF, and a header with a line break is refused."""

from __future__ import annotations

import email.policy
from email import message_from_bytes
from typing import Any

import pytest

from tests.accounts.factories import UserFactory
from tests.conftest import SmtpServer
from wijkwerk.core import notifications
from wijkwerk.core.notifications import Recipient
from wijkwerk.follows import digest, tokens
from wijkwerk.follows.bulkmail import BulkMessage
from wijkwerk.follows.notifications import DIGEST

from .factories import follow, item

pytestmark = pytest.mark.django_db


def _parts(raw: bytes) -> dict[str, Any]:
    parsed = message_from_bytes(raw, policy=email.policy.default)
    plain = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return {
        "subject": str(parsed["Subject"]),
        "from": str(parsed["From"]),
        "to": str(parsed["To"]),
        "unsubscribe": str(parsed["List-Unsubscribe"]),
        "post": str(parsed["List-Unsubscribe-Post"]),
        "plain": plain.get_content(),
        "html": html.get_content(),
        "type": parsed.get_content_type(),
    }


def test_the_digest_over_smtp_reads_as_djangos_own_mail(cast: Any, smtp_server: SmtpServer) -> None:
    zoe = UserFactory(email="zoe@example.org", full_name="Zoë Çelik “Z”", language="nl")
    item(follow(zoe, cast.neighbourhood), "Initiatief “Bankjes aan de Dorpsstraat”: goedgekeurd")

    run = digest.send_digests()

    assert (run.mails, run.items, run.failed) == (1, 1, 0)
    [received] = smtp_server.to("zoe@example.org")
    raw = received.as_bytes()
    got = _parts(raw)
    assert got["subject"] == "[wijkwerk] Je wekelijkse overzicht: 1 bericht"
    assert got["to"] == "Zoë Çelik “Z” <zoe@example.org>"
    assert got["from"] == "wijkwerk <noreply@wijkwerk.localhost>"
    assert got["type"] == "multipart/alternative"
    assert got["post"] == "List-Unsubscribe=One-Click"
    # one URL in angle brackets, no encoded words (mail clients read it as is)
    assert got["unsubscribe"].startswith("<http") and got["unsubscribe"].endswith("/>")
    assert "=?" not in got["unsubscribe"]
    token = got["unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert tokens.read(token) == tokens.Unsubscribe(user_id=zoe.pk, follow_id=None)
    assert "Beste Zoë Çelik “Z”," in got["plain"]
    assert "Initiatief “Bankjes aan de Dorpsstraat”: goedgekeurd" in got["plain"]
    assert "Bankjes aan de Dorpsstraat" in got["html"]


def test_the_same_parts_and_headers_as_djangos_builder(cast: Any) -> None:
    recipient = Recipient(email="zoe@example.org", language="en", name="Zoë", user=cast.applicant)
    context = {"items": [], "groups": [{"label": "Dorst", "items": [{"line": "Été", "link": ""}]}]}
    rendered = notifications.render(notifications.event(DIGEST), recipient, context)
    bulk = BulkMessage(
        subject=rendered.subject,
        body=rendered.body,
        from_email=rendered.from_email,
        to=rendered.to,
        reply_to=rendered.reply_to,
        headers=rendered.extra_headers,
        alternatives=rendered.alternatives,
    )
    ours = bulk.as_bytes()
    theirs = rendered.message(policy=email.policy.SMTP).as_bytes()
    # SMTP wants CRLF: no bare line feed anywhere
    assert b"\n" not in ours.replace(b"\r\n", b"")
    mine, django = _parts(ours), _parts(theirs)
    assert mine == django
    assert _parts(bulk.message().as_bytes()) == mine  # read back as it was written
    assert mine["to"] == "Zoë <zoe@example.org>"
    assert mine["subject"] == "[wijkwerk] Your weekly digest: 0 updates"


@pytest.mark.parametrize(
    "field", ["subject", "header", "to"], ids=["subject", "extra header", "address"]
)
def test_a_line_break_in_a_header_is_refused(field: str) -> None:
    values: dict[str, Any] = {
        "subject": "Hallo",
        "body": "Tekst",
        "from_email": "wijkwerk <noreply@wijkwerk.localhost>",
        "to": ["Anna <anna@example.org>"],
        "headers": {"List-Unsubscribe": "<https://example.org/uit/>"},
        "alternatives": [("<p>Tekst</p>", "text/html")],
    }
    if field == "subject":
        values["subject"] = "Hallo\nBcc: iedereen@example.org"
    elif field == "header":
        values["headers"] = {"List-Unsubscribe": "<https://example.org/>\r\nBcc: x@example.org"}
    else:
        values["to"] = ["Anna <anna@example.org>\nBcc: x@example.org"]
    with pytest.raises(ValueError, match="line break"):
        BulkMessage(**values).message()


def test_what_it_does_not_build_goes_to_djangos_builder() -> None:
    message = BulkMessage(
        subject="Hallo", body="Tekst", from_email="a@example.org", to=["b@example.org"]
    )
    message.attach("lijst.csv", "a;b\n", "text/csv")
    built = message.message()
    assert isinstance(built, email.message.EmailMessage)  # the modern API: Django's own
    assert [part.get_filename() for part in built.iter_attachments()] == ["lijst.csv"]
