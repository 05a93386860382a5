"""The demo's councils that decide (issue 14): Oss's wijk- and dorpsraden get their
leefbaarheidsbudget of this year as their own fund; Wijkraad Oss Noordwest and Dorpsraad Lith
held a meeting three weeks ago (decisions with votes and reasons, minutes approved and published)
and have a meeting coming with an agenda; Dorpsraad Dorst (Oosterhout) has a meeting coming.

Everything goes through the services, by the people who do it in real life (the council's chair
and secretary, the area coordinator who hands an application to the council), without mail.
Loading again skips a council that has meetings already.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from wijkwerk.accounts.models import User
from wijkwerk.areas.models import AreaCouncil, CouncilPosition, Municipality
from wijkwerk.core import notifications
from wijkwerk.core.actors import DEMO
from wijkwerk.councils import services
from wijkwerk.councils.models import Meeting
from wijkwerk.funds.models import Category, Fund, Scheme
from wijkwerk.funds.services import save_fund
from wijkwerk.initiatives import services as initiative_services

OSS = "GM0828"
OOSTERHOUT = "GM0826"
OSS_SCHEME = "Leefbaarheidsbudget wijk- en dorpsraden"


@dataclass
class Summary:
    funds: int = 0
    meetings: int = 0
    decisions: int = 0


@dataclass(frozen=True)
class Plan:
    """An application a resident of the council's area makes and the council decides."""

    title: str
    summary: str
    lines: tuple[tuple[str, int], ...]
    category: str
    # None: on the coming meeting's agenda; else (the votes in the members' order, amount,
    # reasons)
    decision: tuple[tuple[str, ...], int | None, str] | None = None


NOORDWEST = (
    Plan(
        "Jeu-de-boulesbaan bij de Elzenburgflat",
        "Een jeu-de-boulesbaan op het grasveld, met twee bankjes: buren van alle leeftijden "
        "ontmoeten elkaar.",
        (("Aanleg baan (gravel, boorden)", 145_000), ("Twee bankjes", 40_000)),
        "fysiek",
        (
            ("for", "for", "for", "for", "against", "abstain", "for"),
            185_000,
            "De baan brengt bewoners van de flat en de eengezinswoningen samen; de buren "
            "onderhouden haar zelf en de gemeente heeft het grasveld hiervoor vrijgegeven.",
        ),
    ),
    Plan(
        "Muurschildering op de garageboxen",
        "Een graffitikunstenaar beschildert de achterkant van de garageboxen samen met jongeren.",
        (("Kunstenaar en verf", 240_000),),
        "fysiek",
        (
            ("for", "against", "against", "for", "against", "abstain", "against"),
            None,
            "De garageboxen zijn van een woningcorporatie die nog geen toestemming gaf; volgens "
            "artikel 4 van de regeling is die toestemming nodig voor werk aan andermans "
            "eigendom. De raad ziet het plan graag terug met die toestemming en een tweede "
            "offerte.",
        ),
    ),
    Plan(
        "Minibiebkastjes in de Kruisstraat",
        "Drie kastjes waar buren boeken ruilen, gemaakt door de houtwerkclub.",
        (("Hout, glas en beslag", 45_000), ("Schilderwerk", 15_000)),
        "sociaal",
    ),
)

LITH = (
    Plan(
        "Dorpsfeest Oijen: nieuwe partytent",
        "Een partytent die de verenigingen van Oijen samen gebruiken bij het dorpsfeest.",
        (("Partytent 6 x 12 m", 95_000),),
        "sociaal",
        (
            ("for", "for"),
            95_000,
            "Alle verenigingen van Oijen gebruiken de tent; het dorpsfeest trekt elk jaar een "
            "groot deel van het dorp.",
        ),
    ),
    Plan(
        "Bloembakken langs de Maasdijk",
        "Twintig bloembakken langs de dijk, onderhouden door de buurtvereniging.",
        (("Bakken en beplanting", 80_000),),
        "fysiek",
    ),
)

MINUTES = (
    "Aanwezig: {present}.\n\n"
    "1. Opening. De voorzitter opent de vergadering om 19.30 uur.\n"
    "2. Aanvragen leefbaarheidsbudget: besproken zoals in de besluiten op deze pagina.\n"
    "3. Rondvraag. Geen vragen.\n"
    "De voorzitter sluit de vergadering om 21.05 uur."
)

# A small valid PDF: the demo's agenda papers.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


def _at(days: int, hour: int = 19, minute: int = 30) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _officers(council: AreaCouncil) -> tuple[User, User, list[User]]:
    memberships = list(council.memberships.select_related("user").order_by("pk"))
    chair = next(m.user for m in memberships if m.position == CouncilPosition.CHAIR)
    secretary = next(
        (m.user for m in memberships if m.position == CouncilPosition.SECRETARY), chair
    )
    return chair, secretary, [m.user for m in memberships]


def _applicants(council: AreaCouncil, members: list[User]) -> list[User]:
    """Residents of the council's area who are not its members (or, failing them, members)."""
    areas = [council.area_id, *council.area.children.values_list("pk", flat=True)]
    people = list(
        User.objects.filter(home_area_id__in=areas)
        .exclude(pk__in=[m.pk for m in members])
        .exclude(role_assignments__isnull=False)
        .order_by("email")
    )
    return people or members[2:] or members


def _meeting(actor: User, council: AreaCouncil, days: int, *, public: bool, title: str) -> Meeting:
    start = _at(days)
    return services.meeting_create(
        actor=actor,
        council=council,
        data=services.MeetingData(
            title=title,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place_name="Wijkcentrum De Ruwaard"
            if "Noordwest" in council.name
            else f"Dorpshuis {council.area.name}",
            description="Openbare vergadering: iedereen is welkom."
            if public
            else "Besloten vergadering; de besluiten en hun motivering worden gepubliceerd.",
            is_public=public,
        ),
    )


def _application(plan: Plan, applicant: User, council: AreaCouncil, handler: User) -> Any:
    municipality = council.area.municipality
    start = timezone.localdate() + datetime.timedelta(days=45)
    initiative = initiative_services.initiative_save_draft(
        actor=applicant,
        initiative=None,
        values={
            "title": plan.title,
            "summary": plan.summary,
            "description": plan.summary,
            "area": applicant.home_area or council.area,
            "category": Category.objects.filter(municipality=municipality, slug=plan.category)
            .order_by("pk")
            .first(),
            "scheme": Scheme.objects.get(municipality=municipality, name=OSS_SCHEME),
            "applicant_kind": "person",
            "resident_group": None,
            "area_council": None,
            "legal_entity": "",
            "applicant_age": 47,
            "address": "",
            "latitude": None,
            "longitude": None,
            "planned_start": start,
            "planned_end": start,
            "own_contribution_cents": 0,
            "own_contribution_hours": 20,
            "own_contribution_materials": "",
            "consent_to_publish": True,
        },
        budget_lines=[initiative_services.BudgetLineData(text, c) for text, c in plan.lines],
        co_applicants=[
            initiative_services.CoApplicantData(name, 40, True)
            for name in ("Buurvrouw Jansen", "Buurman De Groot", "Buurvrouw Bekkers")
        ],
    )
    initiative = initiative_services.initiative_submit(actor=applicant, initiative=initiative)
    return services.initiative_hand_to_council(
        actor=handler, initiative=initiative, council=council
    )


def _council(
    council: AreaCouncil, plans: tuple[Plan, ...], handler: User, summary: Summary, *, public: bool
) -> None:
    chair, secretary, members = _officers(council)
    applicants = _applicants(council, members)
    past = _meeting(chair, council, -21, public=public, title="Vergadering van de raad")
    coming = _meeting(chair, council, 12, public=public, title="Vergadering van de raad")
    summary.meetings += 2
    services.agenda_item_add(actor=secretary, meeting=past, title="Opening en mededelingen")
    services.agenda_item_add(actor=secretary, meeting=coming, title="Opening en mededelingen")
    services.document_add(
        actor=secretary,
        meeting=past,
        title="Agenda en aanvragen",
        upload=SimpleUploadedFile("agenda.pdf", PDF, "application/pdf"),
    )
    for number, plan in enumerate(plans):
        initiative = _application(plan, applicants[number % len(applicants)], council, handler)
        meeting = past if plan.decision else coming
        item = services.agenda_item_add(
            actor=secretary, meeting=meeting, title="", initiative=initiative
        )
        if plan.decision is None:
            continue
        votes, amount, reasons = plan.decision
        choices = {m.pk: vote for m, vote in zip(members, votes, strict=False)}
        services.council_decide(
            actor=secretary,
            item=item,
            present=set(choices),
            choices=choices,
            reasons=reasons,
            amount_cents=amount,
        )
        summary.decisions += 1
    services.agenda_item_add(actor=secretary, meeting=coming, title="Rondvraag en sluiting")
    present = ", ".join(m.display_name for m in members)
    services.minutes_save(actor=secretary, meeting=past, text=MINUTES.format(present=present))
    services.minutes_approve(
        actor=chair, meeting=past, approved_on=timezone.localdate() - datetime.timedelta(days=7)
    )
    services.minutes_publish(actor=chair, meeting=past)


def _own_funds(municipality: Municipality, summary: Summary) -> None:
    """Each Oss council's leefbaarheidsbudget of this year becomes the council's own fund."""
    year = timezone.localdate().year
    for council in AreaCouncil.objects.filter(area__municipality=municipality).select_related(
        "area"
    ):
        fund = Fund.objects.filter(
            municipality=municipality, name=f"Leefbaarheidsbudget {council.area.name}", year=year
        ).first()
        if fund is not None and fund.council_id is None:
            fund.council = council
            save_fund(actor=DEMO, fund=fund)
            summary.funds += 1


def load_demo_councils() -> Summary:
    summary = Summary()
    oss = Municipality.objects.filter(cbs_code=OSS).first()
    with transaction.atomic(), notifications.quiet():
        if oss is not None:
            _own_funds(oss, summary)
            for name, plans, handler, public in (
                ("Wijkraad Oss Noordwest", NOORDWEST, "coordinator.noordwest@oss.example", True),
                ("Dorpsraad Lith", LITH, "coordinator.dorpen@oss.example", False),
            ):
                council = AreaCouncil.objects.filter(area__municipality=oss, name=name).first()
                if council is None or council.meetings.exists():
                    continue
                _council(council, plans, User.objects.get(email=handler), summary, public=public)
        dorst = AreaCouncil.objects.filter(
            area__municipality__cbs_code=OOSTERHOUT, name="Dorpsraad Dorst"
        ).first()
        if dorst is not None and not dorst.meetings.exists():
            chair, secretary, _members = _officers(dorst)
            # Dorst's regulations: three members present make a quorum
            members = len(services.members_of(dorst))
            if members >= 3:
                services.quorum_set(actor=chair, council=dorst, rule="number", number=3)
            coming = _meeting(chair, dorst, 9, public=True, title="Dorpsavond Dorst")
            for title in ("Opening", "Verkeersveiligheid in de Kerkstraat", "Rondvraag"):
                services.agenda_item_add(actor=secretary, meeting=coming, title=title)
            summary.meetings += 1
    return summary
