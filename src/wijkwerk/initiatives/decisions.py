"""Decisions under the General Administrative Law Act (Awb) and their letters.

Granting, rejecting and finally setting the amount (vaststelling) of a grant are decisions
(beschikkingen): written, with their reasons (Awb 3:46–3:47), saying that and how objection can
be made (3:45), within six weeks of the day after they were sent (6:7–6:8); see
`shared/dutch-practice.md`. The step's service calls `decision_record` in its transaction; the
record keeps the content as it was then. The letter is a tagged PDF (PDF/UA-1) rendered with
WeasyPrint from `initiatives/decision_letter.html` the first time it is needed (the decision
mail, or a download) and kept, so the letter sent is the letter downloaded later.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.policy import is_area_admin, is_area_broker
from wijkwerk.core import audit
from wijkwerk.core.money import format_money

from .audit_actions import InitiativeAction
from .models import Decision, DecisionKind, Initiative

# The workflow steps that decide, and the kind of decision each takes.
DECIDING_ACTIONS = {
    "approve": DecisionKind.GRANT,
    "award": DecisionKind.GRANT,
    "council_approve": DecisionKind.GRANT,
    "reject": DecisionKind.REJECTION,
    "council_reject": DecisionKind.REJECTION,
    "accept_accountability": DecisionKind.SETTLEMENT,
}
# The mails (tasks.send_initiative_mail's kinds) that carry a decision's letter.
MAIL_KINDS = {
    "approved": DecisionKind.GRANT,
    "rejected": DecisionKind.REJECTION,
    "completed": DecisionKind.SETTLEMENT,
}
REFERENCE_PREFIX = "WW"


def reference(year: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


def letter_language(applicant: Any) -> str:
    """The language of the applicant's letters: the site's (Dutch), the language administrative
    bodies decide in (Awb 2:6), also when the person reads their mails in another language."""
    return str(settings.LANGUAGE_CODE)


def _official_role(actor: Any, initiative: Initiative) -> str:
    """The deciding official's role for this initiative, as the signature names it."""
    if is_area_broker(actor, initiative):
        return str(Role.BROKER.label)
    if is_area_admin(actor, initiative):
        return str(Role.ADMIN.label)
    return ""


def decision_record(
    *,
    actor: Any,
    initiative: Initiative,
    action: str,
    reason: str = "",
    paid_before: int = 0,
    official: Any = None,
    signed_as: tuple[str, str] | None = None,
) -> Decision:
    """Record the decision the step `action` took, in the caller's transaction (the step's).

    `initiative` is locked and already changed by the step; `paid_before` is what had been paid
    to it before the step (an advance), for the final setting of the amount. `official`: the
    person the letter names as handling it, where that is not the actor (the platform decides a
    plan funded by a neighbourhood vote; the area's broker handles it). `signed_as`: the name
    and role the letter gives instead of a person's (a council that decided, by mandate)."""
    kind = DECIDING_ACTIONS[action]
    municipality = initiative.area.municipality
    applicant = initiative.applicant
    now = timezone.now()
    language = letter_language(applicant)
    person = getattr(actor, "is_authenticated", False) and not getattr(actor, "is_system", False)
    signer = official if official is not None else (actor if person else None)
    with translation.override(language):
        role = _official_role(signer, initiative) if signer is not None else ""
    official_name = (
        (getattr(signer, "full_name", "") or getattr(signer, "email", ""))
        if signer is not None
        else ""
    )
    if signed_as is not None:
        official_name, role = signed_as
    decision = Decision(
        initiative=initiative,
        municipality=municipality,
        kind=kind,
        year=timezone.localdate(now).year,
        decided_by=actor if person else None,
        decided_at=now,
        language=language,
        municipality_name=municipality.name,
        official_name=official_name[:150],
        official_role=role[:150],
        applicant_name=applicant.full_name or applicant.email,
        applicant_on_behalf_of=(initiative.legal_entity or initiative.on_behalf_of)[:200],
        applicant_email=applicant.email,
        applicant_area=str(applicant.home_area or ""),
        initiative_title=initiative.title,
        scheme_name=initiative.scheme.name if initiative.scheme else "",
        fund_name=str(initiative.fund or "")[:150],
        submitted_on=timezone.localdate(initiative.submitted_at)
        if initiative.submitted_at
        else None,
        requested_cents=initiative.requested_cents,
        reasons=reason.strip(),
    )
    if kind == DecisionKind.GRANT:
        decision.amount_cents = initiative.granted_cents
        decision.conditions = initiative.conditions
    elif kind == DecisionKind.SETTLEMENT:
        _settlement_figures(decision, initiative, paid_before)
    _save_numbered(decision)
    audit.record(
        actor=actor,
        action=InitiativeAction.DECISION,
        instance=initiative,
        after={
            "decision": decision.pk,
            "reference": decision.reference,
            "kind": decision.kind,
            "amount_cents": decision.amount_cents,
        },
    )
    return decision


def _settlement_figures(decision: Decision, initiative: Initiative, paid_before: int) -> None:
    """The final setting: the accepted actual costs, at most the grant, is the amount set; what
    was paid before counts against it; the rest of the grant goes back to the fund."""
    granted = initiative.granted_cents or 0
    actual = sum(line.actual_cents or 0 for line in initiative.budget_lines.all())
    final = getattr(initiative, "final_cents", None)
    if final is None:
        final = min(actual, granted)
    decision.granted_cents = granted
    decision.actual_cents = actual
    decision.amount_cents = final
    decision.advance_cents = paid_before
    decision.to_pay_cents = max(0, final - paid_before)
    decision.owed_cents = max(0, paid_before - final)
    decision.released_cents = max(0, granted - max(final, paid_before))
    accountability = getattr(initiative, "accountability", None)
    if accountability is not None and not accountability.took_place:
        decision.reasons = "\n".join(
            filter(None, [_("The activity did not take place."), decision.reasons])
        )


# The first key of the PostgreSQL advisory lock that numbers a municipality's decisions (the
# second is the municipality's id); any constant that no other lock uses.
NUMBERING_LOCK = 0x57570001


def _save_numbered(decision: Decision, attempts: int = 3) -> None:
    """Give the decision the next number of its municipality and year, and save it.

    Two officials of one municipality may decide at the same moment. On PostgreSQL a lock per
    municipality, held to the end of the step's transaction, makes the second wait until the
    first has committed, so it reads the first's number; it is taken last in the step, after the
    initiative and fund rows, so nobody waits for it while holding what its holder needs. SQLite
    writes one transaction at a time anyway. The unique constraint stays the guard: a clash
    takes the next number (in a savepoint, so the step's transaction goes on)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [NUMBERING_LOCK, decision.municipality_id],
            )
    for attempt in range(attempts):
        last = Decision.objects.filter(
            municipality_id=decision.municipality_id, year=decision.year
        ).aggregate(last=Max("number"))["last"]
        decision.number = (last or 0) + 1
        decision.reference = reference(decision.year, decision.number)
        try:
            with transaction.atomic():
                decision.save()
        except IntegrityError:
            if attempt == attempts - 1:
                raise
        else:
            return


# --- The letter ------------------------------------------------------------------------------


AMOUNT_FIELDS = (
    "requested_cents",
    "amount_cents",
    "granted_cents",
    "actual_cents",
    "advance_cents",
    "to_pay_cents",
    "owed_cents",
    "released_cents",
)


def letter_html(decision: Decision) -> str:
    """The letter as HTML, in the decision's language."""
    # amounts as everywhere ("€ 1.250,00"), kept on one line
    money = {
        name: format_money(getattr(decision, name) or 0).replace(" ", "\u00a0")
        for name in AMOUNT_FIELDS
    }
    with translation.override(decision.language):
        return render_to_string(
            "initiatives/decision_letter.html",
            {
                "decision": decision,
                "kinds": DecisionKind,
                "money": money,
                "decided_on": timezone.localdate(decision.decided_at),
            },
        )


def render_letter(decision: Decision) -> bytes:
    """The letter as a tagged PDF (PDF/UA-1): headings, paragraphs and tables are tagged, with
    the document's language and title, so screen readers read it in order."""
    from weasyprint import HTML  # imported when a letter is made: it loads Pango

    return bytes(HTML(string=letter_html(decision)).write_pdf(pdf_variant="pdf/ua-1"))


def letter_pdf(decision: Decision) -> bytes:
    """The decision's letter: the kept one, or rendered now and kept (the first caller wins when
    two render at once, and the other's copy is dropped)."""
    if decision.letter:
        try:
            with decision.letter.open("rb") as handle:
                return bytes(handle.read())
        except FileNotFoundError:
            # the kept copy is gone (uploads not restored with the database): render it again
            # from the frozen content
            Decision.objects.filter(pk=decision.pk, letter=decision.letter.name).update(letter="")
            decision.letter.name = ""
    pdf = render_letter(decision)
    decision.letter.save(decision.filename, ContentFile(pdf), save=False)
    stored = str(decision.letter.name)
    claimed = Decision.objects.filter(pk=decision.pk, letter="").update(letter=stored)
    if not claimed:
        decision.letter.storage.delete(stored)
        decision.refresh_from_db(fields=["letter"])
        return letter_pdf(decision)
    return pdf


def for_mail(initiative: Initiative, mail_kind: str) -> Decision | None:
    """The decision a mail of this kind announces (the latest of its kind), if any."""
    kind = MAIL_KINDS.get(mail_kind)
    if kind is None:
        return None
    return Decision.objects.filter(initiative=initiative, kind=kind).order_by("-pk").first()


def attach_letter(message: EmailMessage, decision: Decision) -> None:
    message.attach(decision.filename, letter_pdf(decision), "application/pdf")
