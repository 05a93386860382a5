"""notify_followers: who gets what, now or in the digest, with the RFC 8058 headers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy as _

from tests.accounts.factories import UserFactory
from wijkwerk.core import notifications
from wijkwerk.follows import services, tokens
from wijkwerk.follows.models import Follow, Frequency

pytestmark = pytest.mark.django_db

EVENT = "tests.follows.happened"


@pytest.fixture(autouse=True)
def _event() -> Any:
    notifications.register(
        notifications.Event(
            EVENT,
            template="follows/email/digest",  # any text: items empty
            subject=_("Something happened in %(name)s"),
            subject_vars=lambda context: {"name": context["area"].name},
            link=lambda context: context["area"].get_absolute_url(),
            topic="area",
        )
    )
    return EVENT


def CONTEXT(cast: Any) -> dict[str, Any]:
    return {"area": cast.neighbourhood, "items": [], "groups": []}


def _follow(user: Any, target: Any, frequency: str = Frequency.IMMEDIATE) -> Follow:
    return services.follow(user, target, frequency=frequency)


def test_immediate_follower_of_the_area_gets_the_mail_with_unsubscribe_headers(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    follower = UserFactory(email="fan@example.org")
    follow = _follow(follower, cast.neighbourhood)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.notify_followers(EVENT, cast.neighbourhood, context=CONTEXT(cast))
    assert count == 1
    [message] = mail.outbox
    assert message.to == ["fan@example.org"] or message.to[0].endswith("<fan@example.org>")
    assert message.subject == f"[wijkwerk] Something happened in {cast.neighbourhood.name}"
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://") and header.endswith(">")
    token = header.strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert tokens.read(token) == tokens.Unsubscribe(user_id=follower.pk, follow_id=follow.pk)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header.strip("<>") in message.body
