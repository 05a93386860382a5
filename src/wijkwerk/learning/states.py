"""A pilot's and a lesson's states, declared once (`wijkwerk.core.workflow`).

Templates ask `{% if pilot.states.running %}` or `{% if lesson.states.pending %}` (models.py).

    pilot:   planned ─→ running ─→ evaluated            (an official of the area sets the status;
             planned, running ─→ stopped                  any status may be corrected by them)
    lesson:  (an official records it) → published
             (a resident sends it)   → pending ─lesson_moderate→ published | rejected
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import States, StateSet


class PilotStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    EVALUATED = "evaluated", _("evaluated")
    STOPPED = "stopped", _("stopped")


class LessonStatus(models.TextChoices):
    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


# Pilots that are over: their lessons are final unless a follow-up is added.
FINISHED = StateSet(
    "finished", {PilotStatus.EVALUATED, PilotStatus.STOPPED}, "evaluated or stopped"
)

PILOT_STATES = States(PilotStatus.values, [FINISHED])
LESSON_STATES = States(LessonStatus.values)
