"""Any sequence of sign-ups and cancellations (property test): never more people with a place
than the capacity, and the waiting list is first come, first served: those with a place are
always the first of the active sign-ups in the order they counted, the rest wait in that order."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from wijkwerk.accounts.models import User
from wijkwerk.events import services
from wijkwerk.events.models import Rsvp, RsvpStatus

from ..cast import Cast
from .factories import make_event

pytestmark = pytest.mark.django_db
PEOPLE = 6

steps = st.lists(
    st.tuples(st.sampled_from(["sign_up", "cancel", "capacity"]), st.integers(0, PEOPLE - 1)),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(capacity=st.integers(1, 4), steps=steps)
def test_places_never_exceed_the_capacity_and_the_queue_is_first_come(
    cast: Cast, capacity: int, steps: list[tuple[str, int]]
) -> None:
    no_limits = {**django_settings.WIJKWERK_RATE_LIMITS, "event_rsvp": ""}
    with transaction.atomic(), override_settings(WIJKWERK_RATE_LIMITS=no_limits):
        people = [
            User.objects.create(email=f"persoon{n}@example.org", full_name=f"Persoon {n}")
            for n in range(PEOPLE)
        ]
        ev = make_event(cast.district, capacity=capacity)
        queue: list[int] = []  # the model: active sign-ups, in the order they counted
        for action, who in steps:
            person = people[who]
            try:
                if action == "sign_up":
                    services.rsvp_sign_up(actor=person, event=ev)
                    queue.append(person.pk)
                elif action == "cancel":
                    rsvp = Rsvp.objects.filter(event=ev, user=person).first()
                    if rsvp is None:
                        continue
                    services.rsvp_cancel(actor=person, rsvp=rsvp)
                    queue.remove(person.pk)
                else:
                    going = Rsvp.objects.filter(event=ev, status=RsvpStatus.GOING).count()
                    capacity = max(going, 1) + who % 3
                    services.event_change(actor=cast.broker, event=ev, data={"capacity": capacity})
            except ValidationError as refused:
                event(f"refused {refused.code}")  # type: ignore[attr-defined]
                if action == "sign_up":
                    assert person.pk in queue  # only a second sign-up is refused
                else:
                    assert person.pk not in queue
            assert_state(ev, queue, capacity)
        event(f"ended with {len(queue)} active of capacity {capacity}")
        transaction.set_rollback(True)


def assert_state(ev: Any, queue: list[int], capacity: int) -> None:
    rows = list(
        Rsvp.objects.filter(event=ev, status__in=[RsvpStatus.GOING, RsvpStatus.WAITING]).order_by(
            "queued_at", "pk"
        )
    )
    going = [r.user_id for r in rows if r.status == RsvpStatus.GOING]
    waiting = [r.user_id for r in rows if r.status == RsvpStatus.WAITING]
    assert len(going) <= capacity
    assert going == queue[:capacity]
    assert waiting == queue[capacity:]
    for position, rsvp in enumerate((r for r in rows if r.status == RsvpStatus.WAITING), 1):
        assert services.waiting_position(rsvp) == position
