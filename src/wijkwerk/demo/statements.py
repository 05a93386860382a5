"""The demo municipalities' privacy statement, accessibility statement and contact page.

`load_demo_statements()` runs after the areas exist, writes through the site's service with the
demo's system actor (so validation and audit are the ones an administrator meets), is idempotent
and skips a municipality that is not loaded. The texts are the platform's defaults with the demo's
own contact details; the town halls' addresses are the real, public ones, the e-mail addresses are
made up (.example).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from wijkwerk.areas.models import Municipality
from wijkwerk.core.actors import DEMO
from wijkwerk.site.defaults import default_fields
from wijkwerk.site.models import STATEMENT_MODELS, StatementKind
from wijkwerk.site.services import statement_save

from .funds import OOSTERHOUT, OSS

DEMO_NOTE = (
    "Dit is de demo van wijkwerk: de e-mailadressen hieronder zijn voorbeelden en worden niet "
    "gelezen."
)
# The demo's statement is made the day it is loaded, on research ten days before: always valid.
RESEARCH_DAYS_BEFORE = 10

OWN: dict[str, dict[str, dict[str, Any]]] = {
    OOSTERHOUT: {
        StatementKind.CONTACT: {
            "email": "info@oosterhout.example",
            "visiting_address": "Stadhuis\nSlotjesveld 1\n4902 HA Oosterhout",
            "opening_hours": "Maandag tot en met vrijdag van 8.30 tot 17.00 uur, op afspraak",
            "more": (
                "- Vragen over je wijk of dorp: de wijkmakelaar van je gebied (zie de pagina van "
                "je gebied).\n- Vragen over een bewonersinitiatief: reageer in het gesprek bij je "
                "initiatief."
            ),
        },
        StatementKind.PRIVACY: {
            "privacy_email": "privacy@oosterhout.example",
            "dpo_email": "fg@oosterhout.example",
        },
        StatementKind.ACCESSIBILITY: {
            "feedback_email": "toegankelijkheid@oosterhout.example",
        },
    },
    OSS: {
        StatementKind.CONTACT: {
            "email": "info@oss.example",
            "visiting_address": "Stadskantoor\nRaadhuislaan 2\n5341 GM Oss",
            "opening_hours": "Maandag tot en met vrijdag van 9.00 tot 17.00 uur, op afspraak",
            "more": (
                "- Vragen over je wijk of dorp: de wijkcoördinator of de wijk- of dorpsraad van "
                "je gebied (zie de pagina van je gebied)."
            ),
        },
        StatementKind.PRIVACY: {
            "privacy_email": "privacy@oss.example",
            "dpo_email": "fg@oss.example",
        },
        StatementKind.ACCESSIBILITY: {
            "feedback_email": "toegankelijkheid@oss.example",
        },
    },
}


def _fields(kind: str, municipality: Municipality, own: dict[str, Any]) -> dict[str, Any]:
    fields = {**default_fields(kind, municipality), **own}
    if kind == StatementKind.CONTACT:
        fields["introduction"] = f"{fields['introduction']}\n\n{DEMO_NOTE}"
    if kind == StatementKind.ACCESSIBILITY:
        today = timezone.localdate()
        fields["statement_date"] = today
        fields["research_date"] = today - datetime.timedelta(days=RESEARCH_DAYS_BEFORE)
    return fields


def load_demo_statements() -> int:
    """Publish the statements the demo municipalities lack; the number published."""
    published = 0
    with transaction.atomic():
        for code, kinds in OWN.items():
            municipality = Municipality.objects.filter(cbs_code=code).first()
            if municipality is None:
                continue
            for kind, own in kinds.items():
                if STATEMENT_MODELS[kind].objects.filter(municipality=municipality).exists():
                    continue
                statement_save(
                    actor=DEMO,
                    municipality=municipality,
                    kind=kind,
                    **_fields(kind, municipality, own),
                )
                published += 1
    return published
