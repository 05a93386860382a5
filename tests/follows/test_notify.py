"""notify_followers: who gets what, now or in the digest, with the RFC 8058 headers."""

from __future__ import annotations

import email.policy
from collections.abc import Iterator
from email.utils import parseaddr
from typing import Any

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy as _

from tests.accounts.factories import UserFactory
from wijkwerk.core import notifications
from wijkwerk.follows import services, tokens
from wijkwerk.follows.models import DigestItem, Follow, Frequency
from wijkwerk.follows.notifications import headers, route

pytestmark = pytest.mark.django_db

EVENT = "tests.follows.happened"


@pytest.fixture(autouse=True)
def _event() -> Iterator[str]:
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
    yield EVENT
    notifications._events.pop(EVENT, None)  # test_dutch_mails checks every registered event


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
    assert parseaddr(message.to[0])[1] == "fan@example.org"
    assert message.subject == f"[wijkwerk] Something happened in {cast.neighbourhood.name}"
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://") and header.endswith(">")
    token = header.strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert tokens.read(token) == tokens.Unsubscribe(user_id=follower.pk, follow_id=follow.pk)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header.strip("<>") in message.body
    # as the SMTP backend writes it: the URL whole on one line, not RFC 2047 encoded words
    # (which a mail client's one-click unsubscribe cannot read)
    sent = message.message(policy=email.policy.SMTP).as_bytes().decode()
    assert f"\r\nList-Unsubscribe: {header}\r\n" in sent
    assert len(header) > 78  # longer than a folded line: the case that broke


def test_weekly_follower_gets_a_digest_item_not_a_mail(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    follower = UserFactory(email="weekly@example.org", language="en")
    follow = _follow(follower, cast.neighbourhood, Frequency.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_followers(EVENT, cast.neighbourhood, context=CONTEXT(cast))
    assert mail.outbox == []
    [item] = DigestItem.objects.all()
    assert (item.user_id, item.follow_id, item.event) == (follower.pk, follow.pk, EVENT)
    assert item.line == "Something happened in Dorst-Zuid"
    assert item.link == notifications.absolute(cast.neighbourhood.get_absolute_url())
    assert item.target_label == "Dorst-Zuid"


def test_district_follower_hears_of_the_neighbourhood_once_through_the_nearest_follow(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    both = UserFactory(email="both@example.org")
    district_only = UserFactory(email="district@example.org")
    actor = UserFactory(email="actor@example.org")
    near = _follow(both, cast.neighbourhood, Frequency.WEEKLY)
    _follow(both, cast.district, Frequency.IMMEDIATE)
    _follow(district_only, cast.district, Frequency.IMMEDIATE)
    _follow(actor, cast.neighbourhood)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.notify_followers(
            EVENT, cast.neighbourhood, context=CONTEXT(cast), exclude=[actor]
        )
    assert count == 2
    # the neighbourhood follow (weekly) wins for `both`: a digest item, no mail
    assert [parseaddr(m.to[0])[1] for m in mail.outbox] == ["district@example.org"]
    assert list(DigestItem.objects.values_list("follow_id", flat=True)) == [near.pk]


def test_other_areas_followers_hear_nothing(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _follow(UserFactory(), cast.other_district)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notify_followers(EVENT, cast.neighbourhood, context=CONTEXT(cast)) == 0
    assert mail.outbox == []


def test_unfollowed_before_the_worker_ran_means_no_mail(cast: Any) -> None:
    follower = UserFactory()
    _follow(follower, cast.neighbourhood)
    recipient = notifications.Recipient(email=follower.email, language="nl", user=follower)
    event = notifications.event(EVENT)
    context = {**CONTEXT(cast), "followed": cast.neighbourhood}
    assert route(event, recipient, context) is notifications.Delivery.NOW
    services.unfollow(follower, cast.neighbourhood)
    assert route(event, recipient, context) is notifications.Delivery.SKIP
    assert headers(event, recipient, context) == {}
    # a mail with a topic that no notify_followers sent passes untouched
    assert route(event, recipient, CONTEXT(cast)) is notifications.Delivery.NOW


def test_an_event_without_topic_cannot_go_to_followers(cast: Any) -> None:
    with pytest.raises(ValueError, match="has no topic"):
        services.notify_followers("initiatives.approved", cast.neighbourhood, context={})
