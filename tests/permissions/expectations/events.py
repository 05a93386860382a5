"""Events: everyone sees events, lists and calendar files; signing up is for everyone (with an
account in one click, without one by a mailed link). Organising (announce, change, cancel,
sign-ups list, attendance) is for the area's broker (and coordinator, community worker), the
municipality's administrator, and a council's chair or secretary for the council's events."""

from __future__ import annotations

from wijkwerk.areas.models import CouncilMembership, CouncilPosition
from wijkwerk.events import services

from ...events.factories import at, make_event, past_event
from ..framework import Case, World, everyone, logged_in


def event(world: World) -> None:
    world.extra["event"] = make_event(world.area, capacity=2)


def council_event(world: World) -> None:
    """An event of Dorpsraad Dorst, whose member (the council_member) is its chair."""
    CouncilMembership.objects.filter(user=world.users["council_member"]).update(
        position=CouncilPosition.CHAIR
    )
    world.extra["event"] = make_event(world.area, council=world.cast.council)


def held(world: World) -> None:
    world.extra["event"] = past_event(world.area)


def anonymous_rsvp(world: World) -> None:
    event(world)
    world.extra["rsvp"] = services.rsvp_request(
        event=world.extra["event"], name="Piet Zonder Account", email="piet@example.org"
    )


def pk(world: World) -> dict[str, object]:
    return {"pk": world.extra["event"].pk}


def area(world: World) -> dict[str, object]:
    return {"municipality": world.municipality.slug, "area": world.area.slug}


def event_data(world: World) -> dict[str, object]:
    start = at(14)
    return {
        "organiser": "municipality",
        "title": "Snoeimiddag",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": start.replace(hour=21).strftime("%Y-%m-%dT%H:%M"),
        "place_name": "Het plein",
        "address": "Dorpsstraat 1, Dorst",
        "capacity": "20",
        "rsvp_enabled": "on",
    }


# the area's broker and the municipality's administrator organise its events
ORGANISERS = logged_in(403, broker_this=200, admin=200)
ORGANISERS_ALSO = {"oss_admin": 403, "superuser": 200, "outsider": 403}
# a council's chair organises the council's events too
COUNCIL_ORGANISERS = {**ORGANISERS, "council_member": 200}


def done(expect: dict[str, int]) -> dict[str, int]:
    """A POST the organisers may make: a redirect to the event."""
    return {visitor: 302 if status == 200 else status for visitor, status in expect.items()}


CASES = [
    Case("events:municipality", everyone(200), kwargs=lambda w: {"municipality": "oosterhout"}),
    Case(
        "events:municipality",
        everyone(404),
        kwargs=lambda w: {"municipality": "nergens"},
        label="unknown",
    ),
    Case("events:area", everyone(200), kwargs=area, setup=event),
    Case("events:area_feed", everyone(200), kwargs=area, setup=event),
    Case("events:detail", everyone(200), kwargs=pk, setup=event, also={"outsider": 200}),
    Case("events:detail", everyone(200), kwargs=pk, setup=held, label="held"),
    Case("events:detail", everyone(404), kwargs=lambda w: {"pk": 999999}, label="unknown"),
    Case("events:ics", everyone(200), kwargs=pk, setup=event),
    # with an account: one click; without: a name and an address (a mail to confirm)
    Case(
        "events:rsvp",
        everyone(302),
        kwargs=pk,
        setup=event,
        method="post",
        data=lambda w: {"name": "Piet", "email": "piet@example.org"},
    ),
    Case(
        "events:rsvp",
        everyone(302, anonymous=400),
        kwargs=pk,
        setup=event,
        method="post",
        data=lambda w: {"name": "", "email": "geen-adres"},
        label="without a name",
    ),
    Case("events:rsvp_cancel", everyone(302), kwargs=pk, setup=event, method="post"),
    Case(
        "events:rsvp_manage",
        everyone(200),
        kwargs=lambda w: {"token": services.rsvp_token(w.extra["rsvp"])},
        setup=anonymous_rsvp,
    ),
    Case(
        "events:rsvp_manage",
        everyone(404),
        kwargs=lambda w: {"token": "nep:token"},
        label="forged",
    ),
    Case("events:create", ORGANISERS, kwargs=area, also=ORGANISERS_ALSO),
    Case("events:create", COUNCIL_ORGANISERS, kwargs=area, setup=council_event, label="chair"),
    Case(
        "events:create",
        done(ORGANISERS),
        kwargs=area,
        method="post",
        data=event_data,
        label="announce",
    ),
    Case("events:edit", ORGANISERS, kwargs=pk, setup=event, also=ORGANISERS_ALSO),
    Case("events:edit", COUNCIL_ORGANISERS, kwargs=pk, setup=council_event, label="council"),
    Case(
        "events:edit",
        done(ORGANISERS),
        kwargs=pk,
        setup=event,
        method="post",
        data=lambda w: {**event_data(w), "title": "Snoeiavond"},
        label="save",
    ),
    Case("events:cancel", ORGANISERS, kwargs=pk, setup=event, also=ORGANISERS_ALSO),
    Case(
        "events:cancel",
        done(ORGANISERS),
        kwargs=pk,
        setup=event,
        method="post",
        data=lambda w: {"reason": "De zaal is niet beschikbaar."},
        label="cancel",
    ),
    Case("events:rsvps", ORGANISERS, kwargs=pk, setup=event, also=ORGANISERS_ALSO),
    Case("events:rsvps", COUNCIL_ORGANISERS, kwargs=pk, setup=council_event, label="council"),
    Case("events:attendance", ORGANISERS, kwargs=pk, setup=held, also=ORGANISERS_ALSO),
    Case(
        "events:attendance",
        done(ORGANISERS),
        kwargs=pk,
        setup=held,
        method="post",
        data=lambda w: {"count": "12"},
        label="record",
    ),
]
