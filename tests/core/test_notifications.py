"""Every mail goes through core.notifications: queued after the commit, sent by the task worker to a
real SMTP server, as plain text and HTML, in the recipient's language, from the municipality, with
a link back; the hooks for following, digests and List-Unsubscribe."""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from wijkwerk.core import notifications
from wijkwerk.initiatives.models import Initiative

from ..accounts.factories import PASSWORD
from ..cast import Cast, build_cast
from ..conftest import SmtpServer

BASE = "https://wijkwerk.oosterhout.nl"


@pytest.fixture(autouse=True)
def _public_address(settings: Any) -> None:
    settings.WIJKWERK_BASE_URL = BASE
    settings.DEFAULT_FROM_EMAIL = "wijkwerk <noreply@wijkwerk.oosterhout.nl>"


@pytest.fixture
def database_queue(settings: Any) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def parts(message: EmailMessage) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html") and not part.is_attachment():
            found[part.get_content_type()] = str(part.get_content()).replace("\r\n", "\n")
    return found


def assert_no_host_greeting(text: str) -> None:
    for wrong in ("127.0.0.1", "Hallo van", "Hello from", "testserver:"):
        assert wrong not in text


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_queue")
def test_the_decision_mail_goes_through_the_queue_from_the_municipality(
    smtp_server: SmtpServer,
    cast: Cast,
) -> None:
    initiative = cast.approved(125_000)
    assert smtp_server.to(cast.applicant.email) == [], "nothing is sent before the worker runs"
    queued = DBTaskResult.objects.filter(task_path="wijkwerk.core.notifications.send_notification")
    assert queued.count() >= 3
    run_worker()
    mails = smtp_server.to(cast.applicant.email)
    decision = next(m for m in mails if "toegekend" in m["Subject"])
    assert decision["Subject"] == (
        "[wijkwerk] Je initiatief “Geveltuinen in de Kerkstraat” is toegekend"
    )
    assert decision["From"] == "Gemeente Oosterhout <noreply@wijkwerk.oosterhout.nl>"
    assert parseaddr(decision["To"]) == ("Anna Aanvrager", cast.applicant.email)
    body = parts(decision)
    assert set(body) == {"text/plain", "text/html"}
    text, html = body["text/plain"], body["text/html"]
    link = f"{BASE}/initiatieven/{initiative.pk}/"
    assert text.startswith("Beste Anna Aanvrager,\n\nGoed nieuws: je initiatief")
    assert "We kennen € 1.250,00 toe" in text
    assert f"Bekijk je initiatief: {link}" in text
    assert "Met vriendelijke groet,\nGemeente Oosterhout" in text
    assert f'<a href="{link}"' in html and "Gemeente Oosterhout" in html
    assert '<html lang="nl">' in html
    assert_no_host_greeting(text + html)
    [letter] = list(decision.iter_attachments())
    assert letter.get_content_type() == "application/pdf"
    # the broker hears of the assignment, with a link but without the letter
    [assigned] = smtp_server.to(cast.broker.email)
    assert "Bekijk het initiatief: " + link in parts(assigned)["text/plain"]
    assert not list(assigned.iter_attachments())
    assert all(r.status == "SUCCESSFUL" for r in queued)


@pytest.mark.django_db(transaction=True)
def test_an_english_user_gets_english(smtp_server: SmtpServer, cast: Cast) -> None:
    cast.applicant.language = "en"
    cast.applicant.save(update_fields=["language"])
    cast.approved(125_000)
    decision = next(m for m in smtp_server.to(cast.applicant.email) if "approved" in m["Subject"])
    assert decision["Subject"] == (
        "[wijkwerk] Your initiative “Geveltuinen in de Kerkstraat” has been approved"
    )
    assert decision["From"].startswith("Municipality of Oosterhout <")
    text = parts(decision)["text/plain"]
    assert text.startswith("Dear Anna Aanvrager,\n\nGood news: your initiative")
    assert "Kind regards,\nMunicipality of Oosterhout" in text
    assert '<html lang="en">' in parts(decision)["text/html"]
    # the broker, who kept Dutch, gets Dutch
    [assigned] = smtp_server.to(cast.broker.email)
    assert "is aan jou toegewezen" in assigned["Subject"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_queue")
def test_the_confirmation_mail(client: Client, smtp_server: SmtpServer) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "email": "anna@example.org",
            "full_name": "Anna de Vries",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert smtp_server.to("anna@example.org") == []
    run_worker()
    [mail] = smtp_server.to("anna@example.org")
    assert mail["Subject"] == "[wijkwerk] Bevestig je e-mailadres"
    assert mail["From"] == "wijkwerk <noreply@wijkwerk.oosterhout.nl>"
    body = parts(mail)
    text, html = body["text/plain"], body["text/html"]
    assert text.startswith("Beste Anna de Vries,\n\nIemand, waarschijnlijk jij, heeft zich op")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", text)
    assert link is not None
    assert f'<a href="{link.group(0)}"' in html, "the link is clickable in the HTML part"
    assert "Met vriendelijke groet,\nwijkwerk" in text
    assert f"wijkwerk: {BASE}" in text, "a link back to the site"
    assert_no_host_greeting(text + html)


@pytest.mark.django_db(transaction=True)
def test_signing_up_in_english_gives_english_mail(client: Client, smtp_server: SmtpServer) -> None:
    client.cookies["django_language"] = "en"  # chosen with the language switch
    client.post(
        reverse("account_signup"),
        {"email": "sam@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    [mail] = smtp_server.to("sam@example.org")
    assert mail["Subject"] == "[wijkwerk] Confirm your e-mail address"
    text = parts(mail)["text/plain"]
    assert text.startswith("Dear sam,\n\nSomeone, probably you, signed up on wijkwerk")
    # an address without an account gets the visitor's language
    client.post(
        reverse("account_reset_password"),
        {"email": "nobody@example.org"},
    )
    [unknown] = smtp_server.to("nobody@example.org")
    assert unknown["Subject"] == "[wijkwerk] No account with this e-mail address"
    assert parts(unknown)["text/plain"].startswith("Hello,\n\nSomeone, probably you, asked")


@pytest.mark.django_db(transaction=True)
def test_a_reset_mail_is_signed_by_the_municipality_of_the_home_area(
    client: Client, smtp_server: SmtpServer, cast: Cast
) -> None:
    client.post(reverse("account_reset_password"), {"email": cast.applicant.email})
    [mail] = smtp_server.to(cast.applicant.email)
    assert mail["Subject"] == "[wijkwerk] Nieuw wachtwoord instellen"
    assert mail["From"].startswith("Gemeente Oosterhout <")
    text = parts(mail)["text/plain"]
    assert "/accounts/password/reset/key/" in text
    assert text.rstrip().endswith(f"wijkwerk: {BASE}")


# ----- The module itself -------------------------------------------------------------------------


@pytest.fixture
def news_event(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> notifications.Event:
    """An event with a topic, as a later subscription app would register it (for this test only:
    a test that renders every registered mail must not meet it)."""
    folder = tmp_path / "templates" / "news" / "email"
    folder.mkdir(parents=True)
    (folder / "item.txt").write_text("{{ initiative.title }}: nieuws.")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    event = notifications.Event(
        "news.item",
        template="news/email/item",
        subject="Nieuws",
        link=lambda context: f"/initiatieven/{context['initiative'].pk}/",
        topic="initiative_news",
    )
    monkeypatch.setitem(notifications._events, event.name, event)
    return event


@pytest.mark.django_db
def test_routers_decide_on_mails_with_a_topic_and_headers_are_added(
    news_event: notifications.Event,
    smtp_server: SmtpServer,
    django_capture_on_commit_callbacks: Any,
    cast: Cast,
) -> None:
    initiative = cast.draft()
    seen: list[tuple[str, str]] = []

    def digest_for_anna(
        event: notifications.Event, recipient: notifications.Recipient, context: Any
    ) -> notifications.Delivery:
        seen.append((event.name, recipient.email))
        if recipient.email == cast.applicant.email:
            return notifications.Delivery.DIGEST
        return notifications.Delivery.NOW

    def unsubscribe(
        event: notifications.Event, recipient: notifications.Recipient, context: Any
    ) -> dict[str, str]:
        url = f"{BASE}/afmelden/{event.topic}/{recipient.user.pk}/"
        return {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }

    notifications.register_router(digest_for_anna)
    notifications.register_headers(unsubscribe)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notifications.notify(
                "news.item",
                recipients=[cast.applicant, cast.neighbour],
                context={"initiative": initiative},
            )
    finally:
        notifications.unregister_hooks(digest_for_anna, unsubscribe)
    assert seen == [("news.item", cast.applicant.email), ("news.item", cast.neighbour.email)]
    assert smtp_server.to(cast.applicant.email) == [], "kept for the digest"
    [mail] = smtp_server.to(cast.neighbour.email)
    url = f"{BASE}/afmelden/initiative_news/{cast.neighbour.pk}/"
    # a long header is folded onto a continuation line (RFC 5322): compare it unfolded
    assert " ".join(str(mail["List-Unsubscribe"]).split()) == f"<{url}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = parts(mail)["text/plain"]
    assert "Geveltuinen in de Kerkstraat: nieuws." in text
    assert f"Deze e-mails niet meer ontvangen: {url}" in text
    assert f'<a href="{url}"' in parts(mail)["text/html"]


@pytest.mark.django_db
def test_service_mails_ignore_routers(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any, cast: Cast
) -> None:

    def nothing(*args: Any) -> notifications.Delivery:
        return notifications.Delivery.SKIP

    notifications.register_router(nothing)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            cast.submitted()
    finally:
        notifications.unregister_hooks(nothing)
    assert smtp_server.to(cast.applicant.email)
    assert all(m["List-Unsubscribe"] is None for m in smtp_server.messages)


@pytest.mark.django_db
def test_nothing_is_queued_when_the_transaction_rolls_back(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any, cast: Cast
) -> None:
    initiative = cast.draft()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notifications.notify(
                    "initiatives.message",
                    recipients=[cast.applicant],
                    context={"initiative": initiative, "kind": "message", "note": ""},
                )
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_a_mail_about_an_object_that_is_gone_is_not_sent(
    smtp_server: SmtpServer, cast: Cast
) -> None:
    initiative = cast.draft()
    context = notifications.pack({"initiative": initiative, "kind": "message", "note": ""})
    Initiative.objects.filter(pk=initiative.pk).delete()
    result = notifications.deliver(
        "initiatives.message", recipient={"user": cast.applicant.pk}, context=context
    )
    assert result == "gone"
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_attachments_recipients_and_unknown_events(
    smtp_server: SmtpServer, django_capture_on_commit_callbacks: Any, cast: Cast
) -> None:
    initiative = cast.draft()
    with pytest.raises(LookupError):
        notifications.notify("initiatives.nonsense", recipients=[cast.applicant], context={})
    with pytest.raises(TypeError):
        notifications.notify(
            "initiatives.message",
            recipients=[cast.applicant],
            context={"initiative": initiative, "kind": "message", "note": object()},
        )
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(
            "initiatives.message",
            recipients=[cast.applicant.pk, "iemand@example.org"],
            context={"initiative": initiative, "kind": "message", "note": "Zie de bijlage."},
            attachments=[notifications.Attachment("lijst.txt", b"een\ntwee\n", "text/plain")],
            language="en",
        )
    [to_applicant] = smtp_server.to(cast.applicant.email)
    [to_address] = smtp_server.to("iemand@example.org")
    assert "Zie de bijlage." in parts(to_applicant)["text/plain"]
    assert parts(to_address)["text/plain"].startswith("Hello,"), "an address: the language given"
    [attached] = list(to_address.iter_attachments())
    assert attached.get_filename() == "lijst.txt"
    assert attached.get_content().replace("\r\n", "\n") == "een\ntwee\n"


def test_user_text_is_escaped_and_not_made_clickable_in_html() -> None:
    html = notifications._html_from_text(
        "Klik <b>hier</b>: https://evil.example/x\n\nTweede alinea", clickable=False
    )
    assert "&lt;b&gt;hier&lt;/b&gt;" in html
    assert "<a " not in html
    assert html.count("<p>") == 2


@pytest.mark.django_db
def test_a_mail_queued_before_the_notification_layer_is_still_sent(
    smtp_server: SmtpServer,
) -> None:
    """A worker that meets a task queued by the previous release sends it the new way."""
    from wijkwerk.initiatives.tasks import send_initiative_mail

    cast = build_cast()
    initiative = cast.draft()
    send_initiative_mail.call(initiative_id=initiative.pk, kind="message", note="Oude taak")
    [mail] = smtp_server.to(cast.applicant.email)
    assert mail["From"].startswith("Gemeente Oosterhout <")
    assert "Oude taak" in parts(mail)["text/plain"]


@pytest.mark.django_db(transaction=True)
def test_a_named_recipient_at_an_international_domain_gets_the_mail(
    smtp_server: SmtpServer, cast: Cast
) -> None:
    """Django's validation accepts "anna@bakkerij-müller.nl"; the header takes the domain in its
    ASCII form (formataddr refused the address, and the mail with it)."""
    cast.applicant.email = "anna@bakkerij-müller.nl"
    cast.applicant.save(update_fields=["email"])
    cast.approved(125_000)
    [decision] = [
        m
        for m in smtp_server.to("anna@xn--bakkerij-mller-psb.nl")
        if "is toegekend" in m["Subject"]
    ]
    assert decision["To"] == "Anna Aanvrager <anna@xn--bakkerij-mller-psb.nl>"


def test_a_mailbox_is_the_name_and_the_address_in_ascii() -> None:
    assert notifications.mailbox("Jan Müller", "jan@example.org") == (
        "=?utf-8?q?Jan_M=C3=BCller?= <jan@example.org>"
    )
    assert notifications.mailbox("", "jan@exämple.org") == "jan@xn--exmple-cua.org"
    assert (
        notifications.mailbox("Jan\nBcc: x", "jan@example.org") == '"Jan Bcc: x" <jan@example.org>'
    )
