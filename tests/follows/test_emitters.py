"""What followable things tell their followers: an initiative's public steps, a round's start and
its results."""

from __future__ import annotations

import datetime
from email.utils import parseaddr
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.budgeting.factories import make_round
from wijkwerk.budgeting import notifications as budgeting_mails
from wijkwerk.follows.models import DigestItem, Frequency

from .factories import follow

pytestmark = pytest.mark.django_db


def _to(address: str) -> list[Any]:
    return [m for m in mail.outbox if parseaddr(m.to[0])[1] == address]


def test_followers_of_the_area_hear_of_a_public_initiatives_steps(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    weekly = follow(UserFactory(email="weekly@example.org"), cast.district)
    follow(
        UserFactory(email="now@example.org", language="en"), cast.neighbourhood, Frequency.IMMEDIATE
    )
    with django_capture_on_commit_callbacks(execute=True):
        # submitted, and the area's broker takes it into review at once
        initiative = cast.submitted(title="Bankjes aan de Kerkstraat")
    assert initiative.area == cast.neighbourhood
    subjects = [m.subject for m in _to("now@example.org")]
    assert subjects == [
        "[wijkwerk] Initiative “Bankjes aan de Kerkstraat”: submitted",
        "[wijkwerk] Initiative “Bankjes aan de Kerkstraat”: under review",
    ]
    now_mail = _to("now@example.org")[0]
    assert now_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "You get this e-mail because you follow this initiative or its area." in now_mail.body
    items = list(DigestItem.objects.filter(follow=weekly).values_list("event", flat=True))
    assert items == ["initiatives.public_status", "initiatives.public_status"]


def test_a_draft_or_an_unpublished_initiative_tells_no_follower(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    follow(UserFactory(email="now@example.org"), cast.neighbourhood, Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        cast.submitted(title="Niet openbaar", consent_to_publish=False)
    assert _to("now@example.org") == []


def test_followers_hear_a_round_start(cast: Any, django_capture_on_commit_callbacks: Any) -> None:
    follow(UserFactory(email="now@example.org", language="en"), cast.district, Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        make_round(cast, phase="ideas")
    [message] = _to("now@example.org")
    assert message.subject == "[wijkwerk] “Buurtbudget Dorst” has started"


def test_followers_hear_each_phase_that_opens_once(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    follow(UserFactory(email="now@example.org", language="en"), cast.district, Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        process = make_round(cast, phase="ideas")
        # the phase open at the publication: the publication's mail said it
        assert budgeting_mails.announce_open_phases() == 0
    later = [p for p in process.phases.order_by("starts_at") if p.starts_at > timezone.now()]
    moment = later[0].starts_at + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert budgeting_mails.announce_open_phases(now=moment) == 1
        assert budgeting_mails.announce_open_phases(now=moment) == 0  # cron runs again
    subjects = [m.subject for m in _to("now@example.org")]
    label = str(later[0].label)
    assert subjects == [
        "[wijkwerk] “Buurtbudget Dorst” has started",
        f"[wijkwerk] “Buurtbudget Dorst”: {label} has begun",
    ]
    assert "has begun. It runs until" in _to("now@example.org")[1].body
