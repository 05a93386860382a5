"""Challenges taken through the services, step by step (the places and people are the cast)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijkwerk.challenges import services
from wijkwerk.challenges.models import Agreement, Challenge

PROPOSAL: dict[str, Any] = {
    "title": "Dorpsvereniging onderhoudt het groen van Dorst-Zuid",
    "organisation_name": "Dorpsvereniging Dorst",
    "legal_form": "association",
    "kvk_number": "12345678",
    "task": "Maaien, snoeien en bijplanten van het openbaar groen in Dorst-Zuid.",
    "why_better": "Wij wonen er en zien meteen wat nodig is; het kost de gemeente minder.",
    "experience": "Twaalf leden hebben een hoveniersachtergrond.",
    "support": "Handtekeningen van bewoners van de drie straten.",
    "support_signatures": 212,
    "cost_estimate_cents": 1_850_000,
    "cooperation": "Gereedschap en afvoer van groenafval.",
    "continuity": "Een vaste groep van twintig vrijwilligers met een rooster.",
}


def draft(cast: Any, **overrides: Any) -> Challenge:
    return services.challenge_create(
        actor=cast.applicant, area=cast.neighbourhood, data={**PROPOSAL, **overrides}
    )


def submitted(cast: Any, **overrides: Any) -> Challenge:
    challenge = draft(cast, **overrides)
    return services.challenge_submit(actor=cast.applicant, challenge=challenge)


def admitted(cast: Any, **overrides: Any) -> Challenge:
    challenge = submitted(cast, **overrides)
    return services.challenge_decide(
        actor=cast.broker,
        challenge=challenge,
        action="admit",
        reasons="De vereniging is geworteld in het dorp en het voorstel is goedkoper.",
        entity_confirmed=True,
    )


def in_dialogue(cast: Any) -> Challenge:
    return services.challenge_step(
        actor=cast.broker, challenge=admitted(cast), action="open_dialogue"
    )


def agreement_values(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    values = {
        "tasks": "Maaien en snoeien van het groen in Dorst-Zuid.",
        "result": "Verzorgd groen, minder klachten.",
        "parties": "De vereniging doet het werk; de gemeente voert het groenafval af.",
        "budget_cents": 1_500_000,
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=365),
        "report_every_months": 3,
    }
    values.update(overrides)
    return values


def agreed(cast: Any, **overrides: Any) -> tuple[Challenge, Agreement]:
    challenge = in_dialogue(cast)
    agreement = services.agreement_record(
        actor=cast.broker, challenge=challenge, **agreement_values(**overrides)
    )
    challenge.refresh_from_db()
    return challenge, agreement


def running(cast: Any, **overrides: Any) -> Challenge:
    challenge, _agreement = agreed(cast, **overrides)
    return services.challenge_step(actor=cast.broker, challenge=challenge, action="start")
