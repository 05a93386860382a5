"""The demo's pilots and lessons (issue 16): the area pilots Oosterhout's council asked for on
22 September 2020 — lessons "seen from the municipality and from the residents" every quarter —
and two pilots in Oss. Lessons of both perspectives, learned in the last full quarter (the one the
demo's published council report covers) and in the current one; follow-ups on some; residents'
lessons sent through the short form, one approved by the broker and one (Lisa Vermeulen's, the
demo resident's) still waiting for moderation.

Built through the services by the people themselves (the rules apply to them), without mail.
Loaded before the reports demo. Loading again skips what exists (the pilots' titles tell)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from wijkwerk.accounts.models import RoleAssignment, User
from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core import notifications
from wijkwerk.core.quarters import Quarter
from wijkwerk.learning import selectors, services
from wijkwerk.learning.models import Perspective, Pilot, PilotStatus

MUNICIPALITY = Perspective.MUNICIPALITY
RESIDENTS = Perspective.RESIDENTS


@dataclass
class DemoLesson:
    perspective: str
    title: str
    text: str
    tags: tuple[str, ...]
    days: int  # learned this many days into the quarter (`previous`: the last full one)
    previous: bool = True
    on_behalf: bool = False
    author: str = ""  # an official other than the pilot's maker
    follow_up: str = ""
    follow_up_days: int = 0  # the follow-up this many days after the lesson


@dataclass
class DemoResidentLesson:
    resident: str
    title: str
    text: str
    approve: bool


@dataclass
class DemoPilot:
    municipality: str
    maker: str
    title: str
    goal: str
    codes: tuple[str, ...]
    status: str
    started_days_ago: int
    runs_days: int
    people: str
    officials: tuple[str, ...] = ()
    lessons: tuple[DemoLesson, ...] = ()
    resident_lessons: tuple[DemoResidentLesson, ...] = field(default_factory=tuple)


DORPEN = "makelaar.dorpen@oosterhout.example"
OOST = "makelaar.oost@oosterhout.example"
WIJKWERKER = "wijkwerker@oosterhout.example"

PILOTS = (
    DemoPilot(
        "oosterhout",
        DORPEN,
        "Dorpsgericht werken in Dorst",
        "De dorpsraad, de wijkmakelaar en de wijkwerker bepalen samen wat Dorst het eerst nodig "
        "heeft, en bewoners krijgen zeggenschap over een deel van het budget. Geslaagd als de "
        "dorpsraad de agenda mee opstelt en bewoners zien wat er met hun ideeën gebeurt.",
        ("WK082613",),
        PilotStatus.RUNNING,
        400,
        730,
        "Dorpsraad Dorst, ondernemersvereniging Dorst, basisschool De Boomgaard",
        (DORPEN, WIJKWERKER),
        (
            DemoLesson(
                MUNICIPALITY,
                "Eerst luisteren, dan plannen",
                "Toen we met een uitgewerkt plan voor het dorpsplein kwamen, voelde de dorpsraad "
                "zich overvallen. Bij de tweede avond begonnen we met vragen in plaats van "
                "tekeningen: dat leverde drie ideeën op die we zelf niet hadden bedacht.",
                ("participatie", "dorpsraad"),
                12,
                follow_up="Nieuwe plannen beginnen nu met een open avond; de tekeningen komen "
                "pas in de tweede ronde.",
                follow_up_days=40,
            ),
            DemoLesson(
                MUNICIPALITY,
                "Eén vast aanspreekpunt scheelt tijd",
                "Bewoners belden eerst met drie afdelingen. Sinds de wijkmakelaar het vaste "
                "aanspreekpunt is, worden vragen binnen een week beantwoord.",
                ("organisatie",),
                50,
            ),
            DemoLesson(
                RESIDENTS,
                "Laat zien wat er met onze ideeën gebeurt",
                "Op de dorpsavond zeiden bewoners dat ze wel meedenken, maar daarna niets meer "
                "horen. Ze willen een overzicht van wat er met elk idee is gedaan, ook als het "
                "niet doorgaat.",
                ("participatie", "terugkoppeling"),
                20,
                on_behalf=True,
                author=WIJKWERKER,
                follow_up="Op de pagina van de dorpsraad staat nu per idee wat ermee gebeurt.",
                follow_up_days=30,
            ),
            DemoLesson(
                MUNICIPALITY,
                "Het budget per dorp is te klein voor groen",
                "Met het dorpsbudget lukt een bankje of een bloembak, maar geen nieuwe bomen. "
                "Voor groen is een bijdrage uit het groenbudget nodig.",
                ("geld", "groen"),
                15,
                previous=False,
            ),
        ),
        (
            DemoResidentLesson(
                "fien.hoeks@oosterhout.example",
                "Zaterdag werkt beter dan doordeweeks",
                "De klusdag op zaterdag trok twintig buren, de avond doordeweeks vijf. Plan "
                "meedoen op momenten dat werkende mensen kunnen.",
                approve=True,
            ),
        ),
    ),
    DemoPilot(
        "oosterhout",
        OOST,
        "Buurtbudget Oosterheide",
        "Bewoners van Oosterheide verdelen zelf een buurtbudget voor de sociale samenhang, met "
        "ondersteuning van de wijkmakelaar. Geslaagd als meer bewoners dan de vaste groep "
        "meedoen en de plannen in een jaar worden uitgevoerd.",
        ("WK082605",),
        PilotStatus.RUNNING,
        200,
        365,
        "Bewonersgroep Oosterheide, Surplus welzijn, woningcorporatie Thuisvester",
        (OOST,),
        (
            DemoLesson(
                MUNICIPALITY,
                "Een eigen budget geeft vaart",
                "Met een eigen budget besluiten bewoners in weken wat anders maanden duurde. "
                "Wel is een eenvoudige verantwoording nodig: een foto en de bonnetjes.",
                ("geld", "snelheid"),
                25,
                follow_up="De verantwoording van kleine bedragen gaat nu met een formulier van "
                "één bladzijde.",
                follow_up_days=45,
            ),
            DemoLesson(
                RESIDENTS,
                "Niet iedereen leest de nieuwsbrief",
                "Bewoners die we op het marktplein spraken, hadden nooit van het buurtbudget "
                "gehoord. Ze vragen om flyers in de brievenbus en een stand bij de supermarkt.",
                ("communicatie", "bereik"),
                35,
                on_behalf=True,
            ),
        ),
        (
            DemoResidentLesson(
                "bewoner@oosterhout.example",
                "Stemmen kan ook op papier",
                "Mijn buurvrouw van 84 wilde meestemmen maar heeft geen computer. Met een "
                "stembriefje bij het buurthuis doen ook ouderen mee.",
                approve=False,
            ),
        ),
    ),
    DemoPilot(
        "oosterhout",
        DORPEN,
        "Spreekuur van de wijkmakelaar in Den Hout",
        "Een half jaar lang elke dinsdagochtend een spreekuur in het dorpshuis van Den Hout. "
        "Geslaagd als bewoners er met vragen en ideeën komen die de gemeente anders niet hoort.",
        ("WK082611",),
        PilotStatus.EVALUATED,
        500,
        180,
        "Dorpsraad Den Hout, dorpshuis De Kreek",
        (DORPEN,),
        (
            DemoLesson(
                MUNICIPALITY,
                "Een vast spreekuur werkt alleen met een bekend gezicht",
                "De eerste weken kwam er niemand. Pas toen de dorpsraad het spreekuur aankondigde "
                "en de wijkmakelaar op het dorpsfeest stond, kwamen er bewoners.",
                ("organisatie", "bereik"),
                5,
                follow_up="De wijkmakelaar gaat nu eerst langs bij de dorpsraad voordat een "
                "spreekuur begint.",
                follow_up_days=20,
            ),
            DemoLesson(
                RESIDENTS,
                "Liever op afspraak dan elke week",
                "Bewoners vonden een wekelijks spreekuur te vaak en te vroeg. Een afspraak op een "
                "avond past beter.",
                ("organisatie",),
                8,
                on_behalf=True,
            ),
        ),
    ),
    DemoPilot(
        "oss",
        "coordinator.noordwest@oss.example",
        "Wijkraad Noordwest bereikt meer bewoners",
        "De wijkraad van Oss Noordwest probeert nieuwe manieren om bewoners te bereiken die niet "
        "naar vergaderingen komen: een peiling, een wijkwandeling en een stand op de markt. "
        "Geslaagd als twee keer zoveel bewoners een mening geven.",
        ("WK082884",),
        PilotStatus.RUNNING,
        250,
        500,
        "Wijkraad Oss Noordwest, Welzijn Oss",
        ("coordinator.noordwest@oss.example",),
        (
            DemoLesson(
                MUNICIPALITY,
                "Een wijkwandeling trekt andere bewoners dan een vergadering",
                "Op de wijkwandeling kwamen jonge gezinnen die nooit naar de wijkraad komen. "
                "Ze hadden vooral ideeën over speelplekken en verkeer.",
                ("bereik", "participatie"),
                30,
            ),
            DemoLesson(
                RESIDENTS,
                "Een korte peiling op de telefoon",
                "Bewoners vullen liever drie vragen op de telefoon in dan een lange enquête. "
                "De wijkraad wil vaker zo'n korte peiling.",
                ("bereik", "peiling"),
                60,
                on_behalf=True,
                follow_up="De wijkraad houdt nu elke maand een peiling van drie vragen.",
                follow_up_days=15,
            ),
        ),
    ),
    DemoPilot(
        "oss",
        "coordinator.dorpen@oss.example",
        "Samen schoon in Lith",
        "Bewoners en de gemeente houden samen de dijk en de haven van Lith schoon, met eigen "
        "materiaal en een vaste ophaaldienst.",
        ("WK082890",),
        PilotStatus.PLANNED,
        -30,
        365,
        "Dorpsraad Lith, IVN Maasland",
        ("coordinator.dorpen@oss.example",),
    ),
)

# A lesson about an area, without a pilot.
AREA_LESSON = (
    "oss",
    "coordinator.centrum@oss.example",
    "WK082881",
    DemoLesson(
        MUNICIPALITY,
        "Het centrum vraagt om één loket voor ondernemers en bewoners",
        "Ondernemers en bewoners van het centrum spreken elkaar nauwelijks, maar hebben dezelfde "
        "vragen over parkeren en afval. Eén gezamenlijk spreekuur bespaart dubbel werk.",
        ("organisatie", "centrum"),
        40,
    ),
)


@dataclass
class Summary:
    pilots: int = 0
    lessons: int = 0
    waiting: int = 0


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _official(email: str) -> User | None:
    user = _person(email)
    if user is None or not RoleAssignment.objects.filter(user=user).exists():
        return None
    return user


def _on(days: int, previous: bool) -> datetime.date:
    """A day in the last full quarter (or the current one), never after today."""
    quarter = Quarter.current().previous() if previous else Quarter.current()
    return min(quarter.first_day + datetime.timedelta(days=days), timezone.localdate())


def _record(
    author: User,
    municipality: Municipality,
    lesson: DemoLesson,
    *,
    pilot: Pilot | None,
    area: Area | None,
) -> None:
    learned_on = _on(lesson.days, lesson.previous)
    recorded = services.lesson_record(
        actor=author,
        municipality=municipality,
        data=services.LessonData(
            title=lesson.title,
            text=lesson.text,
            perspective=lesson.perspective,
            pilot=pilot,
            area=area,
            tags=list(lesson.tags),
            learned_on=learned_on,
            on_behalf=lesson.on_behalf,
        ),
    )
    if lesson.follow_up:
        on = min(learned_on + datetime.timedelta(days=lesson.follow_up_days), timezone.localdate())
        found = selectors.lesson(recorded.pk)
        assert found is not None
        services.lesson_follow_up(actor=author, lesson=found, text=lesson.follow_up, on=on)


def _pilot(demo: DemoPilot, summary: Summary) -> None:
    if Pilot.objects.filter(title=demo.title).exists():
        return
    maker = _official(demo.maker)
    municipality = Municipality.objects.filter(slug=demo.municipality).first()
    areas = list(Area.objects.filter(cbs_code__in=demo.codes).select_related("parent__parent"))
    if maker is None or municipality is None or not areas:
        return
    today = timezone.localdate()
    starts_on = today - datetime.timedelta(days=demo.started_days_ago)
    officials = [person for email in demo.officials if (person := _official(email))]
    pilot = services.pilot_create(
        actor=maker,
        municipality=municipality,
        data=services.PilotData(
            title=demo.title,
            goal=demo.goal,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=demo.runs_days),
            areas=areas,
            officials=officials,
            people=demo.people,
            status=demo.status,
        ),
    )
    summary.pilots += 1
    for lesson in demo.lessons:
        author = _official(lesson.author) if lesson.author else maker
        _record(author or maker, municipality, lesson, pilot=pilot, area=None)
        summary.lessons += 1
    for sent in demo.resident_lessons:
        resident = _person(sent.resident)
        if resident is None:
            continue
        waiting = services.lesson_send(
            actor=resident,
            municipality=municipality,
            data=services.LessonData(title=sent.title, text=sent.text, pilot=pilot),
        )
        summary.lessons += 1
        if sent.approve:
            found = selectors.lesson(waiting.pk)
            assert found is not None
            services.lesson_moderate(actor=maker, lesson=found, approve=True)
        else:
            summary.waiting += 1


def load_demo_learning() -> Summary:
    summary = Summary()
    with notifications.quiet(), transaction.atomic():
        for demo in PILOTS:
            _pilot(demo, summary)
        slug, email, code, lesson = AREA_LESSON
        author = _official(email)
        municipality = Municipality.objects.filter(slug=slug).first()
        area = Area.objects.filter(cbs_code=code).select_related("parent__parent").first()
        if (
            author is not None
            and municipality is not None
            and area is not None
            and not area.lessons.filter(title=lesson.title).exists()
        ):
            _record(author, municipality, lesson, pilot=None, area=area)
            summary.lessons += 1
    return summary
