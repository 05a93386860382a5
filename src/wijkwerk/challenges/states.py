"""A challenge's states and their named sets, declared once (`wijkwerk.core.workflow`).

    draft ─submit→ submitted ─admit→ admitted ─open_dialogue→ in_dialogue ─agree→ agreed
    submitted ─refuse→ not_admitted                                agreed ─start→ running
    running ─complete→ completed        admitted, in_dialogue, agreed, running ─end→ ended

The steps are in workflow.py; `admit` and `refuse` are Awb decisions (decisions.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import States, StateSet


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("awaiting the admissibility decision")
    ADMITTED = "admitted", _("admitted")
    NOT_ADMITTED = "not_admitted", _("not admitted")
    IN_DIALOGUE = "in_dialogue", _("in dialogue")
    AGREED = "agreed", _("agreement made")
    RUNNING = "running", _("running")
    COMPLETED = "completed", _("completed")
    ENDED = "ended", _("ended early")


S = Status

EDITABLE = StateSet("editable", {S.DRAFT}, "The organisation writes its proposal and submits it.")
PUBLIC = StateSet(
    "public",
    set(S.values) - {S.DRAFT},
    "On the public register: every challenge once it is submitted (a draft is the submitter's).",
)
AWAITING_DECISION = StateSet(
    "awaiting_decision",
    {S.SUBMITTED},
    "Waiting for the admissibility decision: counts against the municipality's decision term.",
)
ENDABLE = StateSet(
    "endable",
    {S.ADMITTED, S.IN_DIALOGUE, S.AGREED, S.RUNNING},
    "Admitted and not yet completed: the municipality can end the challenge (with a reason).",
)
HAS_AGREEMENT = StateSet(
    "has_agreement",
    {S.AGREED, S.RUNNING, S.COMPLETED, S.ENDED},
    "An agreement may exist: tasks, result, budget and term (ended challenges may have one).",
)
REPORTABLE = StateSet(
    "reportable", {S.RUNNING}, "The organisation reports its progress while the challenge runs."
)
BOOKABLE = StateSet(
    "bookable",
    {S.AGREED, S.RUNNING},
    "Money of the agreement is committed from a fund and paid out while agreed or running.",
)
FINISHED = StateSet(
    "finished",
    {S.NOT_ADMITTED, S.COMPLETED, S.ENDED},
    "No step leaves these (the workflow's terminal states).",
)

STATES = States(
    S.values,
    (EDITABLE, PUBLIC, AWAITING_DECISION, ENDABLE, HAS_AGREEMENT, REPORTABLE, BOOKABLE, FINISHED),
)
