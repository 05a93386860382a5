"""Fictional people of the demo: officials with their roles, councils, resident groups.

Names are made up; areas are referred to by CBS code (see the CSV files beside this module).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wijkwerk.accounts.models import Role
from wijkwerk.areas.models import CouncilKind, CouncilPosition

OOSTERHOUT = "GM0826"
OSS = "GM0828"


@dataclass(frozen=True)
class Person:
    email: str
    full_name: str
    municipality: str
    home_area: str = ""
    expertise: str = ""
    # (role, CBS area code) for area roles; (role, "") for roles over the whole municipality.
    roles: tuple[tuple[str, str], ...] = ()

    @property
    def is_official(self) -> bool:
        return bool(self.roles)


@dataclass(frozen=True)
class Council:
    area: str
    kind: str
    name: str
    description: str = ""
    # (e-mail, position)
    members: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Group:
    area: str
    name: str
    interest: str = ""
    description: str = ""
    # e-mail addresses; the first is the contact person
    members: tuple[str, ...] = field(default=())


def _area_roles(role: str, *codes: str) -> tuple[tuple[str, str], ...]:
    return tuple((role, code) for code in codes)


OFFICIALS = (
    # Oosterhout
    Person(
        "beheer@oosterhout.example", "Beheerder Oosterhout", OOSTERHOUT, roles=((Role.ADMIN, ""),)
    ),
    Person(
        "griffie@oosterhout.example", "Karin Smits (griffie)", OOSTERHOUT, roles=((Role.CLERK, ""),)
    ),
    Person(
        "makelaar.noord@oosterhout.example",
        "Sanne de Vries",
        OOSTERHOUT,
        roles=_area_roles(Role.BROKER, "WK082600", "WK082601", "WK082602", "WK082603", "WK082609"),
    ),
    Person(
        "makelaar.oost@oosterhout.example",
        "Mohamed El Amrani",
        OOSTERHOUT,
        roles=_area_roles(Role.BROKER, "WK082604", "WK082605", "WK082606", "WK082607", "WK082608"),
    ),
    Person(
        "makelaar.dorpen@oosterhout.example",
        "Inge Verhoeven",
        OOSTERHOUT,
        roles=_area_roles(Role.BROKER, "WK082610", "WK082611", "WK082612", "WK082613"),
    ),
    Person(
        "burgemeester@oosterhout.example",
        "Anne Jansen (burgemeester)",
        OOSTERHOUT,
        roles=_area_roles(Role.ALDERMAN, "WK082600", "WK082608", "WK082609"),
    ),
    Person(
        "wethouder.kuijpers@oosterhout.example",
        "Peter Kuijpers",
        OOSTERHOUT,
        roles=_area_roles(Role.ALDERMAN, "WK082601", "WK082602", "WK082603"),
    ),
    Person(
        "wethouder.bouzid@oosterhout.example",
        "Fatima Bouzid",
        OOSTERHOUT,
        roles=_area_roles(Role.ALDERMAN, "WK082604", "WK082605", "WK082606"),
    ),
    Person(
        "wethouder.vandongen@oosterhout.example",
        "Joost van Dongen",
        OOSTERHOUT,
        roles=_area_roles(Role.ALDERMAN, "WK082607", "WK082610"),
    ),
    Person(
        "wethouder.hendriks@oosterhout.example",
        "Marloes Hendriks",
        OOSTERHOUT,
        roles=_area_roles(Role.ALDERMAN, "WK082611", "WK082612", "WK082613"),
    ),
    Person(
        "wijkwerker@oosterhout.example",
        "Ruud Mertens",
        OOSTERHOUT,
        roles=_area_roles(Role.COMMUNITY_WORKER, "WK082605", "WK082611", "WK082612", "WK082613"),
    ),
    # Oss
    Person("beheer@oss.example", "Beheerder Oss", OSS, roles=((Role.ADMIN, ""),)),
    Person("griffie@oss.example", "Hanneke Willems (griffie)", OSS, roles=((Role.CLERK, ""),)),
    # A second administrator: a grant is paid by an official other than the one who approved it.
    Person("financien@oss.example", "Wendy Peters (financiën)", OSS, roles=((Role.ADMIN, ""),)),
    Person(
        "coordinator.centrum@oss.example",
        "Ilse van den Berg",
        OSS,
        roles=_area_roles(Role.AREA_COORDINATOR, "WK082881", "WK082882", "WK082883"),
    ),
    Person(
        "coordinator.noordwest@oss.example",
        "Ahmet Yilmaz",
        OSS,
        roles=_area_roles(Role.AREA_COORDINATOR, "WK082884", "WK082885"),
    ),
    Person(
        "coordinator.maasdorpen@oss.example",
        "Marieke Verstegen",
        OSS,
        roles=_area_roles(Role.AREA_COORDINATOR, "WK082886", "WK082888", "WK082889"),
    ),
    Person(
        "coordinator.dorpen@oss.example",
        "Frank van der Heijden",
        OSS,
        roles=_area_roles(Role.AREA_COORDINATOR, "WK082887", "WK082890", "WK082891"),
    ),
)

RESIDENTS = (
    # Oosterhout: the three village councils
    Person("henk.vangils@oosterhout.example", "Henk van Gils", OOSTERHOUT, "BU08261300"),
    Person("ellen.adriaansen@oosterhout.example", "Ellen Adriaansen", OOSTERHOUT, "BU08261300"),
    Person(
        "bart.snoeren@oosterhout.example",
        "Bart Snoeren",
        OOSTERHOUT,
        "BU08261307",
        expertise="Penningmeester van verenigingen; helpt met begrotingen voor subsidieaanvragen.",
    ),
    Person("wim.oomen@oosterhout.example", "Wim Oomen", OOSTERHOUT, "WK082611"),
    Person("lieke.debruijn@oosterhout.example", "Lieke de Bruijn", OOSTERHOUT, "WK082611"),
    Person("anja.verschuren@oosterhout.example", "Anja Verschuren", OOSTERHOUT, "WK082612"),
    Person(
        "noor.haddou@oosterhout.example",
        "Noor Haddou",
        OOSTERHOUT,
        "WK082612",
        expertise="Verkeerskundige; denkt mee over veilige schoolroutes.",
    ),
    # Oosterhout: residents without a council
    Person(
        "bewoner@oosterhout.example",
        "Lisa Vermeulen",
        OOSTERHOUT,
        "BU08260591",
        expertise="Subsidieaanvragen schrijven en bijeenkomsten organiseren.",
    ),
    Person(
        "kees.schellekens@oosterhout.example",
        "Kees Schellekens",
        OOSTERHOUT,
        "BU08260102",
        expertise="Timmerwerk: bankjes, plantenbakken, een buurtbieb.",
    ),
    Person("priya.ramdin@oosterhout.example", "Priya Ramdin", OOSTERHOUT, "WK082600"),
    # Oosterhout: residents of Dorst and Den Hout who vote in the demo's budget rounds
    # (demo/budgeting.py)
    Person("fien.hoeks@oosterhout.example", "Fien Hoeks", OOSTERHOUT, "BU08261300"),
    Person("jeroen.franken@oosterhout.example", "Jeroen Franken", OOSTERHOUT, "BU08261307"),
    Person("yara.bakker@oosterhout.example", "Yara Bakker", OOSTERHOUT, "BU08261300"),
    Person("stijn.delaat@oosterhout.example", "Stijn de Laat", OOSTERHOUT, "BU08261300"),
    Person("wilma.broeders@oosterhout.example", "Wilma Broeders", OOSTERHOUT, "BU08261307"),
    Person("maaike.kanters@oosterhout.example", "Maaike Kanters", OOSTERHOUT, "WK082611"),
    Person("rob.vanloon@oosterhout.example", "Rob van Loon", OOSTERHOUT, "WK082611"),
    Person("hatice.yildiz@oosterhout.example", "Hatice Yıldız", OOSTERHOUT, "WK082611"),
    Person("koen.jacobs@oosterhout.example", "Koen Jacobs", OOSTERHOUT, "WK082611"),
    Person("thijs.damen@oosterhout.example", "Thijs Damen", OOSTERHOUT, "WK082611"),
    Person("anouk.dejong@oosterhout.example", "Anouk de Jong", OOSTERHOUT, "WK082611"),
    Person("janwillem.aarts@oosterhout.example", "Jan-Willem Aarts", OOSTERHOUT, "WK082611"),
    # Oss: Wijkraad Oss Noordwest (7 members)
    Person("wijkraad.noordwest@oss.example", "Gerard van Erp", OSS, "BU08280500"),
    Person("marja.vanlith@oss.example", "Marja van Lith", OSS, "BU08280503"),
    Person("youssef.benali@oss.example", "Youssef Benali", OSS, "BU08280500"),
    Person("truus.verhagen@oss.example", "Truus Verhagen", OSS, "BU08280909"),
    Person(
        "dennis.vandenakker@oss.example",
        "Dennis van den Akker",
        OSS,
        "BU08280503",
        expertise="Elektricien; helpt bij verlichting voor buurtfeesten.",
    ),
    Person("sandra.kersten@oss.example", "Sandra Kersten", OSS, "WK082884"),
    Person("bram.vanheeswijk@oss.example", "Bram van Heeswijk", OSS, "WK082884"),
    # Oss: chair and secretary of the other ten councils
    Person("leo.vandijk@oss.example", "Leo van Dijk", OSS, "BU08280200"),
    Person("esther.hermans@oss.example", "Esther Hermans", OSS, "WK082881"),
    Person("rob.coolen@oss.example", "Rob Coolen", OSS, "BU08280303"),
    Person("aysel.kaya@oss.example", "Aysel Kaya", OSS, "WK082882"),
    Person("theo.manders@oss.example", "Theo Manders", OSS, "BU08280605"),
    Person("ria.vanrooij@oss.example", "Ria van Rooij", OSS, "WK082883"),
    Person("harrie.smulders@oss.example", "Harrie Smulders", OSS, "WK082885"),
    Person("fenna.degroot@oss.example", "Fenna de Groot", OSS, "WK082885"),
    Person("piet.vanwanrooij@oss.example", "Piet van Wanrooij", OSS, "WK082886"),
    Person("annie.vandeven@oss.example", "Annie van de Ven", OSS, "WK082886"),
    Person("jos.vanzuijlen@oss.example", "Jos van Zuijlen", OSS, "WK082887"),
    Person("mieke.romme@oss.example", "Mieke Romme", OSS, "WK082887"),
    Person("wout.vanhaaren@oss.example", "Wout van Haaren", OSS, "WK082888"),
    Person("carla.dewit@oss.example", "Carla de Wit", OSS, "WK082888"),
    Person("martien.vangrinsven@oss.example", "Martien van Grinsven", OSS, "WK082889"),
    Person("els.pennings@oss.example", "Els Pennings", OSS, "WK082889"),
    Person("ad.vanhoek@oss.example", "Ad van Hoek", OSS, "WK082890"),
    Person(
        "ingrid.timmers@oss.example",
        "Ingrid Timmers",
        OSS,
        "WK082890",
        expertise="Fondsenwerving en het schrijven van aanvragen bij fondsen.",
    ),
    Person("jan.vanboxtel@oss.example", "Jan van Boxtel", OSS, "WK082891"),
    Person("lotte.wijnen@oss.example", "Lotte Wijnen", OSS, "WK082891"),
    # Oss: residents without a council seat
    Person("bewoner@oss.example", "Sevda Arslan", OSS, "BU08280500"),
    Person(
        "gijs.verbruggen@oss.example",
        "Gijs Verbruggen",
        OSS,
        "WK082890",
        expertise="Tuinier; helpt met moestuinen en groenonderhoud.",
    ),
)

CHAIR, SECRETARY, TREASURER, MEMBER = (
    CouncilPosition.CHAIR,
    CouncilPosition.SECRETARY,
    CouncilPosition.TREASURER,
    CouncilPosition.MEMBER,
)
VILLAGE, DISTRICT = CouncilKind.VILLAGE_COUNCIL, CouncilKind.DISTRICT_COUNCIL


def _pair(chair: str, secretary: str) -> tuple[tuple[str, str], ...]:
    return ((f"{chair}@oss.example", CHAIR), (f"{secretary}@oss.example", SECRETARY))


COUNCILS = (
    Council(
        "WK082613",
        VILLAGE,
        "Dorpsraad Dorst",
        "Denkt mee over alles wat Dorst aangaat en was partner in de pilot van 2020.",
        (
            ("henk.vangils@oosterhout.example", CHAIR),
            ("ellen.adriaansen@oosterhout.example", SECRETARY),
            ("bart.snoeren@oosterhout.example", TREASURER),
        ),
    ),
    Council(
        "WK082611",
        VILLAGE,
        "Dorpsraad Den Hout",
        members=(
            ("wim.oomen@oosterhout.example", CHAIR),
            ("lieke.debruijn@oosterhout.example", SECRETARY),
        ),
    ),
    Council(
        "WK082612",
        VILLAGE,
        "Dorpsraad Oosteind",
        members=(
            ("anja.verschuren@oosterhout.example", CHAIR),
            ("noor.haddou@oosterhout.example", MEMBER),
        ),
    ),
    Council(
        "WK082881",
        DISTRICT,
        "Wijkraad Centrum, Krinkelhoek en Mettegeupel",
        members=_pair("leo.vandijk", "esther.hermans"),
    ),
    Council("WK082882", DISTRICT, "Wijkraad Schadewijk", members=_pair("rob.coolen", "aysel.kaya")),
    Council(
        "WK082883", DISTRICT, "Wijkraad Ruwaard", members=_pair("theo.manders", "ria.vanrooij")
    ),
    Council(
        "WK082884",
        DISTRICT,
        "Wijkraad Oss Noordwest",
        "Zeven leden; beheert een leefbaarheidsbudget en beslist zelf over de besteding.",
        (
            ("wijkraad.noordwest@oss.example", CHAIR),
            ("marja.vanlith@oss.example", SECRETARY),
            ("youssef.benali@oss.example", TREASURER),
            ("truus.verhagen@oss.example", MEMBER),
            ("dennis.vandenakker@oss.example", MEMBER),
            ("sandra.kersten@oss.example", MEMBER),
            ("bram.vanheeswijk@oss.example", MEMBER),
        ),
    ),
    Council(
        "WK082885", DISTRICT, "Wijkraad Oss-Zuid", members=_pair("harrie.smulders", "fenna.degroot")
    ),
    Council(
        "WK082886",
        VILLAGE,
        "Dorpsraad Megen, Haren en Macharen",
        members=_pair("piet.vanwanrooij", "annie.vandeven"),
    ),
    Council(
        "WK082887", VILLAGE, "Dorpsraad Berghem", members=_pair("jos.vanzuijlen", "mieke.romme")
    ),
    Council(
        "WK082888", VILLAGE, "Dorpsraad Ravenstein", members=_pair("wout.vanhaaren", "carla.dewit")
    ),
    Council(
        "WK082889",
        VILLAGE,
        "Dorpsraad Herpen",
        members=_pair("martien.vangrinsven", "els.pennings"),
    ),
    Council(
        "WK082890",
        VILLAGE,
        "Dorpsraad Lith",
        "Kent elk jaar ongeveer € 10.000 leefbaarheidsbudget toe aan initiatieven uit de dorpen.",
        _pair("ad.vanhoek", "ingrid.timmers"),
    ),
    Council(
        "WK082891", VILLAGE, "Dorpsraad Geffen", members=_pair("jan.vanboxtel", "lotte.wijnen")
    ),
)

GROUPS = (
    # Villages with a council
    Group(
        "WK082613",
        "Buurtpreventie Dorst",
        "veiligheid",
        "Bewoners die samen letten op een veilig dorp.",
        ("bart.snoeren@oosterhout.example", "henk.vangils@oosterhout.example"),
    ),
    Group(
        "WK082611",
        "Speeltuinvereniging Den Hout",
        "spelen",
        members=("lieke.debruijn@oosterhout.example",),
    ),
    Group(
        "WK082612",
        "Bewonersgroep Seters",
        "verkeersveiligheid",
        "Bewoners van het buurtschap Seters bij Oosteind.",
        ("noor.haddou@oosterhout.example",),
    ),
    Group(
        "WK082890",
        "Buurtplatform Teeffelen",
        "leefbaarheid",
        members=("gijs.verbruggen@oss.example", "ingrid.timmers@oss.example"),
    ),
    Group(
        "WK082891",
        "Zorgcoöperatie Geffen",
        "zorg en ontmoeting",
        members=("lotte.wijnen@oss.example",),
    ),
    # Areas without a council of their own
    Group(
        "BU08260591",
        "Bewonersgroep Oosterheide-Oost",
        "ontmoeting",
        "Begonnen in de pilot van 2020.",
        ("bewoner@oosterhout.example", "priya.ramdin@oosterhout.example"),
    ),
    Group(
        "BU08260102",
        "Groen Slotjes-West",
        "groen in de buurt",
        members=("kees.schellekens@oosterhout.example",),
    ),
    Group("BU08280500", "Straatcomité Elzenburg", "straatfeest", members=("bewoner@oss.example",)),
)
