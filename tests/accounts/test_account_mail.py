"""Account e-mail (confirmation, password reset) goes via the task queue to a real SMTP server."""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from allauth.core.context import request_context
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory
from tests.cast import Cast
from wijkwerk.accounts import adapter as adapter_module
from wijkwerk.accounts.models import User
from wijkwerk.core import notifications

# Real commits: the mail task is enqueued by transaction.on_commit.
pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://\S+")


def signup(client: Client, email: str = "anna@example.org") -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "email": email,
            "full_name": "Anna de Vries",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()


def test_signup_sends_confirmation_mail_through_the_queue(client: Client, smtp_server) -> None:
    signup(client)
    [message] = smtp_server.to("anna@example.org")
    assert message["Subject"].startswith("[wijkwerk] ")
    body = smtp_server.body(message)
    link = LINK.search(body)
    assert link and "/accounts/confirm-email/" in link.group(0)
    assert User.objects.get(email="anna@example.org").full_name == "Anna de Vries"


def test_confirmation_link_confirms_and_login_then_works(client: Client, smtp_server) -> None:
    signup(client)
    # Mandatory confirmation: logging in before confirming only resends the mail.
    client.post(reverse("account_login"), {"login": "anna@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    link = LINK.search(smtp_server.body(smtp_server.to("anna@example.org")[0]))
    assert link
    # on the site's public address, not the host the request came in on ("testserver")
    assert link.group(0).startswith(settings.WIJKWERK_BASE_URL.rstrip("/") + "/accounts/")
    path = urlsplit(link.group(0)).path
    page = client.get(path)
    assert page.status_code == 200
    assert b'<h1 class="utrecht-heading-1">' in page.content
    confirmed = client.post(path)
    assert confirmed.status_code == 302
    assert User.objects.get(email="anna@example.org").emailaddress_set.get().verified
    client.post(reverse("account_login"), {"login": "anna@example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(User.objects.get(email="anna@example.org").pk)


def test_password_reset_mail_arrives_and_link_sets_new_password(
    client: Client, smtp_server, cast: Cast
) -> None:
    user = cast.applicant
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    [message] = smtp_server.to(user.email)
    link = LINK.search(smtp_server.body(message))
    assert link and "/accounts/password/reset/key/" in link.group(0)
    assert link.group(0).startswith(settings.WIJKWERK_BASE_URL.rstrip("/") + "/accounts/")
    path = urlsplit(link.group(0)).path
    # allauth moves the key from the URL into the session and redirects to a key-less form.
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "a brand new passphrase 42"
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": new_password, "password2": new_password},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_unknown_address_for_reset_gets_no_link_and_the_page_no_hint(
    client: Client, smtp_server, cast: Cast
) -> None:
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    known = client.post(reverse("account_reset_password"), {"email": cast.applicant.email})
    # The page does not reveal whether the address has an account ...
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # ... the mail to the address itself may: it says there is no account, without a reset link.
    [message] = smtp_server.to("nobody@example.org")
    assert "/accounts/password/reset/key/" not in smtp_server.body(message)


def test_mail_task_is_the_only_sender(monkeypatch, rf) -> None:
    """The adapter never sends in the request itself: it hands the mail to the notification
    layer, which queues it once the transaction commits."""
    sent = []
    monkeypatch.setattr(
        notifications,
        "send_notification",
        SimpleNamespace(enqueue=lambda **kwargs: sent.append(kwargs)),
    )
    monkeypatch.setattr(
        "django.core.mail.EmailMessage.send",
        lambda *a, **k: pytest.fail("sent in the request"),
    )
    with request_context(rf.get("/")), transaction.atomic():
        account_adapter = adapter_module.AccountAdapter()
        account_adapter.send_mail(
            "account/email/password_reset_key",
            "kees@example.org",
            {"password_reset_url": "https://example.org/reset", "user": UserFactory.build()},
        )
        assert sent == [], "enqueued before the transaction committed"
    [payload] = sent
    assert payload["event"] == "accounts.password_reset_key"
    assert payload["recipient"]["email"] == "kees@example.org"
    assert payload["context"]["password_reset_url"] == "https://example.org/reset"
