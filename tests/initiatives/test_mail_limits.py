"""Mail floods: help offers, messages and support are limited per person, and the mails one
person's actions send one other person are bounded per day (core.ratelimit, in the shared cache).

A refused help offer or message is not saved and mails no one; the page says why, in Dutch.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from wijkwerk.core import ratelimit
from wijkwerk.core.models import AuditEvent
from wijkwerk.initiatives import services
from wijkwerk.initiatives.models import HelpOffer, Message, Support

from ..cast import Cast

pytestmark = pytest.mark.django_db

TOO_OFTEN = "Je hebt dit te vaak kort na elkaar gedaan."
TOO_MANY_FOR_PERSON = "Deze persoon heeft vandaag al zoveel e-mails"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


class Clock:
    def __init__(self) -> None:
        self.now = 2_000_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(ratelimit, "_now", clock)
    return clock


def page_text(response: Any) -> str:
    return response.content.decode()


def test_25_help_offers_mail_the_applicant_three_times(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    initiative = cast.submitted()
    attacker = client_for(cast.neighbour)
    url = reverse("initiatives:offer_help", args=[initiative.pk])
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            attacker.post(url, {"text": f"Klik hier: https://evil.example/{n}"}, follow=True)
            for n in range(25)
        ]
    mails = smtp_server.to(cast.applicant.email)
    offers = [m for m in mails if "evil.example" in smtp_server.body(m)]
    assert len(offers) == 3, "the limit is 3 a minute"
    assert HelpOffer.objects.filter(initiative=initiative).count() == 3
    assert AuditEvent.objects.filter(action="initiative.help_offer").count() == 3
    assert "evil.example/3" not in "".join(smtp_server.body(m) for m in offers)
    assert all(TOO_OFTEN not in page_text(r) for r in responses[:3])
    assert all(TOO_OFTEN in page_text(r) for r in responses[3:])
    assert all(r.status_code == 200 for r in responses), "back on the initiative's page"


def test_help_offers_are_limited_per_hour_and_day(cast, clock):
    initiatives = [cast.submitted(title=f"Plan {n}") for n in range(2)]
    results = []
    for n in range(12):
        clock.now += 5 * 60  # one every five minutes: never 3 in a minute
        try:
            services.help_offer_add(
                actor=cast.neighbour, initiative=initiatives[n % 2], text="Ik help"
            )
        except ratelimit.RateLimited:
            results.append(False)
        else:
            results.append(True)
    assert results == [True] * 10 + [False] * 2, "10 an hour"
    assert HelpOffer.objects.count() == 10


def test_messages_are_limited_and_internal_notes_are_not(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    initiative = cast.submitted()
    assert initiative.broker_id == cast.broker.pk
    url = reverse("initiatives:message", args=[initiative.pk])
    applicant = client_for(cast.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        responses = [applicant.post(url, {"body": f"Vraag {n}"}, follow=True) for n in range(12)]
    assert len(smtp_server.to(cast.broker.email)) == 10, "10 a minute"
    assert Message.objects.filter(author=cast.applicant).count() == 10
    assert TOO_OFTEN in page_text(responses[-1])
    broker = client_for(cast.broker)
    for n in range(15):
        broker.post(url, {"body": f"Notitie {n}", "is_internal": "on"})
    assert Message.objects.filter(is_internal=True).count() == 15


def test_one_person_mails_another_at_most_20_times_a_day(
    cast, clock, smtp_server, django_capture_on_commit_callbacks
):
    # The broker answers the applicant every ten minutes: never too often for the message limits,
    # but the applicant gets at most 20 mails a day on the broker's account.
    initiative = cast.submitted()
    url = reverse("initiatives:message", args=[initiative.pk])
    broker = client_for(cast.broker)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(21):
            clock.now += 10 * 60
            last = broker.post(url, {"body": f"Antwoord {n}"}, follow=True)
    assert len([m for m in smtp_server.to(cast.applicant.email) if "bericht" in m["Subject"]]) == 20
    assert TOO_MANY_FOR_PERSON in page_text(last)
    assert Message.objects.filter(author=cast.broker).count() == 20
    clock.now += 24 * 3600
    with django_capture_on_commit_callbacks(execute=True):
        broker.post(url, {"body": "De volgende dag"})
    assert Message.objects.filter(author=cast.broker).count() == 21


def test_the_daily_bound_counts_help_offers_on_every_initiative_of_the_applicant(
    cast, clock, settings
):
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "mail_person": "4/d"}
    initiatives = [cast.submitted(title=f"Plan {n}") for n in range(3)]
    refused = []
    for n in range(6):
        clock.now += 3600
        try:
            services.help_offer_add(
                actor=cast.neighbour, initiative=initiatives[n % 3], text="Ik help mee"
            )
        except ratelimit.RateLimited as error:
            refused.append(error)
    assert HelpOffer.objects.count() == 4
    assert len(refused) == 2 and refused[0].code == "rate_limited"


def test_support_is_limited(cast):
    initiative = cast.submitted()
    client = client_for(cast.neighbour)
    url = reverse("initiatives:support", args=[initiative.pk])
    responses = [client.post(url, follow=True) for _ in range(11)]
    assert TOO_OFTEN in page_text(responses[-1])
    assert all(TOO_OFTEN not in page_text(r) for r in responses[:10])
    # 10 toggles: supported and withdrawn five times; the 11th changed nothing.
    initiative.refresh_from_db()
    assert initiative.support_count == 0
    assert not Support.objects.filter(initiative=initiative).exists()


def test_a_refused_offer_is_a_validation_error_for_other_callers(cast, settings):
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "help_offer": "1/m"}
    initiative = cast.submitted()
    services.help_offer_add(actor=cast.neighbour, initiative=initiative, text="Ik help")
    with pytest.raises(ValidationError):
        services.help_offer_add(actor=cast.neighbour, initiative=initiative, text="Nog eens")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_25_help_offers_at_the_same_moment_save_three(smtp_server, cast: Cast):
    initiative = cast.submitted()
    start = threading.Barrier(25)
    saved: list[int] = []

    def offer(n: int) -> None:
        try:
            start.wait()
            services.help_offer_add(actor=cast.neighbour, initiative=initiative, text=f"Hulp {n}")
            saved.append(n)
        except ratelimit.RateLimited:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=offer, args=(n,)) for n in range(25)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(saved) == 3
    assert HelpOffer.objects.filter(initiative=initiative).count() == 3
    mails = smtp_server.to(cast.applicant.email)
    assert len([m for m in mails if "Hulp" in smtp_server.body(m)]) == 3
