"""Who may vote in a round, as one pluggable step.

A check turns whoever stands at the ballot box (a logged-in resident today; a voting code from a
letter, a paper ballot or DigiD next) into a `Voter`, or refuses with the reason. The ballot
service takes only a `Voter`: it never asks how the person was identified. A new way in is one
function in `CHECKS`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import BudgetProcess, Channel, ProcessArea
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
    process: BudgetProcess, user: Any, *, capacity: str = Capacity.RESIDENT, area: Any = None
) -> Voter:
    """A logged-in person: a resident of one of the round's areas (the home area in the
    profile), or an entrepreneur who says to run a business in `area`, of the right age."""
    if capacity == Capacity.ENTREPRENEUR:
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
        process_area = _process_area_of(process, user.home_area)
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


CHECKS: dict[str, Callable[..., Voter]] = {"account": account_voter}
"""The ways into the ballot box (issue 13 adds voting codes, paper and DigiD)."""
