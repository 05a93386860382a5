"""Sign-ups and cancellations at the same moment on PostgreSQL: the event's row lock keeps the
places within the capacity and the waiting list in order.

An event with 5 places; 5 people have them and 10 wait. Then 35 attempts go at once (a barrier),
each on its own connection: the 5 with a place cancel, 20 new people sign up, and the 10 waiting
sign up again (refused) or cancel. Asserted afterwards: exactly 5 have a place (never more:
no database constraint could say so, the lock does), everyone who waits counted later than
everyone with a place (first come, first served), the positions run 1..n, and every promotion
is in the audit trail once.
"""

from __future__ import annotations

import random
import threading

import pytest

from wijkwerk.accounts.models import User
from wijkwerk.core.models import AuditEvent
from wijkwerk.core.ratelimit import RateLimited
from wijkwerk.events import services
from wijkwerk.events.models import Rsvp, RsvpStatus
from wijkwerk.events.refusals import EventRefused

from ..budgeting.test_concurrent_ballots import run_in_threads
from ..cast import Cast
from .factories import make_event

CAPACITY = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_cancellations_and_sign_ups_at_once_never_overfill(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "event_rsvp": ""}
    event = make_event(cast.district, capacity=CAPACITY)
    people = [
        User.objects.create(email=f"p{n}@example.org", full_name=f"Persoon {n}") for n in range(40)
    ]
    for person in people[:15]:
        services.rsvp_sign_up(actor=person, event=event)
    assert Rsvp.objects.filter(status=RsvpStatus.GOING).count() == CAPACITY
    jobs_spec: list[tuple[str, User]] = [("cancel", p) for p in people[:5]]
    jobs_spec += [("sign_up", p) for p in people[15:25]]
    rng = random.Random(14)
    jobs_spec += [(rng.choice(["cancel", "sign_up"]), p) for p in people[5:15]]
    jobs_spec += [("sign_up", p) for p in people[25:35]]
    rng.shuffle(jobs_spec)
    barrier = threading.Barrier(len(jobs_spec), timeout=60)
    outcomes: list[str] = []

    def attempt(action: str, person: User) -> None:
        barrier.wait()
        try:
            if action == "cancel":
                rsvp = Rsvp.objects.get(event=event, user=person)
                services.rsvp_cancel(actor=person, rsvp=rsvp)
            else:
                services.rsvp_sign_up(actor=person, event=event)
            outcomes.append("done")
        except (EventRefused, RateLimited) as refused:
            outcomes.append(str(getattr(refused, "code", "")))

    run_in_threads(
        [lambda a=action, p=person: attempt(a, p) for action, person in jobs_spec],
        threads=len(jobs_spec),
    )
    assert len(outcomes) == 35
    rows = list(Rsvp.objects.filter(event=event, status__in=[RsvpStatus.GOING, RsvpStatus.WAITING]))
    going = [r for r in rows if r.status == RsvpStatus.GOING]
    waiting = sorted(
        (r for r in rows if r.status == RsvpStatus.WAITING), key=lambda r: (r.queued_at, r.pk)
    )
    assert len(going) == CAPACITY
    assert max(r.queued_at for r in going) < min(r.queued_at for r in waiting)
    assert [services.waiting_position(r) for r in waiting] == list(range(1, len(waiting) + 1))
    promoted = AuditEvent.objects.filter(action="rsvp.promote")
    assert promoted.values("object_id").distinct().count() == promoted.count()
    # each cancelled place went to the first waiting, once (the waiting list never ran empty)
    freed = [
        audit
        for audit in AuditEvent.objects.filter(action="rsvp.cancel")
        if audit.before["status"] == RsvpStatus.GOING
    ]
    assert len(freed) >= 5
    assert promoted.count() == len(freed)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_sign_ups_at_once_for_five_places(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    """Nobody has a place yet and 30 sign up at the same moment: 5 get one, 25 wait, 1..25."""
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "event_rsvp": ""}
    event = make_event(cast.district, capacity=CAPACITY)
    people = [
        User.objects.create(email=f"q{n}@example.org", full_name=f"Persoon {n}") for n in range(30)
    ]
    barrier = threading.Barrier(len(people), timeout=60)

    def sign_up(person: User) -> None:
        barrier.wait()
        services.rsvp_sign_up(actor=person, event=event)

    run_in_threads([lambda p=person: sign_up(p) for person in people], threads=len(people))
    statuses = list(Rsvp.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count(RsvpStatus.GOING) == CAPACITY
    assert statuses.count(RsvpStatus.WAITING) == 25
    waiting = Rsvp.objects.filter(event=event, status=RsvpStatus.WAITING).order_by("queued_at")
    assert [services.waiting_position(r) for r in waiting] == list(range(1, 26))
