"""The admissibility decision on a challenge (an Awb beschikking) and its letter.

As initiatives' decisions (initiatives/decisions.py): written, with reasons (Awb 3:46–3:47) and
the objection clause (3:45, six weeks, 6:7–6:8); the content is frozen in a
`ChallengeDecision` in the step's transaction; the letter is a tagged PDF (PDF/UA-1) rendered
with WeasyPrint from `challenges/decision_letter.html` when first needed, then kept. Numbered
per municipality and year as "UR-2026-000001".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.policy import is_area_admin, is_case_handler
from wijkwerk.core import audit

from .audit_actions import ChallengeAction
from .models import Challenge, ChallengeDecision, DecisionKind

REFERENCE_PREFIX = "UR"
NUMBERING_LOCK = 0x57570015  # advisory lock key (with the municipality's id) for numbering
KINDS = {"admit": DecisionKind.ADMITTED, "refuse": DecisionKind.NOT_ADMITTED}


def _official_role(actor: Any, challenge: Challenge) -> str:
    if is_case_handler(actor, challenge):
        index_roles = (Role.BROKER, Role.AREA_COORDINATOR)
        from wijkwerk.accounts.roles import role_index

        index = role_index(actor)
        for role in index_roles:
            if index.holds_for_area(role, challenge.area.lineage_ids):
                return str(role.label)
    if is_area_admin(actor, challenge):
        return str(Role.ADMIN.label)
    return ""


def decision_record(
    *, actor: Any, challenge: Challenge, action: str, reasons: str
) -> ChallengeDecision:
    """Record the decision the step took, in the step's transaction (challenge already changed)."""
    municipality = challenge.area.municipality
    submitter = challenge.submitter
    language = str(settings.LANGUAGE_CODE)
    with translation.override(language):
        role = _official_role(actor, challenge)
    decided_on = challenge.decided_on or timezone.localdate()
    decision = ChallengeDecision(
        challenge=challenge,
        municipality=municipality,
        kind=KINDS[action],
        year=decided_on.year,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        decided_on=decided_on,
        due_on=challenge.decision_due_on,
        late=challenge.decided_late,
        language=language,
        municipality_name=municipality.name,
        official_name=getattr(actor, "full_name", "") or getattr(actor, "email", ""),
        official_role=role,
        submitter_name=submitter.full_name or submitter.email,
        submitter_email=submitter.email,
        organisation_name=challenge.organisation_name,
        kvk_number=challenge.kvk_number,
        title=challenge.title,
        submitted_on=timezone.localdate(challenge.submitted_at) if challenge.submitted_at else None,
        reasons=reasons.strip(),
    )
    _save_numbered(decision)
    audit.record(
        actor=actor,
        action=ChallengeAction.DECISION,
        instance=challenge,
        after={
            "decision": decision.pk,
            "reference": decision.reference,
            "kind": decision.kind,
            "late": decision.late,
        },
    )
    return decision


def _save_numbered(decision: ChallengeDecision, attempts: int = 3) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [NUMBERING_LOCK, decision.municipality_id],
            )
    for attempt in range(attempts):
        last = ChallengeDecision.objects.filter(
            municipality_id=decision.municipality_id, year=decision.year
        ).aggregate(last=Max("number"))["last"]
        decision.number = (last or 0) + 1
        decision.reference = f"{REFERENCE_PREFIX}-{decision.year}-{decision.number:06d}"
        try:
            with transaction.atomic():
                decision.save()
        except IntegrityError:
            if attempt == attempts - 1:
                raise
        else:
            return


def letter_html(decision: ChallengeDecision) -> str:
    with translation.override(decision.language):
        return render_to_string(
            "challenges/decision_letter.html",
            {"decision": decision, "kinds": DecisionKind, "decided_on": decision.decided_on},
        )


def render_letter(decision: ChallengeDecision) -> bytes:
    from weasyprint import HTML  # imported when a letter is made: it loads Pango

    return bytes(HTML(string=letter_html(decision)).write_pdf(pdf_variant="pdf/ua-1"))


def letter_pdf(decision: ChallengeDecision) -> bytes:
    """The kept letter, or rendered now and kept (the first of two at once wins)."""
    if decision.letter:
        try:
            with decision.letter.open("rb") as handle:
                return bytes(handle.read())
        except FileNotFoundError:
            ChallengeDecision.objects.filter(pk=decision.pk, letter=decision.letter.name).update(
                letter=""
            )
            decision.letter.name = ""
    pdf = render_letter(decision)
    decision.letter.save(decision.filename, ContentFile(pdf), save=False)
    stored = str(decision.letter.name)
    claimed = ChallengeDecision.objects.filter(pk=decision.pk, letter="").update(letter=stored)
    if not claimed:
        decision.letter.storage.delete(stored)
        decision.refresh_from_db(fields=["letter"])
        return letter_pdf(decision)
    return pdf
