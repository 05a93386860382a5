"""Who may see funds and who may move money: the funds' permission policies (`core.policy`).

- See a fund: brokers and aldermen see the funds that cover their areas, the areas around them
  and the areas inside them (and the municipality-wide funds of their municipality); admins every
  fund of their municipality.
- Manage a fund: the municipality's admin.
- A council's own fund (`Fund.council`): its chair, secretary or treasurer, and the broker and
  coordinator of the council's area, commit what the council decided for an initiative addressed
  to the council (the initiative's broker and the admin as always).
- Book against what a fund pays for (commit, pay, release, refund an initiative's money): the
  broker of its area or the municipality's admin. Paying out: one of them who did not grant the
  money, when the grant is above the scheme's second-official threshold (four eyes).

`FUND_POLICY` is about funds; `BOOKING_POLICY` about what the ledger books for (its model is the
one `LedgerEntry.initiative` points at: the funds app names no status and no field of it beyond its
area and its grant). rules.py registers both; selectors.py lists funds through `FUND_POLICY`; the
agreement of check, list and users is tested in `tests/funds/test_policy_agreement.py`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, Model, OuterRef, Q

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.accounts.policy import (
    CASE_HANDLER_ROLES,
    AdministersMunicipality,
    HoldsAreaRole,
    is_area_admin,
    is_area_broker,
)
from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Area, CouncilMembership
from wijkwerk.core.policy import NOTHING, Condition, PermissionPolicy, is_superuser

from .models import Fund, LedgerEntry

# Area roles that may read the fund overview; aldermen only read.
FUND_READER_ROLES = (Role.BROKER, Role.ALDERMAN)


def fund_reader_areas(user: Any) -> dict[int, int]:
    """Areas whose funds a broker or alderman may read, with their municipality: their own areas,
    the areas around them and the areas inside them (a fund for a neighbourhood concerns the
    district's broker). One query; none for someone without such a role."""
    index = role_index(user)
    own: set[int] = set()
    for role in FUND_READER_ROLES:
        own |= index.area_roles.get(role, frozenset())
    if not own:
        return {}
    areas = Area.objects.filter(Q(pk__in=own) | Q(children__in=own) | Q(parent__in=own))
    return dict(areas.values_list("pk", "municipality_id").distinct())


class ReadsFund(Condition):
    """A broker or alderman related to an area the fund covers, or, for a municipality-wide
    fund, related to an area of its municipality."""

    name = "reads_fund"

    def check(self, user: Any, fund: Any) -> bool:
        if fund is None:
            return False
        here = {pk for pk, m in fund_reader_areas(user).items() if m == fund.municipality_id}
        if not here:
            return False
        covered = {area.pk for area in fund.areas.all()}
        return not covered or not covered.isdisjoint(here)

    def objects(self, user: Any) -> Q:
        related = fund_reader_areas(user)
        if not related:
            return NOTHING
        through = Fund.areas.through.objects.filter(fund_id=OuterRef("pk"))
        covers_related = through.filter(
            area_id__in=sorted(related), area__municipality_id=OuterRef("municipality_id")
        )
        return Q(municipality_id__in=sorted(set(related.values()))) & (
            ~Q(Exists(through)) | Q(Exists(covers_related))
        )

    def users(self, fund: Any) -> Q:
        # "related" is symmetric: X is related to C when C is X, its parent or one of its
        # children, that is when X is C, one of C's children or C's parent.
        areas = list(fund.areas.all())
        covered = [area.pk for area in areas if area.municipality_id == fund.municipality_id]
        if areas and not covered:
            return NOTHING
        if covered:
            near = Q(pk__in=covered) | Q(parent_id__in=covered) | Q(children__in=covered)
        else:
            m = fund.municipality_id
            near = (
                Q(municipality_id=m) | Q(parent__municipality_id=m) | Q(children__municipality_id=m)
            )
        readers = RoleAssignment.objects.filter(
            role__in=FUND_READER_ROLES, area_id__in=Area.objects.filter(near).values("pk")
        )
        return Q(pk__in=readers.values("user_id"))


# The positions in a council whose holders book the council's decisions on its own fund.
COUNCIL_BOOKING_POSITIONS = ("chair", "secretary", "treasurer")


class HoldsCouncilPosition(Condition):
    """The chair, secretary or treasurer of the council whose own budget the fund is."""

    name = "holds_council_position"

    def _memberships(self) -> Any:
        return CouncilMembership.objects.filter(position__in=COUNCIL_BOOKING_POSITIONS)

    def check(self, user: Any, fund: Any) -> bool:
        if fund is None or fund.council_id is None or not getattr(user, "is_authenticated", False):
            return False
        return self._memberships().filter(council_id=fund.council_id, user_id=user.pk).exists()

    def objects(self, user: Any) -> Q:
        if not user.is_authenticated:
            return NOTHING
        return Q(council_id__in=self._memberships().filter(user_id=user.pk).values("council_id"))

    def users(self, fund: Any) -> Q:
        if fund.council_id is None:
            return NOTHING
        return Q(pk__in=self._memberships().filter(council_id=fund.council_id).values("user_id"))


reads_fund = ReadsFund()
supports_the_council = HoldsAreaRole(CASE_HANDLER_ROLES, area="council__area")
administers_fund = AdministersMunicipality("municipality")
holds_council_position = HoldsCouncilPosition()

FUND_POLICY = PermissionPolicy(
    Fund,
    {
        "view_fund": is_superuser | administers_fund | reads_fund,
        "manage_fund": is_superuser | administers_fund,
        # Commit a council's decision on its own fund (services.commit; only for an initiative
        # addressed to that council): its chair, secretary or treasurer, and the broker and
        # coordinator of the council's area who support it.
        "commit_council_fund": holds_council_position | supports_the_council,
    },
)


def _bookable_model() -> type[Model]:
    model = LedgerEntry._meta.get_field("initiative").related_model
    assert isinstance(model, type)
    return model


class GrantedAboveThreshold(Condition):
    """This official approved the grant, and the scheme wants a second official to pay it."""

    name = "granted_it_above_threshold"

    def check(self, user: Any, bookable: Any) -> bool:
        if bookable is None or bookable.approved_by_id is None:
            return False
        if bookable.approved_by_id != user.pk or bookable.fund is None:
            return False
        return (bookable.granted_cents or 0) > bookable.fund.scheme.second_official_above_cents

    def objects(self, user: Any) -> Q:
        if not user.is_authenticated:
            return NOTHING
        granted = _bookable_model()._default_manager.filter(
            approved_by_id=user.pk,
            granted_cents__gt=F("fund__scheme__second_official_above_cents"),
        )
        return Q(pk__in=granted.values("pk"))

    def users(self, bookable: Any) -> Q:
        if self.check(_Person(bookable.approved_by_id), bookable):
            return Q(pk=bookable.approved_by_id)
        return NOTHING


class _Person:
    """Who approved the grant, as `check` reads a user (its primary key)."""

    def __init__(self, pk: int | None) -> None:
        self.pk = pk


granted_it_above_threshold = GrantedAboveThreshold()
books_for_it = is_superuser | is_area_broker | is_area_admin

BOOKING_POLICY = PermissionPolicy(
    _bookable_model,
    {
        "book_for_initiative": books_for_it,
        # Paying out also needs four eyes: not the official who granted it (above the threshold).
        "pay_initiative": books_for_it & ~granted_it_above_threshold,
    },
)
