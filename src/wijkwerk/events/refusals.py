"""Why a step with an event or a sign-up was refused: `EventRefused` with a stable code.

The message is for people (translated); the code is for tests and clients and never changes
meaning.

Announcing and changing an event:
    ends_before_start       the end is not after the start
    start_in_past           a new event (or a changed start) that lies in the past
    too_far                 a start more than five years ahead, or an event longer than 31 days
    capacity                a capacity of 0 or less, or above 100,000, or below the number of
                            people already signed up
    too_long                a title, place, address or description longer than allowed
    incomplete              no title or place; one coordinate of the map point without the other,
                            or a coordinate out of range
    wrong_area              a council or resident group of another area than the event's
    cancelled               changing, cancelling or recording attendance of a cancelled event
    reason_required         cancelling without a reason (residents are told why)
Signing up:
    rsvp_closed             signing up for an event that takes no sign-ups (a closed council
                            meeting, or sign-ups switched off)
    event_cancelled         signing up for a cancelled event
    event_past              signing up for an event that has begun or is over; cancelling a
                            sign-up once the event has begun
    already_signed_up       a second sign-up of the same account (the message says whether it
                            has a place or which place on the waiting list)
    link_expired            a confirmation link older than its days, or tampered with
    not_signed_up           cancelling a sign-up that is cancelled already
Attendance:
    not_started             recording attendance before the event began
    attendance              a count below zero or above 100,000, fewer people than names ticked,
                            or a name that did not sign up
"""

from __future__ import annotations

from wijkwerk.core.workflow import Refused


class EventRefused(Refused):
    """A step with an event or a sign-up that is not allowed now; the message is for people."""
