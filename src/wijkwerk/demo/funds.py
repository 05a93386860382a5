"""Demo schemes and funds from the two council documents (see ../shared/demo-areas.md).

`load_demo_funds()` is called by the demo command after the areas exist; it writes through the
funds services (with the demo's system actor), is idempotent and
skips a municipality that is not loaded. Amounts the documents do not give are demo values and
say so in the fund's purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core.actors import DEMO
from wijkwerk.funds.models import Category, Fund, Scheme
from wijkwerk.funds.services import save_category, save_fund, save_scheme

OOSTERHOUT = "GM0826"
OSS = "GM0828"
DEMO_YEAR = 2026
# The council adopts next year's budget in November, so an initiative that starts next year can
# be granted from next year's fund: the demo has both years.
DEMO_YEARS = (DEMO_YEAR, DEMO_YEAR + 1)
# The accounts the demo municipalities pay from: made-up BNG Bank numbers with valid check digits.
DEMO_ACCOUNTS = {OOSTERHOUT: "NL66BNGH0285094291", OSS: "NL83BNGH0285110378"}
DEMO_BIC = "BNGHNL2G"
DEMO_AMOUNT_NOTE = "Bedrag voor de demo: de raadsstukken noemen dit budget zonder bedrag."

CATEGORIES = [
    ("fysiek", "Fysieke leefomgeving", "Straat, groen, speelplekken, verkeer en inrichting."),
    ("sociaal", "Sociale samenhang", "Ontmoeting, buurtactiviteiten en elkaar helpen."),
    ("overig", "Overig", "Initiatieven die niet in een andere categorie passen."),
]


@dataclass
class Summary:
    schemes: int = 0
    funds: int = 0
    categories: int = 0
    skipped: list[str] = field(default_factory=list)


def _categories(municipality: Municipality, summary: Summary) -> dict[str, Category]:
    result = {}
    for slug, name, description in CATEGORIES:
        category = Category.objects.filter(municipality=municipality, slug=slug).first()
        if category is None:
            category = save_category(
                actor=DEMO,
                category=Category(
                    municipality=municipality, slug=slug, name=name, description=description
                ),
            )
            summary.categories += 1
        result[slug] = category
    return result


def _scheme(
    municipality: Municipality,
    name: str,
    categories: list[Category],
    summary: Summary,
    **rules: Any,
) -> Scheme:
    scheme = Scheme.objects.filter(municipality=municipality, name=name).first()
    if scheme is None:
        scheme = save_scheme(
            actor=DEMO,
            scheme=Scheme(municipality=municipality, name=name, **rules),
            categories=categories,
        )
        summary.schemes += 1
    return scheme


def _fund(
    scheme: Scheme,
    name: str,
    year: int,
    amount_cents: int,
    purpose: str,
    summary: Summary,
    areas: list[Area] | None = None,
) -> Fund:
    fund = Fund.objects.filter(municipality=scheme.municipality, name=name, year=year).first()
    if fund is None:
        fund = save_fund(
            actor=DEMO,
            fund=Fund(
                municipality=scheme.municipality,
                scheme=scheme,
                name=name,
                year=year,
                amount_cents=amount_cents,
                purpose=purpose,
                payment_iban=DEMO_ACCOUNTS.get(scheme.municipality.cbs_code, ""),
                payment_bic=DEMO_BIC,
            ),
            areas=areas,
        )
        summary.funds += 1
    return fund


def _oosterhout(municipality: Municipality, summary: Summary) -> None:
    categories = _categories(municipality, summary)
    physical = _scheme(
        municipality,
        "Bewonersinitiatieven fysieke leefomgeving",
        [categories["fysiek"]],
        summary,
        description=(
            "Voor initiatieven van bewoners die de fysieke leefomgeving van hun straat, buurt, "
            "wijk of kerkdorp verbeteren (raadsvoorstel Wijkgericht werken, 2020)."
        ),
        max_per_initiative_cents=2_000_000,
        min_applicant_age=18,
        applicant_must_live_in_area=True,
        legal_entity_above_cents=500_000,
        required_cosigners=4,
        cosigner_min_age=12,
        cosigners_must_live_in_area=True,
        required_online_supporters=25,
        lead_time_days=28,
        decision_term_weeks=8,
        settle_at_once_below_cents=500_000,
        report_up_to_cents=5_000_000,
    )
    _fund(
        physical,
        "Bewonersinitiatieven fysieke leefomgeving",
        2020,
        15_000_000,
        "Begroting 2020: € 150.000 voor het faciliteren van bewonersinitiatieven die de "
        "fysieke leefomgeving verbeteren.",
        summary,
    )
    for year in range(2021, DEMO_YEAR + 2):
        _fund(
            physical,
            "Bewonersinitiatieven fysieke leefomgeving",
            year,
            30_000_000,
            "Vanaf 2021: € 300.000 per jaar voor bewonersinitiatieven in de fysieke leefomgeving.",
            summary,
        )
    buurtzap = _scheme(
        municipality,
        "Buurtzapbudget",
        [categories["sociaal"], categories["overig"]],
        summary,
        description="Kleine buurtactiviteiten, snel geregeld: hoogstens € 500 per activiteit.",
        max_per_initiative_cents=50_000,
        min_applicant_age=16,
        applicant_must_live_in_area=True,
        required_cosigners=2,
        cosigner_min_age=12,
        lead_time_days=14,
        decision_term_weeks=2,
        settle_at_once_below_cents=500_000,
        report_up_to_cents=5_000_000,
    )
    for year in DEMO_YEARS:
        _fund(
            buurtzap,
            "Buurtzapbudget",
            year,
            2_500_000,
            f"Buurtactiviteiten tot € 500. {DEMO_AMOUNT_NOTE}",
            summary,
        )
    social = _scheme(
        municipality,
        "Sociale samenhang",
        [categories["sociaal"]],
        summary,
        description=(
            "Projecten voor sociale samenhang, betaald uit bestaande budgetten (nieuw voor oud, "
            "budgetneutraal)."
        ),
        max_per_initiative_cents=500_000,
        min_applicant_age=18,
        applicant_must_live_in_area=False,
        required_cosigners=0,
        lead_time_days=28,
        decision_term_weeks=8,
        settle_at_once_below_cents=500_000,
        report_up_to_cents=5_000_000,
    )
    for name, amount in (
        ("Lokaal sociaal beleid", 5_000_000),
        ("Buurtzapproject", 2_000_000),
        ("Jeugdzapproject", 2_000_000),
    ):
        for year in DEMO_YEARS:
            _fund(social, name, year, amount, DEMO_AMOUNT_NOTE, summary)


def _oss(municipality: Municipality, summary: Summary) -> None:
    categories = _categories(municipality, summary)
    scheme = _scheme(
        municipality,
        "Leefbaarheidsbudget wijk- en dorpsraden",
        list(categories.values()),
        summary,
        description=(
            "Elke wijk- of dorpsraad beheert een jaarlijks leefbaarheidsbudget en kent daaruit "
            "bijdragen toe aan initiatieven in het eigen gebied."
        ),
        max_per_initiative_cents=250_000,
        min_applicant_age=16,
        applicant_must_live_in_area=True,
        required_cosigners=3,
        cosigner_min_age=12,
        lead_time_days=21,
        decision_term_weeks=6,
        settle_at_once_below_cents=500_000,
        report_up_to_cents=5_000_000,
    )
    areas = Area.objects.filter(municipality=municipality, parent__isnull=True).order_by("name")
    for area in areas:
        lith = area.name.startswith("Lith")
        for year in DEMO_YEARS:
            _fund(
                scheme,
                f"Leefbaarheidsbudget {area.name}",
                year,
                1_000_000,
                "De dorpsraad Lith kent ongeveer € 10.000 per jaar toe."
                if lith
                else f"Jaarlijks leefbaarheidsbudget van de wijk- of dorpsraad. {DEMO_AMOUNT_NOTE}",
                summary,
                areas=[area],
            )


def load_demo_funds() -> Summary:
    """Create the demo categories, schemes and funds for Oosterhout and Oss (idempotent)."""
    summary = Summary()
    with transaction.atomic():
        for code, loader in ((OOSTERHOUT, _oosterhout), (OSS, _oss)):
            municipality = Municipality.objects.filter(cbs_code=code).first()
            if municipality is None:
                summary.skipped.append(code)
                continue
            loader(municipality, summary)
    return summary
