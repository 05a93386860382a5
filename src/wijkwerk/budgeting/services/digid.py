"""Letting someone who logged in with DigiD or eHerkenning into a round's ballot box.

`admit(process, identity)` turns a validated login (`oidc.Identity`: keyed hashes, never the
BSN) into the pass `eligibility.grant_pass` keeps in the session (`eligibility.digid_voter`
checks it again on every request):

- the round has a register extract: the person is the row whose `bsn_hash` is theirs (a business:
  the row with its KvK number), and votes as that row's voting code, `code:<pk>`, so that a
  letter's code and a DigiD login of the same person meet in one `Participation`. A row without
  a code yet gets one without a text (`WITHOUT_TEXT`; a letter or the desk gives it one later on
  the same row);
- no register: the claims decide. A resident's age at the round's reference date
  (`eligibility.check_age`; a broker that passes on only an age: that age) and area from the
  postcode (the areas' postcode table), as `bsn:<keyed hash>`; a business (eHerkenning, where
  entrepreneurs vote) from its postcode or the round's only area, as `kvk:<keyed hash>`: one
  vote per business.

Nothing here records who logged in: the audit event of a code made for a register row names the
round only (docs/adr/006-secret-ballot.md).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wijkwerk.areas.models import PostcodeArea
from wijkwerk.core import audit
from wijkwerk.core.actors import SystemActor

from ..audit_actions import BudgetAction
from ..eligibility import (
    Capacity,
    _process_area_of,
    age_band,
    age_on,
    check_age,
    reference_day,
)
from ..models import BudgetProcess, Channel, ProcessArea, RegisterEntry, RegisterExtract, VotingCode
from ..oidc import Identity, Kind
from ..refusals import BudgetRefused
from .codes import WITHOUT_TEXT

# the audit trail's actor for a code made at a DigiD login: no person
DIGID_LOGIN = SystemActor("digid login")
# The hash of a code made at a DigiD login for a register row that had none: no code has this
# hash (it is no keyed hash at all), so the code has no text anyone could type; making the
# letters gives such a row a real code on the same row (same pk: the same voter).


def _has_register(process: BudgetProcess) -> bool:
    return RegisterExtract.objects.filter(process=process, deleted_at__isnull=True).exists()


def _area_of_postcode(process: BudgetProcess, identity: Identity) -> ProcessArea:
    """The round's area of the postcode (PC6) the login passed on."""
    if not identity.postcode or not identity.house_number:
        raise BudgetRefused(
            _(
                "%(way)s did not pass on your postcode and house number: without them we cannot "
                "tell where you may vote."
            )
            % {"way": _("eHerkenning") if identity.kind == Kind.EHERKENNING else _("DigiD")},
            "digid_claims",
        )
    rows = PostcodeArea.objects.filter(
        postcode=identity.postcode, area__municipality_id=process.municipality_id
    ).select_related("area__parent__parent")
    found = {pa.pk: pa for row in rows if (pa := _process_area_of(process, row.area)) is not None}
    shown = f"{identity.postcode[:4]} {identity.postcode[4:]}"
    if not found:
        raise BudgetRefused(
            _("Your address (postcode %(postcode)s) is not in an area of this round.")
            % {"postcode": shown},
            "not_eligible",
        )
    if len(found) > 1:
        raise BudgetRefused(
            _(
                "Postcode %(postcode)s lies in more than one area of this round: vote with the "
                "voting code from your letter or ask the municipality."
            )
            % {"postcode": shown},
            "not_eligible",
        )
    return next(iter(found.values()))


def _entry_pass(process: BudgetProcess, entry: RegisterEntry) -> dict[str, Any]:
    """The register row's voting code (made if it has none) as the pass."""
    code = VotingCode.objects.select_for_update().filter(entry=entry).first()
    if code is None:
        code = VotingCode.objects.create(
            process=process,
            process_area_id=entry.process_area_id,
            entry=entry,
            code_hash=f"{WITHOUT_TEXT}{secrets.token_hex(29)}",
            age_band=(
                age_band(age_on(entry.birth_date, reference_day(process)))
                if entry.birth_date
                else ""
            ),
            capacity=entry.capacity,
        )
        audit.record(
            actor=DIGID_LOGIN,
            action=BudgetAction.CODES_ISSUE,
            instance=process,
            after={"channel": "digid"},
        )
    if code.used_channel == Channel.PAPER:
        raise BudgetRefused(_("You have already voted on paper."), "not_eligible")
    return {
        "register_key": f"code:{code.pk}",
        "process_area": code.process_area_id,
        "age_band": code.age_band,
        "code_id": code.pk,
    }


def _check_claimed_age(process: BudgetProcess, age: int) -> int:
    """An age the broker passed on (on the day of the login, not the round's reference date)
    against the round's limits, with `check_age`'s messages."""
    if age < process.minimum_age:
        raise BudgetRefused(
            _("You can vote in this round from the age of %(age)s.") % {"age": process.minimum_age},
            "not_eligible",
        )
    if process.maximum_age is not None and age > process.maximum_age:
        raise BudgetRefused(
            _("This round is for people up to the age of %(age)s.") % {"age": process.maximum_age},
            "not_eligible",
        )
    return age


@transaction.atomic
def admit(process: BudgetProcess, identity: Identity) -> dict[str, Any]:
    """The pass (`eligibility.grant_pass` data) for the person `identity` is, or a refusal
    saying why they cannot vote in this round."""
    if not process.vote_with_digid:
        raise BudgetRefused(_("In this round you cannot vote with DigiD."), "not_eligible")
    if identity.kind == Kind.EHERKENNING:
        if not process.entrepreneurs_vote:
            raise BudgetRefused(
                _("In this round only residents vote, not entrepreneurs."), "not_eligible"
            )
        if _has_register(process):
            entry = RegisterEntry.objects.filter(
                process=process, capacity=Capacity.ENTREPRENEUR, kvk_number=identity.kvk_number
            ).first()
            if entry is None:
                raise BudgetRefused(
                    _("Your business is not on the list of who may vote in this round."),
                    "not_eligible",
                )
            return _entry_pass(process, entry) | {"capacity": Capacity.ENTREPRENEUR}
        areas = list(process.process_areas.all())
        if identity.postcode or len(areas) != 1:
            process_area = _area_of_postcode(process, identity)
        else:
            process_area = areas[0]
        return {
            "register_key": f"kvk:{identity.kvk_hash}",
            "process_area": process_area.pk,
            "age_band": "",
            "capacity": Capacity.ENTREPRENEUR,
        }
    if not process.residents_vote:
        raise BudgetRefused(_("In this round only entrepreneurs vote."), "not_eligible")
    if _has_register(process):
        entry = RegisterEntry.objects.filter(process=process, bsn_hash=identity.bsn_hash).first()
        if entry is None:
            raise BudgetRefused(
                _(
                    "You are not on the list of residents who may vote in this round. Do you think "
                    "this is wrong? Ask the municipality."
                ),
                "not_eligible",
            )
        return _entry_pass(process, entry) | {"capacity": Capacity.RESIDENT}
    if identity.birth_date is None and identity.age is not None:
        age = _check_claimed_age(process, identity.age)
    else:
        age = check_age(process, identity.birth_date)
    process_area = _area_of_postcode(process, identity)
    return {
        "register_key": f"bsn:{identity.bsn_hash}",
        "process_area": process_area.pk,
        "age_band": age_band(age),
        "capacity": Capacity.RESIDENT,
    }
