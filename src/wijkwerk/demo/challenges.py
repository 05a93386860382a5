"""The demo's right to challenge (issue 15): in Oss the village association of Lith maintains
the green space of the village — admitted, agreed (budget, term, reports every three months),
part of the budget committed from Lith's liveability fund, one progress report in; in Oosterhout
a proposal of the playground association of Den Hout awaits the admissibility decision.

Built through the services by the people themselves (the resident submits, the area coordinator
of Lith and the administrator of Oss decide and book), without mail; the dates of the Lith
challenge are then set back a few months so that the demo shows a history. Loading again skips
what exists (the titles tell)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wijkwerk.accounts.models import User
from wijkwerk.areas.models import Area
from wijkwerk.challenges import services
from wijkwerk.challenges.models import Challenge, ChallengeDecision, ProgressReport
from wijkwerk.core import notifications
from wijkwerk.funds.models import Fund
from wijkwerk.funds.selectors import fund_covers_area, fund_figures

LITH = "Dorpsvereniging Lith onderhoudt het groen in de dorpskern"
DEN_HOUT = "Speeltuinvereniging Den Hout beheert de drie speeltuinen van het dorp"


@dataclass
class Summary:
    challenges: int = 0
    reports: int = 0


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _lith(summary: Summary) -> None:
    area = Area.objects.filter(cbs_code="WK082890").select_related("parent__parent").first()
    resident = _person("ad.vanhoek@oss.example")
    coordinator = _person("coordinator.dorpen@oss.example")
    admin = _person("beheer@oss.example")
    if area is None or resident is None or coordinator is None or admin is None:
        return
    challenge = services.challenge_create(
        actor=resident,
        area=area,
        data={
            "title": LITH,
            "organisation_name": "Dorpsvereniging Lith",
            "legal_form": "association",
            "kvk_number": "40214517",
            "task": "Het maaien, snoeien en bijplanten van het openbaar groen in de dorpskern van "
            "Lith: de Kerkstraat, het Marktplein en het plantsoen aan de Maasdijk.",
            "why_better": "Onze leden wonen er en zien meteen wat nodig is. We werken met "
            "vrijwilligers en lokale hoveniers, en zijn ongeveer 20% goedkoper dan het huidige "
            "bestek.",
            "experience": "De vereniging onderhoudt sinds 2019 de dorpsweide; drie leden zijn "
            "hovenier van beroep.",
            "support": "Een handtekeningenlijst bij de bewoners van de drie straten en een "
            "bewonersavond met zestig bezoekers.",
            "support_signatures": 184,
            "cost_estimate_cents": 1_600_000,
            "cooperation": "Afvoer van groenafval door de gemeente, gereedschap te leen en een "
            "vast aanspreekpunt bij de gemeente.",
            "continuity": "Een vaste kern van twintig vrijwilligers met een rooster; de "
            "vereniging neemt het werk op in haar jaarplan en traint nieuwe vrijwilligers.",
        },
    )
    services.challenge_submit(actor=resident, challenge=challenge)
    services.challenge_decide(
        actor=coordinator,
        challenge=challenge,
        action="admit",
        reasons="De vereniging is geworteld in het dorp, het voorstel heeft aantoonbaar draagvlak "
        "en het onderhoud van openbaar groen is een taak die bewoners kunnen overnemen.",
        entity_confirmed=True,
    )
    services.challenge_step(actor=coordinator, challenge=challenge, action="open_dialogue")
    today = timezone.localdate()
    starts_on = today - datetime.timedelta(days=100)
    services.agreement_record(
        actor=coordinator,
        challenge=challenge,
        tasks="Maaien (twaalf keer per jaar), snoeien en bijplanten in de dorpskern.",
        result="Verzorgd groen in de dorpskern en minder meldingen over onderhoud.",
        parties="De vereniging doet het werk en houdt een rooster bij; de gemeente voert het "
        "groenafval af en leent gereedschap uit. Aanspreekpunt: de wijkcoördinator.",
        budget_cents=1_250_000,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=730),
        report_every_months=3,
    )
    services.challenge_step(actor=coordinator, challenge=challenge, action="start")
    funds = Fund.objects.filter(
        municipality_id=area.municipality_id, year=today.year, is_active=True
    ).order_by("name")
    fund = next((f for f in funds if fund_covers_area(f, area)), None)
    if fund is not None and fund_figures(fund).available >= 250_000:
        services.money_commit(actor=admin, challenge=challenge, fund=fund, amount_cents=250_000)
        services.money_pay(
            actor=admin,
            challenge=challenge,
            amount_cents=125_000,
            note="Eerste termijn",
            payee_iban="NL44RABO0123456789",
            payee_name="Dorpsvereniging Lith",
        )
    report = services.report_add(
        actor=resident,
        challenge=challenge,
        text="Het groen is vier keer gemaaid en het plantsoen aan de Maasdijk is opnieuw "
        "beplant met veertig struiken. Twee nieuwe vrijwilligers doen mee.",
        spent_cents=310_000,
        hours=186,
        residents_reached=420,
    )
    summary.reports += 1
    # A history: submitted four months ago, admitted within the term, reported last week.
    submitted_at = timezone.now() - datetime.timedelta(days=130)
    decided_on = timezone.localdate(submitted_at) + datetime.timedelta(days=24)
    Challenge.objects.filter(pk=challenge.pk).update(
        submitted_at=submitted_at,
        decision_due_on=timezone.localdate(submitted_at) + datetime.timedelta(weeks=8),
        decided_on=decided_on,
    )
    ChallengeDecision.objects.filter(challenge=challenge).update(
        decided_on=decided_on,
        submitted_on=timezone.localdate(submitted_at),
        due_on=timezone.localdate(submitted_at) + datetime.timedelta(weeks=8),
    )
    ProgressReport.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=6)
    )
    summary.challenges += 1


def _den_hout(summary: Summary) -> None:
    area = Area.objects.filter(cbs_code="WK082611").select_related("parent__parent").first()
    resident = _person("wim.oomen@oosterhout.example")
    if area is None or resident is None:
        return
    challenge = services.challenge_create(
        actor=resident,
        area=area,
        data={
            "title": DEN_HOUT,
            "organisation_name": "Speeltuinvereniging Den Hout",
            "legal_form": "association",
            "kvk_number": "20117634",
            "task": "Het dagelijks beheer en klein onderhoud van de drie speeltuinen van Den "
            "Hout: schoonhouden, controleren en kleine reparaties.",
            "why_better": "Ouders uit het dorp zijn er elke dag; we zien gebreken eerder en "
            "verhelpen kleine dingen meteen, voor minder geld.",
            "experience": "De vereniging organiseert al tien jaar de speeltuindag; twee leden "
            "zijn gecertificeerd inspecteur van speeltoestellen.",
            "support": "Handtekeningen van ouders en buren van de speeltuinen, en steun van de "
            "dorpsraad.",
            "support_signatures": 96,
            "cost_estimate_cents": 850_000,
            "cooperation": "De jaarlijkse veiligheidsinspectie blijft bij de gemeente; we vragen "
            "materiaal voor reparaties.",
            "continuity": "Een bestuur van vijf en een groep van vijftien vrijwilligers; de "
            "taken staan in een draaiboek.",
        },
    )
    services.challenge_submit(actor=resident, challenge=challenge)
    summary.challenges += 1


def load_demo_challenges() -> Summary:
    summary = Summary()
    with notifications.quiet(), transaction.atomic():
        if not Challenge.objects.filter(title=LITH).exists():
            _lith(summary)
        if not Challenge.objects.filter(title=DEN_HOUT).exists():
            _den_hout(summary)
    return summary
