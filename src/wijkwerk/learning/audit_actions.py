"""What the audit trail records about pilots and lessons (`wijkwerk.core.auditlog`; registered
in `LearningConfig.ready`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LearningAction(models.TextChoices):
    PILOT_CREATE = "pilot.create", _("Pilot started")
    PILOT_CHANGE = "pilot.change", _("Pilot changed")
    LESSON_RECORD = "lesson.record", _("Lesson recorded")
    LESSON_SEND = "lesson.send", _("Lesson sent by a resident")
    LESSON_APPROVE = "lesson.approve", _("Lesson approved")
    LESSON_REJECT = "lesson.reject", _("Lesson rejected")
    LESSON_FOLLOW_UP = "lesson.follow_up", _("Follow-up of a lesson recorded")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("learning", _("Pilots and lessons"), LearningAction)
    fields = {
        "areas": log.Text(_("areas")),
        "tags": log.Text(_("tags")),
        "officials": log.Text(_("officials")),
        "text": log.Hidden(),
        "goal": log.Hidden(),
        "people": log.Hidden(),
        "follow_up": log.Hidden(),
        "rejection_reason": log.Hidden(),
    }
    for model in ("learning.pilot", "learning.lesson"):
        log.register_fields(model, fields)
