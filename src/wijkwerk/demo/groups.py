"""The demo's self-service resident groups (issue 15): residents of Oosterhout and Oss found
groups of each join policy through the services themselves (the rules apply to them), others
join or ask to join; one request waits for the contact's answer, one invitation waits to be
accepted, and Oosterhout's community worker is linked to the moestuin in Dorst-Zuid. Without
mail. Loading again skips the groups that exist (their names tell)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from wijkwerk.accounts.models import User
from wijkwerk.areas.models import Area, JoinPolicy, ResidentGroup
from wijkwerk.core import notifications
from wijkwerk.groups import services


@dataclass(frozen=True)
class DemoGroup:
    area: str  # CBS code
    name: str
    interest: str
    description: str
    join_policy: str
    founder: str
    members: tuple[str, ...] = ()  # join (open) or are accepted (on request)
    named: tuple[str, ...] = ()  # members who show their name on the page
    waiting: tuple[str, ...] = ()  # asked to join, not answered yet
    invited: tuple[str, ...] = ()  # invited by e-mail, not accepted yet
    treasurer: str = ""
    worker: str = ""  # the community worker who links themself


GROUPS = (
    DemoGroup(
        "BU08261307",
        "Moestuin Dorst-Zuid",
        "groen",
        "Samen tuinieren op het braakliggende veld achter de school. Iedere zaterdagochtend "
        "vanaf negen uur; gereedschap is er, koffie ook.",
        JoinPolicy.ON_REQUEST,
        founder="jeroen.franken@oosterhout.example",
        members=("wilma.broeders@oosterhout.example", "fien.hoeks@oosterhout.example"),
        named=("wilma.broeders@oosterhout.example",),
        waiting=("yara.bakker@oosterhout.example",),
        treasurer="wilma.broeders@oosterhout.example",
        worker="wijkwerker@oosterhout.example",
    ),
    DemoGroup(
        "BU08261300",
        "Repair Café Dorst",
        "repareren",
        "Kapotte lamp, fiets of broek? Eens per maand repareren we samen in het dorpshuis.",
        JoinPolicy.OPEN,
        founder="fien.hoeks@oosterhout.example",
        members=("stijn.delaat@oosterhout.example", "yara.bakker@oosterhout.example"),
        named=("stijn.delaat@oosterhout.example",),
    ),
    DemoGroup(
        "BU08280500",
        "Samen Koken Noordwest",
        "ontmoeting",
        "Iedere donderdag koken we met buren uit alle windstreken en eten we samen.",
        JoinPolicy.OPEN,
        founder="youssef.benali@oss.example",
        members=("marja.vanlith@oss.example",),
        named=("marja.vanlith@oss.example",),
    ),
    DemoGroup(
        "BU08280909",
        "Zorgcirkel Oss-Oost",
        "zorg",
        "Buren die elkaar helpen met boodschappen, vervoer en een praatje. Nieuwe leden komen "
        "op uitnodiging, zodat iedereen elkaar kent.",
        JoinPolicy.INVITATION,
        founder="truus.verhagen@oss.example",
        invited=("leo.vandijk@oss.example",),
    ),
)


@dataclass
class Summary:
    groups: int = 0
    members: int = 0
    requests: int = 0
    invitations: int = 0


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _load(data: DemoGroup, summary: Summary) -> None:
    area = Area.objects.filter(cbs_code=data.area).first()
    founder = _person(data.founder)
    if area is None or founder is None:
        return
    if ResidentGroup.objects.filter(area=area, name=data.name).exists():
        return
    group = services.group_found(
        actor=founder,
        data=services.GroupData(
            area=area,
            name=data.name,
            description=data.description,
            interest=data.interest,
            join_policy=data.join_policy,
        ),
    )
    summary.groups += 1
    for email in data.members:
        person = _person(email)
        if person is None:
            continue
        joined = services.join(actor=person, group=group)
        if not hasattr(joined, "role"):  # a request: the founder accepts it
            services.request_answer(actor=founder, join_request=joined, accept=True)
        summary.members += 1
        if email in data.named:
            services.set_name_shown(actor=person, group=group, shown=True)
        if email == data.treasurer:
            membership = group.memberships.get(user=person)
            services.set_role(actor=founder, membership=membership, role="treasurer")
    for email in data.waiting:
        person = _person(email)
        if person is not None:
            services.join(actor=person, group=group, message="Ik woon om de hoek en doe graag mee.")
            summary.requests += 1
    for email in data.invited:
        services.invite(actor=founder, group=group, email=email)
        summary.invitations += 1
    worker = _person(data.worker) if data.worker else None
    if worker is not None:
        services.worker_link(actor=worker, group=group, worker=worker)


def load_demo_groups() -> Summary:
    summary = Summary()
    with notifications.quiet(), transaction.atomic():
        for data in GROUPS:
            _load(data, summary)
    return summary
