"""Initiatives: public ones for everyone; a draft for the applicant only; the broker of the area
(or the municipality's admin) decides; only the applicant edits and accounts; the officials who
handle the case (broker, area coordinator, admin) see the conversation, internal notes and
private files, aldermen and community workers the application itself (docs/adr/001)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wijkwerk.funds.models import EntryKind, Fund, LedgerEntry, Scheme
from wijkwerk.initiatives import decisions
from wijkwerk.initiatives.models import Attachment, BudgetLine, Initiative

from ..framework import Case, World, everyone, logged_in


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def _initiative(world: World, status: str, **fields: Any) -> Initiative:
    scheme = Scheme.objects.create(
        municipality=world.municipality, name="Regeling", max_per_initiative_cents=500_000
    )
    fund = Fund.objects.create(
        municipality=world.municipality,
        scheme=scheme,
        name="Bewonersinitiatieven 2021",
        year=2021,
        amount_cents=30_000_000,
    )
    initiative = Initiative.objects.create(
        title="Geveltuinen",
        summary="Groen in de straat.",
        area=world.neighbourhood,
        applicant=world.users["applicant"],
        status=status,
        consent_to_publish=True,
        requested_cents=100_000,
        scheme=scheme,
        broker=world.users["broker_this"],
        **fields,
    )
    BudgetLine.objects.create(initiative=initiative, description="Planten", amount_cents=100_000)
    world.extra.update(initiative=initiative, fund=fund)
    return initiative


def _attach(world: World, initiative: Initiative, *, image: bool) -> None:
    attachment = Attachment(
        initiative=initiative,
        purpose="application",
        token=f"matrix{initiative.pk}{int(image)}",
        extension="png" if image else "pdf",
        original_name="foto.png" if image else "plan.pdf",
        content_type="image/png" if image else "application/pdf",
        size=10,
        is_image=image,
        uploaded_by=world.users["applicant"],
    )
    content = _png() if image else b"%PDF-1.4\n%%EOF\n"
    attachment.file.save("upload", ContentFile(content), save=False)
    attachment.save()
    world.extra["attachment"] = attachment


def public(world: World) -> None:
    _initiative(world, "under_review")


def draft(world: World) -> None:
    _initiative(world, "draft")


def approved(world: World) -> None:
    _initiative(world, "approved", granted_cents=100_000)


def owes_repayment(world: World) -> None:
    """Completed: € 1,000 paid as an advance, € 800 spent, so € 200 is owed back."""
    initiative = _initiative(world, "completed", granted_cents=100_000, paid_cents=100_000)
    fund = world.extra["fund"]
    initiative.fund = fund
    initiative.save(update_fields=["fund"])
    initiative.budget_lines.update(actual_cents=80_000)
    for kind in (EntryKind.COMMITMENT, EntryKind.PAYMENT):
        LedgerEntry.objects.create(
            fund=fund,
            initiative=initiative,
            kind=kind,
            amount_cents=100_000,
            author=world.users["broker_this"],
            reason="Matrix",
        )


def approved_with_account(world: World) -> None:
    """Approved for € 1,000 from the fund, nothing paid yet, the account given."""
    initiative = _initiative(
        world,
        "approved",
        granted_cents=100_000,
        payee_iban="NL91ABNA0417164300",
        payee_name="Buurtvereniging",
    )
    fund = world.extra["fund"]
    initiative.fund = fund
    initiative.save(update_fields=["fund"])
    LedgerEntry.objects.create(
        fund=fund,
        initiative=initiative,
        kind=EntryKind.COMMITMENT,
        amount_cents=100_000,
        author=world.users["broker_this"],
        reason="Matrix",
    )


def decided(world: World) -> None:
    """Approved, with its decision (and letter) recorded."""
    initiative = _initiative(world, "approved", granted_cents=100_000)
    world.extra["decision"] = decisions.decision_record(
        actor=world.users["broker_this"], initiative=initiative, action="approve"
    )


def draft_with_photo(world: World) -> None:
    _attach(world, _initiative(world, "draft"), image=True)


def public_with_pdf(world: World) -> None:
    _attach(world, _initiative(world, "under_review"), image=False)


def public_with_photo(world: World) -> None:
    _attach(world, _initiative(world, "under_review"), image=True)


def pk(world: World) -> dict[str, int]:
    return {"pk": world.extra["initiative"].pk}


def attachment(world: World) -> dict[str, int]:
    return {"pk": world.extra["initiative"].pk, "attachment": world.extra["attachment"].pk}


def decision(world: World) -> dict[str, int]:
    return {"pk": world.extra["initiative"].pk, "decision": world.extra["decision"].pk}


def step(action: str):  # type: ignore[no-untyped-def]
    return lambda world: {"pk": world.extra["initiative"].pk, "action": action}


def photo_upload(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("foto.png", _png()), "purpose": "application"}


# A draft is the applicant's own until it is submitted: nobody else may know it exists.
DRAFT_VIEWERS = everyone(404, anonymous=302, applicant=200)
APPLICANT_ONLY_ON_DRAFT = DRAFT_VIEWERS
STAFF = logged_in(403, broker_other=200, broker_this=200, alderman=200, admin=200)
REVIEWER = logged_in(403, broker_this=200, admin=200)
SUPPORTERS = logged_in(302, applicant=403)
CONVERSATION = logged_in(403, applicant=302, broker_this=302, admin=302)
# The private side of a submitted initiative: the applicant and who handles the case.
PRIVATE = everyone(404, applicant=200, broker_this=200, admin=200)

CASES = [
    Case("initiatives:list", everyone(200)),
    Case("initiatives:create", logged_in(200)),
    Case("initiatives:mine", logged_in(200)),
    Case("initiatives:dashboard", STAFF),
    Case(
        "initiatives:dashboard_bulk",
        logged_in(403, broker_other=302, broker_this=302, alderman=302, admin=302),
        method="post",
    ),
    Case("initiatives:detail", everyone(200), kwargs=pk, setup=public, label="public"),
    Case(
        "initiatives:detail",
        {**DRAFT_VIEWERS, "anonymous": 404},
        kwargs=pk,
        setup=draft,
        label="draft",
    ),
    Case("initiatives:edit", APPLICANT_ONLY_ON_DRAFT, kwargs=pk, setup=draft),
    Case(
        "initiatives:edit",
        logged_in(403),
        kwargs=pk,
        setup=public,
        label="under review: nobody edits",
    ),
    Case("initiatives:submit", APPLICANT_ONLY_ON_DRAFT, kwargs=pk, setup=draft),
    Case(
        "initiatives:attachment_upload",
        everyone(404, anonymous=302, applicant=302),
        kwargs=pk,
        method="post",
        data=photo_upload,
        setup=draft,
    ),
    Case(
        "initiatives:attachment",
        {**DRAFT_VIEWERS, "anonymous": 404},
        kwargs=attachment,
        setup=draft_with_photo,
        label="photo of a draft",
    ),
    Case(
        "initiatives:attachment",
        everyone(200),
        kwargs=attachment,
        setup=public_with_photo,
        label="photo of a public initiative",
    ),
    Case(
        "initiatives:attachment",
        PRIVATE,
        kwargs=attachment,
        setup=public_with_pdf,
        label="document of a public initiative",
    ),
    Case(
        "initiatives:decision",
        PRIVATE,
        kwargs=decision,
        setup=decided,
        label="letter of a public initiative's decision",
    ),
    Case(
        "initiatives:attachment_delete",
        logged_in(403),
        kwargs=attachment,
        method="post",
        setup=public_with_photo,
        label="not while under review",
    ),
    Case("initiatives:support", SUPPORTERS, kwargs=pk, method="post", setup=public),
    Case(
        "initiatives:offer_help",
        SUPPORTERS,
        kwargs=pk,
        method="post",
        data=lambda w: {"text": "Ik kan helpen met sjouwen."},
        setup=public,
    ),
    Case(
        "initiatives:message",
        CONVERSATION,
        kwargs=pk,
        method="post",
        data=lambda w: {"body": "Een vraag."},
        setup=public,
    ),
    Case("initiatives:transition", REVIEWER, kwargs=step("approve"), setup=public),
    Case(
        "initiatives:transition",
        logged_in(404),
        kwargs=step("fly"),
        setup=public,
        label="unknown step",
    ),
    Case(
        "initiatives:transition",
        logged_in(403, broker_this=302, admin=400),
        kwargs=step("reject"),
        method="post",
        data=lambda w: {"reason": "Past niet in de regeling."},
        setup=public,
        label="reject (the admin comes after the broker: already rejected)",
    ),
    Case("initiatives:accountability", logged_in(403, applicant=200), kwargs=pk, setup=approved),
    Case(
        "initiatives:assign",
        logged_in(403, broker_this=302, admin=302),
        kwargs=pk,
        method="post",
        data=lambda w: {"broker": w.users["broker_this"].pk},
        setup=public,
    ),
    Case(
        "initiatives:repayment",
        logged_in(403, broker_this=302, admin=302),
        kwargs=pk,
        method="post",
        data=lambda w: {"amount": "10,00", "note": "Overboeking"},
        setup=owes_repayment,
    ),
    Case(
        "initiatives:payee",
        logged_in(403, applicant=302),
        kwargs=pk,
        method="post",
        data=lambda w: {"iban": "NL91 ABNA 0417 1643 00", "name": "Buurtvereniging"},
        setup=approved_with_account,
    ),
    Case(
        "initiatives:pay",
        logged_in(403, broker_this=302, admin=302),
        kwargs=pk,
        method="post",
        setup=approved_with_account,
    ),
]
