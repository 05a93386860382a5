"""Who may vote in a round, as one pluggable step.

A check turns whoever stands at the ballot box into a `Voter`, or refuses with the reason. The
ballot service takes only a `Voter`: it never asks how the person was identified. A new way in
is one function in `CHECKS`, `check(process, user, data) -> Voter`:

- "account": a logged-in resident (`data`: the ballot form's `capacity` and `area`);
- any other way in first proves who someone is on a page of its own (a voting code typed in, a
  DigiD login) and then *grants a pass* for the round in the session (`grant_pass`); the ballot
  pages find the pass (`granted_pass`) and call `CHECKS[pass["route"]](process, user, pass)`,
  which checks the pass again on every request (a code used meanwhile, say). The pass is
  dropped once the ballot is cast (`drop_pass`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .models import BudgetProcess, Channel, ProcessArea, VotingCode
from .refusals import BudgetRefused


class Capacity:
    RESIDENT = "resident"
    ENTREPRENEUR = "entrepreneur"


# Age bands for turnout (the result page), coarse enough that a band names no one.
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, "0-17"),
    (18, 29, "18-29"),
    (30, 44, "30-44"),
    (45, 64, "45-64"),
    (65, None, "65+"),
)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    for low, high, key in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return key
    return ""


@dataclass(frozen=True)
class Voter:
    """Someone the round lets vote, in the area whose ballot they fill in.

    `register_key` identifies them in the register of who voted and, while a ballot may still
    change, in the keyed hash that finds it (docs/adr/006-secret-ballot.md)."""

    process_area: ProcessArea
    register_key: str
    user: Any = None
    age_band: str = ""
    channel: str = Channel.ONLINE
    # the voting code this voter came with (`VotingCode.pk`): marked used with the ballot
    code_id: int | None = None


def voter_key(process_id: int, register_key: str) -> str:
    """The keyed hash the register of who voted knows a voter by (`Participation.voter_key`):
    the same person by the same way in gives the same key, and the key gives away no one."""
    return salted_hmac(
        "wijkwerk.budgeting.voter", f"{process_id}:{register_key}", algorithm="sha256"
    ).hexdigest()


def reference_day(process: BudgetProcess) -> datetime.date:
    return process.reference_date or timezone.localdate()


def _process_area_of(process: BudgetProcess, area: Any) -> ProcessArea | None:
    """The round's area that `area` (a home address's neighbourhood) lies in.

    Walks up from `area` only as far as needed, by the parents' ids: a neighbourhood in one of
    the round's districts costs no query for the district (the ballot's hot path)."""
    if area is None:
        return None
    by_area = {process_area.area_id: process_area for process_area in process.process_areas.all()}
    while area is not None:
        if area.pk in by_area:
            return by_area[area.pk]
        if area.parent_id is None or area.parent_id in by_area:
            return by_area.get(area.parent_id)
        area = area.parent
    return None


def check_age(process: BudgetProcess, birth_date: datetime.date | None) -> int:
    if birth_date is None:
        raise BudgetRefused(
            _("Fill in your date of birth in your profile: this round has an age limit."),
            code="not_eligible",
        )
    age = age_on(birth_date, reference_day(process))
    if age < process.minimum_age:
        raise BudgetRefused(
            _("You can vote in this round from the age of %(age)s.") % {"age": process.minimum_age},
            code="not_eligible",
        )
    if process.maximum_age is not None and age > process.maximum_age:
        raise BudgetRefused(
            _("This round is for people up to the age of %(age)s.") % {"age": process.maximum_age},
            code="not_eligible",
        )
    return age


def account_voter(
    process: BudgetProcess, user: Any, data: Mapping[str, Any] | None = None
) -> Voter:
    """A logged-in person: a resident of one of the round's areas (the home area in the
    profile), or an entrepreneur who says to run a business in the round's area `data["area"]`
    (its id), of the right age."""
    if not process.vote_with_account:
        raise BudgetRefused(
            _("In this round you vote with the voting code from your letter, not with an account."),
            code="not_eligible",
        )
    if not getattr(user, "is_authenticated", False):
        raise BudgetRefused(_("Log in to vote with your account."), code="log_in")
    data = data or {}
    capacity = data.get("capacity") or Capacity.RESIDENT
    if capacity == Capacity.ENTREPRENEUR:
        area = next(
            (
                item.area
                for item in process.process_areas.all()
                if str(item.area_id) == str(data.get("area"))
            ),
            None,
        )
        if not process.entrepreneurs_vote:
            raise BudgetRefused(
                _("In this round only residents vote, not entrepreneurs."), code="not_eligible"
            )
        process_area = _process_area_of(process, area)
        if process_area is None:
            raise BudgetRefused(
                _("Choose the area of this round where your business is."), code="not_eligible"
            )
    else:
        if not process.residents_vote:
            raise BudgetRefused(_("In this round only entrepreneurs vote."), code="not_eligible")
        if user.home_area_id is None:
            raise BudgetRefused(
                _("Choose your neighbourhood in your profile: it decides where you can vote."),
                code="not_eligible",
            )
        # a home address in one of the round's own areas needs no query for the area
        process_area = next(
            (item for item in process.process_areas.all() if item.area_id == user.home_area_id),
            None,
        ) or _process_area_of(process, user.home_area)
        if process_area is None:
            raise BudgetRefused(
                _("You do not live in an area of this round (%(area)s is your home area).")
                % {"area": user.home_area.name},
                code="not_eligible",
            )
    age = check_age(process, user.birth_date)
    return Voter(
        process_area=process_area,
        register_key=f"user:{user.pk}",
        user=user,
        age_band=age_band(age),
    )


def code_voter(process: BudgetProcess, user: Any, data: Mapping[str, Any]) -> Voter:
    """Whoever typed a voting code of the round (services/codes.py `find_code`; the pass holds
    the code's id and `stamp`, never the code): voting in the code's area. Checked again on
    every request: a code used on paper, used online where the round allows no change, or
    replaced at the desk since (another stamp) no longer opens the ballot."""
    code = (
        VotingCode.objects.select_related("process_area__area")
        .filter(pk=data.get("code_id") or 0, process=process)
        .first()
    )
    if code is None or data.get("stamp") != code_stamp(code):
        raise BudgetRefused(
            _("This voting code no longer works. Type the code from your letter again."),
            code="not_eligible",
        )
    if code.used_channel == Channel.PAPER:
        raise BudgetRefused(
            _("This voting code has been used to vote on paper."), code="not_eligible"
        )
    if code.used_channel and not process.may_change_ballot:
        raise BudgetRefused(_("This voting code has already been used."), code="not_eligible")
    return Voter(
        process_area=code.process_area,
        register_key=f"code:{code.pk}",
        age_band=code.age_band,
        code_id=code.pk,
    )


def code_stamp(code: Any) -> str:
    """What tells a code from the one that replaced it (a letter made again, a new code at
    the desk: the same row with a new hash): the start of its keyed hash, which says nothing
    of the code without the key."""
    return str(code.code_hash)[:12]


def digid_voter(process: BudgetProcess, user: Any, data: Mapping[str, Any]) -> Voter:
    """Whoever logged in with DigiD or eHerkenning (views/digid.py, services/digid.py `admit`):
    the pass holds the register key (a register row's voting code, `code:<pk>`, or a keyed hash,
    `bsn:…` / `kvk:…`), the round's area and the age band, never a BSN, a KvK number or the
    broker's subject. Checked again on every request: a code used on paper since no longer
    opens the ballot."""
    if not process.vote_with_digid:
        raise BudgetRefused(_("In this round you cannot vote with DigiD."), code="not_eligible")
    process_area = next(
        (item for item in process.process_areas.all() if item.pk == data.get("process_area")),
        None,
    )
    register_key = str(data.get("register_key") or "")
    if process_area is None or not register_key.startswith(("code:", "bsn:", "kvk:")):
        raise BudgetRefused(_("Log in with DigiD again."), code="not_eligible")
    code_id = data.get("code_id")
    if code_id is not None:
        used = (
            VotingCode.objects.filter(pk=code_id, process=process)
            .values_list("used_channel", flat=True)
            .first()
        )
        if used is None:
            raise BudgetRefused(_("Log in with DigiD again."), code="not_eligible")
        if used == Channel.PAPER:
            raise BudgetRefused(_("You have already voted on paper."), code="not_eligible")
    return Voter(
        process_area=process_area,
        register_key=register_key,
        age_band=str(data.get("age_band") or ""),
        code_id=code_id,
    )


CHECKS: dict[str, Callable[[BudgetProcess, Any, Mapping[str, Any]], Voter]] = {
    "account": account_voter,
    "code": code_voter,
    "digid": digid_voter,
}
"""The ways into the ballot box, by the name a pass carries (`grant_pass`)."""

PASS_KEY = "budgeting.pass.%s"  # noqa: S105 (a session key, no secret)


def grant_pass(session: Any, process: BudgetProcess, route: str, **data: Any) -> None:
    """Let whoever holds this session fill in the round's ballot by way of `route` (a key of
    `CHECKS`); `data` (JSON) is what that check needs, and never a BSN or a code itself. A new
    session key, so that a pass is never granted to a session someone else started."""
    session.cycle_key()
    session[PASS_KEY % process.pk] = {"route": route, **data}


def granted_pass(session: Any, process: BudgetProcess) -> dict[str, Any] | None:
    granted = session.get(PASS_KEY % process.pk)
    return granted if isinstance(granted, dict) and granted.get("route") in CHECKS else None


def drop_pass(session: Any, process: BudgetProcess) -> None:
    session.pop(PASS_KEY % process.pk, None)


def voter_at_the_box(
    process: BudgetProcess, user: Any, session: Any, data: Mapping[str, Any]
) -> Voter:
    """The voter by the session's pass for the round, else by the account."""
    granted = granted_pass(session, process)
    if granted is not None:
        return CHECKS[granted["route"]](process, user, granted)
    return account_voter(process, user, data)
