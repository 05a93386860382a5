"""A round's and a plan's states, and every named set of them, declared once.

    round:  draft ─publish→ published ─close→ closed ─count→ counted
    plan:   published ─hide→ hidden ─show→ published      published ─merge→ merged
    feasibility (the municipality's verdict on a plan): pending → feasible | infeasible

What a round allows at a moment is its running phase's business (models.KINDS, core/phases.py):
a published round in its voting phase takes ballots; `close` ends the voting for good.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import States, StateSet


class ProcessStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("voting closed, being counted")
    COUNTED = "counted", _("counted")


class PlanStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    HIDDEN = "hidden", _("hidden by a moderator")
    MERGED = "merged", _("merged with another plan")


class FeasibilityVerdict(models.TextChoices):
    PENDING = "pending", _("not checked yet")
    FEASIBLE = "feasible", _("feasible")
    INFEASIBLE = "infeasible", _("not feasible")


P = ProcessStatus

PUBLIC_PROCESS = StateSet(
    "public",
    {P.PUBLISHED, P.CLOSED, P.COUNTED},
    "Everyone sees the round: it was published (drafts are the municipality's working copy).",
)
EDITABLE_PROCESS = StateSet(
    "editable",
    {P.DRAFT, P.PUBLISHED},
    "The municipality still changes the round's set-up (a published round only before voting).",
)
VOTING_ENDED = StateSet(
    "voting_ended",
    {P.CLOSED, P.COUNTED},
    "Voting is over for good: no ballot is taken or changed any more.",
)

VISIBLE_PLAN = StateSet(
    "visible",
    {PlanStatus.PUBLISHED},
    "Listed in the round and open to likes; hidden and merged plans show only their notice.",
)

PROCESS_STATES = States(ProcessStatus.values, [PUBLIC_PROCESS, EDITABLE_PROCESS, VOTING_ENDED])
PLAN_STATES = States(PlanStatus.values, [VISIBLE_PLAN])
