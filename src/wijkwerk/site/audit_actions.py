"""What the audit trail records about the public statements, and how the audit log shows it
(`wijkwerk.core.auditlog`; registered in `SiteConfig.ready`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatementAction(models.TextChoices):
    PRIVACY_CREATE = "privacy_statement.create", _("Privacy statement published")
    PRIVACY_UPDATE = "privacy_statement.update", _("Privacy statement changed")
    ACCESSIBILITY_CREATE = "accessibility_statement.create", _("Accessibility statement published")
    ACCESSIBILITY_UPDATE = "accessibility_statement.update", _("Accessibility statement changed")
    CONTACT_CREATE = "contact_page.create", _("Contact page published")
    CONTACT_UPDATE = "contact_page.update", _("Contact page changed")


# (created, changed) per kind of statement
ACTIONS = {
    "privacy": (StatementAction.PRIVACY_CREATE, StatementAction.PRIVACY_UPDATE),
    "accessibility": (StatementAction.ACCESSIBILITY_CREATE, StatementAction.ACCESSIBILITY_UPDATE),
    "contact": (StatementAction.CONTACT_CREATE, StatementAction.CONTACT_UPDATE),
}


def register() -> None:
    from wijkwerk.core import auditlog as log

    log.register_actions("site", _("Public statements"), StatementAction)
