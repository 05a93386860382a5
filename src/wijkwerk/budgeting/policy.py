"""Who may do what in a budget round: the rounds' and the plans' permission policies
(`core.policy`; rules.py registers them as `budgeting.<action>`).

The municipality's administrator sets up, publishes and closes rounds. The broker (or area
coordinator) of a plan's area moderates its plans (merge, hide) and records the municipality's
feasibility verdict; so can the administrator. The reviewers' list of a round's plans
(`review_plans`) and the desk that hands out voting codes (`hand_out_codes`) are for the
administrator and the brokers and coordinators of its areas. What
a phase allows (propose, like, vote) is the phase's business (models.KINDS) and is checked by
the services, which say why when it is not.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from wijkwerk.accounts.models import RoleAssignment
from wijkwerk.accounts.policy import (
    CASE_HANDLER_ROLES,
    AdministersMunicipality,
    HoldsAreaRole,
    is_official,
)
from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Area
from wijkwerk.core.policy import (
    NOTHING,
    Condition,
    IsPerson,
    ObjectCondition,
    PermissionPolicy,
    is_authenticated,
    is_superuser,
)

from .models import BudgetProcess, Plan, ProcessArea
from .states import PUBLIC_PROCESS, VISIBLE_PLAN


class HandlesAreaOfRound(Condition):
    """A broker or area coordinator of one of the round's areas (or of an area one lies in):
    someone who checks and moderates the plans of that area (the reviewers' list of the round)."""

    name = "handles_area_of_round"
    roles = tuple(CASE_HANDLER_ROLES)

    def check(self, user: Any, obj: Any) -> bool:
        if obj is None or not getattr(user, "is_authenticated", False):
            return False
        index = role_index(user)
        return any(
            index.holds_for_area(role, item.area.lineage_ids)
            for item in obj.process_areas.select_related("area__parent__parent")
            for role in self.roles
        )

    def objects(self, user: Any) -> Q:
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        index = role_index(user)
        own: set[int] = set()
        for role in self.roles:
            own |= index.area_roles.get(role, frozenset())
        if not own:
            return NOTHING
        within = Area.objects.filter(
            Q(pk__in=own) | Q(parent_id__in=own) | Q(parent__parent_id__in=own)
        ).values("pk")
        return Q(pk__in=ProcessArea.objects.filter(area_id__in=within).values("process_id"))

    def users(self, obj: Any) -> Q:
        lineage: set[int] = set()
        for item in obj.process_areas.select_related("area__parent__parent"):
            lineage |= set(item.area.lineage_ids)
        return Q(
            pk__in=RoleAssignment.objects.filter(role__in=self.roles, area_id__in=lineage).values(
                "user_id"
            )
        )


administers_round = AdministersMunicipality("municipality") | is_superuser
handles_area_of_round = HandlesAreaOfRound()
round_is_public = ObjectCondition(
    "round_is_public", lambda process: process.status in PUBLIC_PROCESS, PUBLIC_PROCESS.q()
)

PROCESS_POLICY = PermissionPolicy(
    BudgetProcess,
    {
        "view_process": round_is_public | administers_round,
        "manage_process": administers_round,
        # the reviewers' list of the round's plans (feasibility, moderation)
        "review_plans": administers_round | handles_area_of_round,
        # the paper ballots: taking in codes at the desk, the double entry, resolving
        "count_paper": administers_round | handles_area_of_round,
        # the desk: finding a register entry and handing out a voting code after seeing ID
        # (people with a secret address, a lost letter)
        "hand_out_codes": administers_round | handles_area_of_round,
    },
)

administers_plan = AdministersMunicipality("process__municipality") | is_superuser
handles_plan = HoldsAreaRole(CASE_HANDLER_ROLES, area="area") | administers_plan
is_author = IsPerson("author")
plan_round_is_public = ObjectCondition(
    "plan_round_is_public",
    lambda plan: plan.process.status in PUBLIC_PROCESS,
    PUBLIC_PROCESS.q("process__status"),
)
plan_is_visible = ObjectCondition(
    "plan_is_visible", lambda plan: plan.status in VISIBLE_PLAN, VISIBLE_PLAN.q()
)

PLAN_POLICY = PermissionPolicy(
    Plan,
    {
        # a hidden or merged plan's page stays, showing why (the public reason, where it went)
        "view_plan": plan_round_is_public | handles_plan,
        "change_plan": is_author & plan_is_visible,
        # Officials do not like plans: likes decide what goes on the residents' ballot.
        "like_plan": is_authenticated
        & ~is_official
        & ~is_author
        & plan_is_visible
        & plan_round_is_public,
        "moderate_plan": handles_plan,
        "review_plan": handles_plan,
    },
)
