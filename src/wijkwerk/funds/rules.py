"""Who may see funds and who may move money, registered with django-rules.

The rules about one fund, and about booking for one initiative, are the funds' permission
policies (policy.py), registered here as `funds.<action>`; the rules about a person alone (may see
the fund overview, may manage schemes) follow.
"""

from __future__ import annotations

from typing import Any

import rules

from wijkwerk.accounts.roles import role_index
from wijkwerk.accounts.rules import is_admin_anywhere, is_superuser

from .policy import BOOKING_POLICY, FUND_POLICY, FUND_READER_ROLES

FUND_POLICY.register("funds")
BOOKING_POLICY.register("funds")


@rules.predicate
def is_fund_reader_anywhere(user: Any) -> bool:
    index = role_index(user)
    return any(index.area_roles.get(role) for role in FUND_READER_ROLES)


can_view_funds = is_superuser | is_admin_anywhere | is_fund_reader_anywhere
can_manage_schemes = is_superuser | is_admin_anywhere

rules.add_perm("funds.view_funds", can_view_funds)
rules.add_perm("funds.manage_schemes", can_manage_schemes)
