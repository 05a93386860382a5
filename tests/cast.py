"""The cast: one set of places and people every test plays in (the `cast` fixture in
tests/conftest.py builds it afresh for each test, with the factories).

Places
    `municipality`   Oosterhout (GM0826)
    `district`       its village Dorst (WK082613), with the council `council` (Dorpsraad Dorst)
    `neighbourhood`  Dorst-Zuid (BU08261307), a neighbourhood of Dorst
    `other_district` Slotjes (WK082601), a district of Oosterhout
    `oss`            Oss (GM0828), another municipality, with its village `lith` (Lith)

People
    `applicant`, `neighbour`  residents of Dorst-Zuid (Anna Aanvrager, Niels Buur)
    `outsider`                a resident of Slotjes
    `council_member`          lives in Dorst, member of Dorpsraad Dorst
    `broker`                  the broker (wijkmakelaar) of Dorst (Bram Makelaar)
    `other_broker`            the broker of Slotjes
    `alderman`, `community_worker`, `coordinator`  the alderman, community worker and area
                              coordinator of Dorst
    `clerk`, `admin`          Oosterhout's council clerk and administrator
    `oss_admin`               Oss's administrator
Every official has the two-factor login officials must have (`tests.accounts.factories.official`).

Money
    `scheme`    Oosterhout's "Regeling bewonersinitiatieven" (at most € 5.000, 14 days' lead time)
    `category`  "Fysieke leefomgeving"
    `fund`      "Bewonersinitiatieven" of `budget_year()` (€ 300.000) for the whole municipality

Steps: `values()` (a complete application in Dorst-Zuid), `draft()`, `submitted()`, `approved()`
and `advance_paid()` take an initiative of the applicant's that far through the services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from wijkwerk.accounts.models import Role
from wijkwerk.areas.models import AreaKind
from wijkwerk.initiatives import services
from wijkwerk.initiatives.models import Initiative

from .accounts.factories import UserFactory, official
from .areas.factories import (
    AreaCouncilFactory,
    AreaFactory,
    CouncilMembershipFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
)
from .funds.factories import CategoryFactory, FundFactory, SchemeFactory

IBAN = "NL91ABNA0417164300"
PAYEE = "Stichting Geveltuinen Dorst"


def budget_year() -> int:
    """The year the default initiative starts (30 days ahead), whose fund pays for it."""
    return (timezone.localdate() + datetime.timedelta(days=30)).year


@dataclass
class Cast:
    municipality: Any
    district: Any
    neighbourhood: Any
    other_district: Any
    council: Any
    oss: Any
    lith: Any
    scheme: Any
    category: Any
    fund: Any
    broker: Any
    other_broker: Any
    admin: Any
    applicant: Any
    neighbour: Any
    outsider: Any
    council_member: Any
    alderman: Any
    community_worker: Any
    coordinator: Any
    clerk: Any
    oss_admin: Any

    def values(self, **overrides: Any) -> dict[str, Any]:
        """A complete application by the applicant, in Dorst-Zuid, starting in 30 days."""
        start = timezone.localdate() + datetime.timedelta(days=30)
        values = {
            "title": "Geveltuinen in de Kerkstraat",
            "summary": "Samen geveltuinen aanleggen langs de hele Kerkstraat.",
            "description": "We willen tegels wippen en planten zetten met de buren.",
            "area": self.neighbourhood,
            "category": self.category,
            "scheme": self.scheme,
            "applicant_kind": "person",
            "resident_group": None,
            "area_council": None,
            "legal_entity": "",
            "applicant_age": 42,
            "address": "Kerkstraat 1, Dorst",
            "latitude": None,
            "longitude": None,
            "planned_start": start,
            "planned_end": start + datetime.timedelta(days=1),
            "own_contribution_cents": 5_000,
            "own_contribution_hours": 20,
            "own_contribution_materials": "Schoppen",
            "consent_to_publish": True,
        }
        values.update(overrides)
        return values

    def draft(self, *, lines: tuple[int, ...] = (80_000, 70_000), **overrides: Any) -> Initiative:
        return services.initiative_save_draft(
            actor=self.applicant,
            initiative=None,
            values=self.values(**overrides),
            budget_lines=[
                services.BudgetLineData(f"Post {i + 1}", amount) for i, amount in enumerate(lines)
            ],
        )

    def submitted(self, **overrides: Any) -> Initiative:
        initiative = self.draft(**overrides)
        return services.initiative_submit(actor=self.applicant, initiative=initiative)

    def approved(self, amount: int = 125_000, **overrides: Any) -> Initiative:
        """Approved by the broker; the applicant has given the account to pay to."""
        initiative = self.submitted(**overrides)
        initiative = services.initiative_transition(
            actor=self.broker,
            initiative=initiative,
            action="approve",
            amount_cents=amount,
            fund=self.fund,
        )
        return services.initiative_set_payee(
            actor=self.applicant, initiative=initiative, iban=IBAN, name=PAYEE
        )

    def accounted(
        self,
        initiative: Initiative,
        actual: tuple[int, ...],
        *,
        report: str = "Gelukt",
        took_place: bool = True,
        participants: int = 10,
    ) -> Initiative:
        """The applicant's accountability: `actual` costs for the budget lines, in order."""
        lines = list(initiative.budget_lines.all())
        services.accountability_submit(
            actor=self.applicant,
            initiative=initiative,
            report=report,
            took_place=took_place,
            participants=participants,
            actual_costs={line.pk: cost for line, cost in zip(lines, actual, strict=True)},
        )
        return Initiative.objects.get(pk=initiative.pk)

    def advance_paid(self, amount: int = 125_000, **overrides: Any) -> Initiative:
        """Approved by the broker, the advance paid by a second official (the admin)."""
        initiative = self.approved(amount, **overrides)
        services.initiatives_mark_paid(actor=self.admin, initiatives=[initiative])
        initiative.refresh_from_db()
        return initiative


def build_cast() -> Cast:
    """The cast, made with the factories (the `cast` fixture; browser tests that need the data
    committed call it inside their transactional test)."""
    oosterhout = MunicipalityFactory(name="Oosterhout", slug="oosterhout", cbs_code="GM0826")
    dorst = AreaFactory(
        municipality=oosterhout,
        name="Dorst",
        slug="dorst",
        cbs_code="WK082613",
        kind=AreaKind.VILLAGE,
    )
    dorst_zuid = NeighbourhoodFactory(
        parent=dorst, name="Dorst-Zuid", slug="dorst-zuid", cbs_code="BU08261307"
    )
    slotjes = AreaFactory(
        municipality=oosterhout, name="Slotjes", slug="slotjes", cbs_code="WK082601"
    )
    scheme = SchemeFactory(
        municipality=oosterhout,
        name="Regeling bewonersinitiatieven",
        max_per_initiative_cents=500_000,
        lead_time_days=14,
    )
    fund = FundFactory(
        scheme=scheme,
        name="Bewonersinitiatieven",
        year=budget_year(),
        amount_cents=30_000_000,
    )
    category = CategoryFactory(municipality=oosterhout, name="Fysieke leefomgeving")
    broker = official(Role.BROKER, area=dorst, full_name="Bram Makelaar")
    other_broker = official(Role.BROKER, area=slotjes)
    admin = official(Role.ADMIN, municipality=oosterhout)
    applicant = UserFactory(home_area=dorst_zuid, full_name="Anna Aanvrager")
    neighbour = UserFactory(home_area=dorst_zuid, full_name="Niels Buur")
    outsider = UserFactory(home_area=slotjes)
    council = AreaCouncilFactory(area=dorst, name="Dorpsraad Dorst")
    council_member = UserFactory(home_area=dorst)
    CouncilMembershipFactory(council=council, user=council_member)
    oss = MunicipalityFactory(name="Oss", slug="oss", cbs_code="GM0828")
    lith = AreaFactory(
        municipality=oss,
        name="Lith",
        slug="lith",
        kind=AreaKind.VILLAGE,
        cbs_code="WK082899",
        code_is_demo=True,
        description="Lith, Oijen en Maren-Kessel.",
    )
    return Cast(
        municipality=oosterhout,
        district=dorst,
        neighbourhood=dorst_zuid,
        other_district=slotjes,
        council=council,
        oss=oss,
        lith=lith,
        scheme=scheme,
        category=category,
        fund=fund,
        broker=broker,
        other_broker=other_broker,
        admin=admin,
        applicant=applicant,
        neighbour=neighbour,
        outsider=outsider,
        council_member=council_member,
        alderman=official(Role.ALDERMAN, area=dorst),
        community_worker=official(Role.COMMUNITY_WORKER, area=dorst),
        coordinator=official(Role.AREA_COORDINATOR, area=dorst),
        clerk=official(Role.CLERK, municipality=oosterhout),
        oss_admin=official(Role.ADMIN, municipality=oss),
    )
