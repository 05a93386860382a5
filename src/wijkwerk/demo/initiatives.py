"""The demo's initiatives (data/initiatives.toml), taken through the initiatives' workflow.

Every step is a service call by the person who takes it in real life: the resident saves and
submits, the broker (Oosterhout) or the administrator (Oss) reviews and decides, a second official
pays, the resident accounts for the money and adds photos of the result. So the timeline, the
audit trail, the Awb decisions and the fund ledger are the platform's own, and the fund figures
on /fondsen/ add up. Loading again skips an initiative its applicant already has (by title).

Dates: a submission is checked against the scheme's lead time on the day of loading, so the
activities start `start_in_days` after the demo is loaded and every step is taken that day.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from wijkwerk.accounts.models import User
from wijkwerk.areas.models import Area, AreaCouncil, Municipality, ResidentGroup
from wijkwerk.core import notifications
from wijkwerk.funds.models import Category, Fund, Scheme
from wijkwerk.initiatives import services, states
from wijkwerk.initiatives.models import AttachmentPurpose, Initiative, Status

from . import DEMO_DIR
from .photos import FILE_NAMES, KINDS, picture

OOSTERHOUT = "GM0826"
OSS = "GM0828"

# Who decides and who pays (a second official: the approver may not pay), per municipality. In
# Oosterhout the area's wijkmakelaar gets a submission for review and decides; in Oss an official
# takes it into review.
DECIDERS = {OSS: "beheer@oss.example"}
PAYERS = {OOSTERHOUT: "beheer@oosterhout.example", OSS: "financien@oss.example"}

# A demo initiative's state is reached by following the course up to it (states.COURSE), or up
# to where its side road leaves (states.LEFT_FROM).
STATES = frozenset(states.COURSE) | frozenset(states.LEFT_FROM)


class DemoDataError(ValueError):
    """The data file asks for something the demo cannot do; the message says which entry."""


@dataclass
class Summary:
    initiatives: int = 0
    photos: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


def load_entries() -> list[dict[str, Any]]:
    data = tomllib.loads((DEMO_DIR / "initiatives.toml").read_text(encoding="utf-8"))
    entries: list[dict[str, Any]] = data["initiative"]
    for entry in entries:
        if entry["state"] not in STATES:
            raise DemoDataError(f"{entry['title']}: unknown state {entry['state']!r}")
        unknown = set(entry.get("photos", ())) - KINDS
        if unknown:
            raise DemoDataError(f"{entry['title']}: no picture for {sorted(unknown)}")
    return entries


def load_demo_initiatives() -> Summary:
    """Take every demo initiative to its state (idempotent); municipalities not loaded are
    skipped."""
    summary = Summary()
    loaded = set(Municipality.objects.values_list("cbs_code", flat=True))
    for entry in load_entries():
        if entry["municipality"] not in loaded:
            continue
        applicant = User.objects.get(email=entry["applicant"])
        if Initiative.objects.filter(applicant=applicant, title=entry["title"]).exists():
            continue
        # the people are made up: the steps mail no one (a first `./dev run` would print a
        # hundred mails)
        with transaction.atomic(), notifications.quiet():
            photos = _take(entry, applicant)
        summary.initiatives += 1
        summary.photos += photos
        summary.by_state[entry["state"]] = summary.by_state.get(entry["state"], 0) + 1
    return summary


def _reached(entry: dict[str, Any], step: str) -> bool:
    """Whether the entry's path goes through `step`."""
    state = entry["state"]
    last = states.LEFT_FROM.get(state, state)
    return states.COURSE.index(step) <= states.COURSE.index(last)


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _take(entry: dict[str, Any], applicant: User) -> int:
    municipality = Municipality.objects.get(cbs_code=entry["municipality"])
    area = Area.objects.get(cbs_code=entry["area"])
    scheme = Scheme.objects.get(municipality=municipality, name=entry["scheme"])
    today = timezone.localdate()
    start = (
        today + datetime.timedelta(days=entry["start_in_days"])
        if "start_in_days" in entry
        else None
    )
    kind = entry.get("applicant_kind", "person")
    values: dict[str, Any] = {
        "title": entry["title"],
        "summary": entry["summary"],
        "description": entry["description"],
        "area": area,
        "category": Category.objects.get(municipality=municipality, slug=entry["category"]),
        "scheme": scheme,
        "applicant_kind": kind,
        "resident_group": (
            ResidentGroup.objects.get(name=entry["group"], members=applicant)
            if kind == "group"
            else None
        ),
        "area_council": (
            AreaCouncil.objects.get(name=entry["council"], members=applicant)
            if kind == "council"
            else None
        ),
        "legal_entity": entry.get("legal_entity", ""),
        "applicant_age": entry.get("age"),
        "address": entry.get("address", ""),
        "latitude": Decimal(entry["latitude"]) if "latitude" in entry else None,
        "longitude": Decimal(entry["longitude"]) if "longitude" in entry else None,
        "planned_start": start,
        "planned_end": start + datetime.timedelta(days=entry.get("days", 1) - 1) if start else None,
        "own_contribution_cents": entry.get("own_money", 0),
        "own_contribution_hours": entry.get("own_hours", 0),
        "own_contribution_materials": entry.get("own_materials", ""),
        "consent_to_publish": entry.get("consent_to_publish", True),
    }
    initiative = services.initiative_save_draft(
        actor=applicant,
        initiative=None,
        values=values,
        budget_lines=[services.BudgetLineData(text, cents) for text, cents in entry["lines"]],
        co_applicants=[
            services.CoApplicantData(name, age, lives)
            for name, age, lives in entry.get("cosigners", ())
        ],
    )
    if not _reached(entry, "submitted"):
        return 0

    initiative = services.initiative_submit(actor=applicant, initiative=initiative)
    for email in entry.get("supporters", ()):
        services.support_toggle(actor=_user(email), initiative=initiative)
    for email, text in entry.get("help", ()):
        services.help_offer_add(actor=_user(email), initiative=initiative, text=text)
    # In Oosterhout the area's broker has it in review now; in Oss an official takes it.
    decider = initiative.broker or _user(DECIDERS[entry["municipality"]])
    if not _reached(entry, "under_review"):
        _converse(entry, initiative, applicant, decider)
        return 0
    if initiative.status == Status.SUBMITTED:
        initiative = _step(decider, initiative, "start_review")
    _converse(entry, initiative, applicant, decider)
    state = entry["state"]
    if state in states.LEFT_FROM and states.LEFT_FROM[state] == Status.UNDER_REVIEW:
        action = "return" if state == Status.RETURNED else "reject"
        _step(decider, initiative, action, reason=entry["reason"])
        return 0
    if not _reached(entry, "approved"):
        return 0

    year = start.year if start else today.year
    fund = Fund.objects.filter(municipality=municipality, name=entry["fund"], year=year).first()
    if fund is None:
        raise DemoDataError(f"{entry['title']}: no fund {entry['fund']!r} for {year}")
    initiative = _step(
        decider,
        initiative,
        "approve",
        amount_cents=entry["granted"],
        fund=fund,
        conditions=entry.get("conditions", ""),
    )
    iban, holder = entry["payee"]
    initiative = services.initiative_set_payee(
        actor=applicant, initiative=initiative, iban=iban, name=holder
    )
    payer = _user(PAYERS[entry["municipality"]])
    if state == "withdrawn":
        _step(applicant, initiative, "withdraw", reason=entry["reason"])
        return 0
    if entry.get("advance"):
        services.initiative_pay(actor=payer, initiative=initiative)
        initiative.refresh_from_db()
    if not _reached(entry, "in_progress"):
        return 0
    initiative = _step(applicant, initiative, "start")
    if not _reached(entry, "accounted"):
        return 0

    photos = 0
    for kind_of_picture in entry.get("photos", ()):
        services.attachment_add(
            actor=applicant,
            initiative=initiative,
            upload=SimpleUploadedFile(
                FILE_NAMES[kind_of_picture], picture(kind_of_picture), "image/jpeg"
            ),
            purpose=AttachmentPurpose.RESULT_PHOTO,
        )
        photos += 1
    lines = list(initiative.budget_lines.order_by("position"))
    services.accountability_submit(
        actor=applicant,
        initiative=initiative,
        report=entry["report"],
        took_place=True,
        participants=entry["participants"],
        actual_costs={line.pk: cents for line, cents in zip(lines, entry["actual"], strict=True)},
    )
    initiative.refresh_from_db()
    if not _reached(entry, "completed"):
        return photos
    initiative = _step(decider, initiative, "accept_accountability")
    # What is still to be paid (the amount finally set, when no advance was paid) is paid by the
    # second official; an advance above the actual costs comes back from the applicant.
    services.initiative_pay(actor=payer, initiative=initiative)
    initiative.refresh_from_db()
    if entry.get("repaid"):
        services.initiative_repayment_received(
            actor=payer,
            initiative=initiative,
            amount_cents=entry["repaid"],
            note="Teruggestort door de aanvrager.",
        )
    return photos


def _converse(
    entry: dict[str, Any], initiative: Initiative, applicant: User, official: User
) -> None:
    """The conversation between the applicant and the official handling it (`messages`:
    [who, text], who being "applicant" or "official"), and the official's internal `notes`."""
    for who, text in entry.get("messages", ()):
        author = applicant if who == "applicant" else official
        services.message_post(actor=author, initiative=initiative, body=text, internal=False)
    for text in entry.get("notes", ()):
        services.message_post(actor=official, initiative=initiative, body=text, internal=True)


def _step(actor: User, initiative: Initiative, action: str, **kwargs: Any) -> Initiative:
    return services.initiative_transition(
        actor=actor, initiative=initiative, action=action, **kwargs
    )
