"""Default texts for a municipality's statements, written from what the platform really stores.

They are content, not page chrome: Dutch text the municipality owns and edits, so they are plain
Dutch here and not gettext messages (ADR 005). Keep them true: when an app starts storing other
personal data, say so in `DATA_AND_PURPOSES` (a test checks the main models are named).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from wijkwerk.areas.models import Municipality

from .models import Compliance, Standard, StatementKind

DATA_AND_PURPOSES = """\
Als je een account maakt of een initiatief indient, verwerken wij deze gegevens:

- Je account: je e-mailadres, je naam, je woonwijk of -buurt, en als je die opgeeft je \
telefoonnummer, de taal voor e-mail en wat je je buurt aanbiedt (je expertise). Daarmee log je \
in, vinden wij je gebied en kunnen wij je bereiken.
- Je bewonersinitiatief: de titel, de beschrijving, de plek, de data, de begroting met \
begrotingsregels, je eigen bijdrage, je leeftijd en woonplaats (om te toetsen aan de regeling), \
de namen en leeftijden van medeaanvragers en een eventuele rechtspersoon. Daarmee beoordelen wij \
je aanvraag en nemen wij een besluit.
- Bijlagen: foto's, offertes, bonnetjes en andere bestanden die je uploadt. Ze zijn alleen te zien \
voor jou en de ambtenaren die je aanvraag behandelen, behalve foto's die je openbaar maakt.
- Je rekeningnummer (IBAN) en de naam van de rekeninghouder: om de toegekende subsidie te betalen \
en een eventuele terugbetaling te verwerken.
- Berichten tussen jou en de gemeente over je initiatief, en de besluiten (beschikkingen) die wij \
je sturen.
- Steun en hulpaanbiedingen: dat je een initiatief steunt of hulp aanbiedt, met je naam.
- E-mails die het platform je stuurt (bevestigingen, besluiten, berichten): wij bewaren ze kort \
in de verzendwachtrij om ze te kunnen afleveren.
- Een logboek (audittrail) van wijzigingen: wie wat wanneer heeft gewijzigd. Daarmee leggen wij \
verantwoording af en kunnen wij fouten en misbruik opsporen.
- Mislukte inlogpogingen (e-mailadres en IP-adres), om je account te beschermen tegen het raden \
van wachtwoorden.

Van ambtenaren met een rol (zoals wijkmakelaar of wijkwethouder) verwerken wij daarnaast de rol, \
het gebied en het openbare contactadres dat bij hun gebied wordt getoond.

Wij gebruiken je gegevens niet voor andere doelen, maken geen profielen en nemen geen besluiten \
die alleen door een computer worden genomen. Het platform plaatst alleen cookies die nodig zijn \
om in te loggen en formulieren veilig te versturen; geen cookies om je te volgen."""

LEGAL_BASIS = """\
Wij verwerken je gegevens omdat dat nodig is voor een taak van algemeen belang: het \
gebiedsgericht werken met inwoners en het verstrekken van subsidies voor bewonersinitiatieven \
(AVG artikel 6 lid 1 onder e).

Waar de wet ons verplicht, is de grondslag een wettelijke verplichting (AVG artikel 6 lid 1 \
onder c): een besluit op je aanvraag is een beschikking volgens de Algemene wet bestuursrecht, \
die wij schriftelijk en met redenen moeten vastleggen; wij moeten onze archieven bewaren \
volgens de Archiefwet; en betalingen moeten wij bewaren volgens de fiscale bewaarplicht.

Je initiatief is alleen openbaar op het platform als je daar toestemming voor geeft \
(AVG artikel 6 lid 1 onder a). Die toestemming kun je altijd intrekken."""

RECIPIENTS = """\
Je gegevens worden gezien door de ambtenaren die je aanvraag behandelen (de wijkmakelaar of \
wijkcoördinator van je gebied en de beheerders van de gemeente), en voor zover dat voor hun taak \
nodig is door de wijkwethouder en de wijkwerker van je gebied. Wij verkopen je gegevens niet en \
geven ze alleen aan anderen als de wet dat verplicht.

Bedrijven die het platform voor ons hosten of onderhouden, verwerken gegevens alleen in onze \
opdracht, met een verwerkersovereenkomst, en binnen de Europese Unie."""

RESEARCH_METHOD = """\
Het platform is open-source software (wijkwerk). Bij elke wijziging van de software controleert \
een automatische test elke soort pagina in een echte browser met axe-core op de eisen van WCAG 2.1 \
niveau A en AA, op een telefoonscherm (375 pixels breed) en op een groot scherm (1280 pixels). \
Daarnaast controleren wij met de hand: bediening met alleen het toetsenbord, de volgorde van \
koppen en formulieren met een schermlezer, vergroten tot 400% en pagina's op 320 pixels breed \
zonder horizontaal scrollen."""

KNOWN_PROBLEMS = """\
- De kaart met gebiedsgrenzen is niet met een schermlezer te gebruiken. Dezelfde informatie staat \
in de lijst met gebieden onder de kaart. Wij zoeken een toegankelijker kaart; verwacht in het \
tweede kwartaal van 2027.
- Bijlagen die inwoners en ambtenaren zelf uploaden (zoals pdf-bestanden) zijn niet altijd \
toegankelijk. Wij vragen uploaders om toegankelijke bestanden; besluiten maakt het platform zelf \
als toegankelijke tekst."""


def _domain(municipality: Municipality) -> str:
    """An e-mail domain for the defaults: the municipality's own contact address, or .example."""
    if municipality.contact_email and "@" in municipality.contact_email:
        return municipality.contact_email.split("@", 1)[1]
    return f"{municipality.slug}.example"


def default_fields(
    kind: str, municipality: Municipality, *, today: datetime.date | None = None
) -> dict[str, Any]:
    """Sensible Dutch texts and values for a municipality that has not written its own yet."""
    name = municipality.name
    domain = _domain(municipality)
    if kind == StatementKind.PRIVACY:
        return {
            "controller": f"Het college van burgemeester en wethouders van {name}",
            "introduction": (
                f"De gemeente {name} gebruikt dit platform om samen met inwoners aan wijken, "
                "buurten en dorpen te werken. Hier lees je welke persoonsgegevens wij daarvoor "
                "verwerken, waarom, hoe lang wij ze bewaren en welke rechten je hebt."
            ),
            "data_and_purposes": DATA_AND_PURPOSES,
            "legal_basis": LEGAL_BASIS,
            "recipients": RECIPIENTS,
            "retention_note": (
                "Stukken met blijvende waarde (zoals besluiten van de raad) brengen wij volgens de "
                "Archiefwet over naar het archief. Na afloop van een bewaartermijn verwijderen of "
                "anonimiseren wij de gegevens; cijfers zonder namen mogen wij langer bewaren."
            ),
            "privacy_email": f"privacy@{domain}",
            "dpo_email": f"fg@{domain}",
        }
    if kind == StatementKind.ACCESSIBILITY:
        day = today or timezone.localdate()
        return {
            "organisation": f"Gemeente {name}",
            "scope": f"Het platform voor gebiedsgericht werken van de gemeente {name} (wijkwerk)",
            "compliance": Compliance.PARTIAL,
            "standard": Standard.WCAG21,
            "statement_date": day,
            "research_date": day,
            "research_method": RESEARCH_METHOD,
            "known_problems": KNOWN_PROBLEMS,
            "feedback_email": municipality.contact_email or f"info@{domain}",
            "response_days": 5,
        }
    if kind == StatementKind.CONTACT:
        return {
            "introduction": (
                f"Heb je een vraag over je wijk, je buurt of een bewonersinitiatief? Neem contact "
                f"op met de gemeente {name}. Voor vragen over je eigen gebied kun je ook direct "
                "terecht bij de mensen die op de pagina van je gebied staan."
            ),
            "email": municipality.contact_email or f"info@{domain}",
        }
    raise ValueError(f"unknown statement kind {kind!r}")
