"""A survey's states, declared once (`wijkwerk.core.workflow`).

Templates ask `{% if survey.states.draft %}` (models.py); whether a published survey is open
now is a matter of its dates (`Survey.is_open`, `has_ended`, `not_yet_open`).

    draft ─publish→ published ─close→ closed
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import States


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    CLOSED = "closed", _("closed")


SURVEY_STATES = States(SurveyStatus.values)
