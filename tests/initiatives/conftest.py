"""A small municipality to run initiatives in: a district with a neighbourhood, a broker for the
district, residents living there, a scheme and the fund "Bewonersinitiatieven" of the year the
initiatives start (their planned start is 30 days ahead)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from wijkwerk.accounts.models import Role
from wijkwerk.areas.models import AreaKind
from wijkwerk.initiatives import services
from wijkwerk.initiatives.models import Initiative

from ..accounts.factories import UserFactory, official
from ..areas.factories import AreaFactory, MunicipalityFactory, NeighbourhoodFactory
from ..funds.factories import CategoryFactory, FundFactory, SchemeFactory

IBAN = "NL91ABNA0417164300"
PAYEE = "Stichting Geveltuinen Dorst"


def budget_year() -> int:
    """The year the default initiative starts, whose fund pays for it."""
    return (timezone.localdate() + datetime.timedelta(days=30)).year


@dataclass
class Place:
    municipality: Any
    district: Any
    neighbourhood: Any
    other_district: Any
    scheme: Any
    category: Any
    fund: Any
    broker: Any
    other_broker: Any
    admin: Any
    applicant: Any
    neighbour: Any
    outsider: Any

    def values(self, **overrides: Any) -> dict[str, Any]:
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

    def advance_paid(self, amount: int = 125_000, **overrides: Any) -> Initiative:
        """Approved by the broker, the advance paid by a second official (the admin)."""
        initiative = self.approved(amount, **overrides)
        services.initiatives_mark_paid(actor=self.admin, initiatives=[initiative])
        initiative.refresh_from_db()
        return initiative


@pytest.fixture
def place(db: None) -> Place:
    return build_place()


def build_place() -> Place:
    municipality = MunicipalityFactory(name="Oosterhout", slug="oosterhout", cbs_code="GM0826")
    district = AreaFactory(
        municipality=municipality, name="Dorst", slug="dorst", kind=AreaKind.VILLAGE
    )
    neighbourhood = NeighbourhoodFactory(parent=district, name="Dorst-Zuid", slug="dorst-zuid")
    other = AreaFactory(municipality=municipality, name="Slotjes", slug="slotjes")
    scheme = SchemeFactory(
        municipality=municipality,
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
    return Place(
        municipality=municipality,
        district=district,
        neighbourhood=neighbourhood,
        other_district=other,
        scheme=scheme,
        category=CategoryFactory(municipality=municipality, name="Fysieke leefomgeving"),
        fund=fund,
        broker=official(Role.BROKER, area=district, full_name="Bram Makelaar"),
        other_broker=official(Role.BROKER, area=other),
        admin=official(Role.ADMIN, municipality=municipality),
        applicant=UserFactory(home_area=neighbourhood, full_name="Anna Aanvrager"),
        neighbour=UserFactory(home_area=neighbourhood, full_name="Niels Buur"),
        outsider=UserFactory(home_area=other),
    )


def png_bytes(size: tuple[int, int] = (64, 48), colour: str = "green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf_upload(name: str = "bon.pdf") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
