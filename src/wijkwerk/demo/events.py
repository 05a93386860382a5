"""The demo's meetings and events (issue 14), dated from today: in Oosterhout the wijkmakelaar of
the villages organises Dorst's events (one coming with sign-ups, one full with a waiting list,
one held with its attendance recorded); in Oss the coordinator of the villages organises Lith's
(one coming, one held). Through the events' services with the demo's mail kept quiet; an event
that was held is announced first and then moved back (the service refuses a new event in the
past). Loading again changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wijkwerk.areas.models import Area
from wijkwerk.core import notifications
from wijkwerk.events import services
from wijkwerk.events.models import Event

OOSTERHOUT = "GM0826"
OSS = "GM0828"


@dataclass(frozen=True)
class DemoEvent:
    municipality: str
    area: str
    organiser: str
    title: str
    description: str
    days: int  # from today; negative: held that many days ago
    hours: tuple[int, int, int, int]  # start hour, minute, end hour, minute
    place: str
    address: str
    capacity: int | None
    signed_up: tuple[str, ...] = ()
    # people without an account who confirmed by mail: (name, address)
    guests: tuple[tuple[str, str], ...] = ()
    attendance: int | None = None
    came: tuple[str, ...] = field(default_factory=tuple)
    point: tuple[float, float] | None = None


EVENTS = (
    DemoEvent(
        OOSTERHOUT,
        "dorst",
        "makelaar.dorpen@oosterhout.example",
        "Snoeimiddag in de dorpsboomgaard",
        "Samen snoeien we de fruitbomen in de boomgaard achter De Wis. Een snoeier van de "
        "gemeente laat zien hoe het moet. Snoeischaren en handschoenen liggen klaar; neem "
        "laarzen mee.",
        12,
        (13, 30, 16, 30),
        "Dorpsboomgaard achter De Wis",
        "Kerkstraat 2, Dorst",
        20,
        signed_up=(
            "henk.vangils@oosterhout.example",
            "ellen.adriaansen@oosterhout.example",
            "fien.hoeks@oosterhout.example",
        ),
        guests=(("Gerrit Wouters", "gerrit.wouters@voorbeeld.example"),),
        point=(51.590800, 4.857600),
    ),
    DemoEvent(
        OOSTERHOUT,
        "dorst",
        "makelaar.dorpen@oosterhout.example",
        "Kookworkshop: koken voor je buren",
        "Een avond samen koken en eten in de keuken van De Wis. Er zijn vier plaatsen aan het "
        "fornuis; wie er niet bij past, komt op de wachtlijst.",
        5,
        (18, 0, 21, 0),
        "Dorpshuis De Wis, keuken",
        "Kerkstraat 2, Dorst",
        4,
        signed_up=(
            "bart.snoeren@oosterhout.example",
            "yara.bakker@oosterhout.example",
            "stijn.delaat@oosterhout.example",
            "jeroen.franken@oosterhout.example",
            "wilma.broeders@oosterhout.example",
            "henk.vangils@oosterhout.example",
        ),
    ),
    DemoEvent(
        OOSTERHOUT,
        "dorst",
        "makelaar.dorpen@oosterhout.example",
        "Opschoonochtend Dorst",
        "We ruimen samen zwerfafval op langs de Dorpsstraat en rond het station. De gemeente "
        "zorgt voor grijpers, zakken en koffie na afloop.",
        -10,
        (9, 30, 12, 0),
        "Verzamelen bij het oude station",
        "Stationsstraat 1, Dorst",
        None,
        signed_up=(
            "henk.vangils@oosterhout.example",
            "ellen.adriaansen@oosterhout.example",
            "bart.snoeren@oosterhout.example",
            "fien.hoeks@oosterhout.example",
        ),
        attendance=17,
        came=(
            "henk.vangils@oosterhout.example",
            "ellen.adriaansen@oosterhout.example",
            "fien.hoeks@oosterhout.example",
        ),
    ),
    DemoEvent(
        OSS,
        "lith",
        "coordinator.dorpen@oss.example",
        "Dorpsavond Lith: de toekomst van de Maasdijk",
        "De gemeente en de dorpsraad praten met bewoners over het pad langs de Maasdijk: "
        "verlichting, bankjes en waar honden los mogen.",
        9,
        (19, 30, 21, 30),
        "Dorpshuis Lith, grote zaal",
        "Marktplein 1, Lith",
        60,
        signed_up=("ad.vanhoek@oss.example", "jan.vanboxtel@oss.example"),
        guests=(("Marieke Verhoeven", "marieke.verhoeven@voorbeeld.example"),),
    ),
    DemoEvent(
        OSS,
        "lith",
        "coordinator.dorpen@oss.example",
        "Wandeling langs de dorpsommetjes",
        "Met een gids van de heemkundekring langs de oude ommetjes rond Lith.",
        -20,
        (14, 0, 16, 0),
        "Start bij de kerk",
        "Kerkstraat 1, Lith",
        25,
        signed_up=("ad.vanhoek@oss.example", "lotte.wijnen@oss.example"),
        attendance=9,
        came=("ad.vanhoek@oss.example",),
    ),
)


@dataclass
class Summary:
    events: int = 0
    rsvps: int = 0


def _moment(days: int, hour: int, minute: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def load_demo_events() -> Summary:
    summary = Summary()
    emails = {row.organiser for row in EVENTS}
    for row in EVENTS:
        emails |= set(row.signed_up)
    people = {
        person.email: person
        for person in get_user_model()._default_manager.filter(email__in=emails)
    }
    with notifications.quiet(), transaction.atomic():
        for row in EVENTS:
            area = Area.objects.filter(
                municipality__cbs_code=row.municipality, slug=row.area
            ).first()
            organiser = people.get(row.organiser)
            if area is None or organiser is None:
                continue
            if Event.objects.filter(area=area, title=row.title).exists():
                continue
            held = row.days < 0
            days = 30 if held else row.days  # announced ahead, moved back below
            start_hour, start_minute, end_hour, end_minute = row.hours
            data = {
                "title": row.title,
                "description": row.description,
                "starts_at": _moment(days, start_hour, start_minute),
                "ends_at": _moment(days, end_hour, end_minute),
                "place_name": row.place,
                "address": row.address,
                "capacity": row.capacity,
                "rsvp_enabled": True,
            }
            if row.point is not None:
                data["latitude"], data["longitude"] = row.point
            event = services.event_create(actor=organiser, area=area, data=data)
            summary.events += 1
            rsvps = {}
            for email in row.signed_up:
                person = people.get(email)
                if person is not None:
                    rsvps[email] = services.rsvp_sign_up(actor=person, event=event)
                    summary.rsvps += 1
            for name, address in row.guests:
                guest = services.rsvp_request(
                    event=event, name=name, email=address, language="nl", client="demo"
                )
                if guest is not None:
                    services.rsvp_confirm(rsvp=guest, token=services.rsvp_token(guest))
                    summary.rsvps += 1
            if held:
                Event.objects.filter(pk=event.pk).update(
                    starts_at=_moment(row.days, start_hour, start_minute),
                    ends_at=_moment(row.days, end_hour, end_minute),
                )
                event.refresh_from_db()
                if row.attendance is not None:
                    services.attendance_record(
                        actor=organiser,
                        event=event,
                        count=row.attendance,
                        attended=[rsvps[email].pk for email in row.came if email in rsvps],
                    )
    return summary
