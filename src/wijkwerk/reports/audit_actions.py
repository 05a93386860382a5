"""What the audit trail records about quarterly reports, registered in `ReportsConfig.ready`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportAction(models.TextChoices):
    GENERATE = "report.generate", _("Quarterly report generated")
    REGENERATE = "report.regenerate", _("Quarterly report's figures taken again")
    EDIT = "report.edit", _("Quarterly report's texts changed")
    PUBLISH = "report.publish", _("Quarterly report published")


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("reports", _("Quarterly reports"), ReportAction)
    log.register_fields(
        "reports.quarterlyreport",
        {
            "quarter": log.Text(_("quarter")),
            "sections": log.Text(_("notes changed")),
            "sha256": log.Text(_("SHA-256 of the PDF")),
        },
    )
