"""A quarterly report's states, declared once (`wijkwerk.core.workflow`).

    draft ─publish→ published      (a published report is archived unchanged: no way back)

Templates ask `{% if report.states.draft %}` / `report.states.published`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import States


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


REPORT_STATES = States(ReportStatus.values)
