"""Who may do what in a budget round: the rounds' and the plans' permission policies
(`core.policy`; rules.py registers them as `budgeting.<action>`).

The municipality's administrator sets up, publishes and closes rounds. The broker (or area
coordinator) of a plan's area moderates its plans (merge, hide) and records the municipality's
feasibility verdict; so can the administrator. What a phase allows (propose, like, vote) is the
phase's business (models.KINDS) and is checked by the services, which say why when it is not.
"""

from __future__ import annotations

from wijkwerk.accounts.policy import CASE_HANDLER_ROLES, AdministersMunicipality, HoldsAreaRole
from wijkwerk.core.policy import (
    IsPerson,
    ObjectCondition,
    PermissionPolicy,
    is_authenticated,
    is_superuser,
)

from .models import BudgetProcess, Plan
from .states import PUBLIC_PROCESS, VISIBLE_PLAN

administers_round = AdministersMunicipality("municipality") | is_superuser
round_is_public = ObjectCondition(
    "round_is_public", lambda process: process.status in PUBLIC_PROCESS, PUBLIC_PROCESS.q()
)

PROCESS_POLICY = PermissionPolicy(
    BudgetProcess,
    {
        "view_process": round_is_public | administers_round,
        "manage_process": administers_round,
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
        "like_plan": is_authenticated & ~is_author & plan_is_visible & plan_round_is_public,
        "moderate_plan": handles_plan,
        "review_plan": handles_plan,
    },
)
