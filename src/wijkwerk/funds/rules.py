"""Who may see funds and who may move money. Registered with django-rules.

- See the fund overview: brokers and aldermen see the funds that cover their areas (and the
  municipality-wide ones of their municipality), admins every fund of their municipality.
- Book against an initiative (commit, pay, release, refund): the broker of the initiative's area
  or the municipality's admin. Paying out: one of them who did not grant the money, when the
  grant is above the scheme's second-official threshold.
- Correct a fund, manage schemes, funds and categories: the municipality's admin.
"""

from __future__ import annotations

from typing import Any

import rules

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.roles import role_index
from wijkwerk.accounts.rules import is_broker_of_area, is_municipality_admin, is_superuser

# Area roles that may read the fund overview; aldermen only read.
FUND_READER_ROLES = (Role.BROKER, Role.ALDERMAN)


@rules.predicate
def is_fund_reader_anywhere(user: Any) -> bool:
    index = role_index(user)
    return any(index.area_roles.get(role) for role in FUND_READER_ROLES)


@rules.predicate
def is_fund_reader_of_fund(user: Any, fund: Any) -> bool:
    """A broker or alderman whose areas the fund covers (or any area, if municipality-wide)."""
    if fund is None:
        return False
    from .selectors import fund_reader_area_ids  # selectors imports this module's roles

    related = fund_reader_area_ids(user, fund.municipality_id)
    if not related:
        return False
    covered = {area.pk for area in fund.areas.all()}
    return not covered or not covered.isdisjoint(related)


@rules.predicate
def is_broker_of_initiative(user: Any, initiative: Any) -> bool:
    return initiative is not None and is_broker_of_area(user, initiative.area)


@rules.predicate
def is_admin_of_initiative(user: Any, initiative: Any) -> bool:
    return initiative is not None and is_municipality_admin(user, initiative.area)


@rules.predicate
def is_admin_anywhere(user: Any) -> bool:
    return bool(role_index(user).admin_municipality_ids)


@rules.predicate
def granted_it_above_threshold(user: Any, initiative: Any) -> bool:
    """This official approved the grant, and the scheme wants a second official to pay it."""
    if initiative is None or initiative.approved_by_id is None:
        return False
    if initiative.approved_by_id != user.pk or initiative.fund is None:
        return False
    return (initiative.granted_cents or 0) > initiative.fund.scheme.second_official_above_cents


can_view_funds = is_superuser | is_admin_anywhere | is_fund_reader_anywhere
can_manage_schemes = is_superuser | is_admin_anywhere

rules.add_perm("funds.view_funds", can_view_funds)
rules.add_perm("funds.view_fund", is_superuser | is_municipality_admin | is_fund_reader_of_fund)
rules.add_perm("funds.manage_schemes", can_manage_schemes)
rules.add_perm("funds.manage_fund", is_superuser | is_municipality_admin)
can_book_for_initiative = is_superuser | is_broker_of_initiative | is_admin_of_initiative
rules.add_perm("funds.book_for_initiative", can_book_for_initiative)
# Paying out also needs four eyes: not the official who granted it (above the scheme's threshold).
rules.add_perm("funds.pay_initiative", can_book_for_initiative & ~granted_it_above_threshold)
