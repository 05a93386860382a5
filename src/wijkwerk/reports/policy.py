"""Who may see and work on quarterly reports (docs/learning.md, "Quarterly report").

    published reports   everyone (the page, the PDF)
    drafts              the council clerk (griffie) of the report's municipality and its
                        administrators: they generate, edit, preview and publish them
    published reports   never change, for anyone (the services and the model refuse)

Generating a report for a municipality is asked of the municipality (`may_manage`), since the
report does not exist yet.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from wijkwerk.accounts.models import Role
from wijkwerk.accounts.policy import AdministersMunicipality
from wijkwerk.accounts.roles import role_index
from wijkwerk.core.policy import ObjectCondition, PermissionPolicy, is_superuser
from wijkwerk.councils.policy import ClerkOf

from .models import QuarterlyReport
from .states import ReportStatus

is_published = ObjectCondition(
    "is_published",
    lambda report: report.status == ReportStatus.PUBLISHED,
    Q(status=ReportStatus.PUBLISHED),
)
is_draft = ObjectCondition(
    "is_draft", lambda report: report.status == ReportStatus.DRAFT, Q(status=ReportStatus.DRAFT)
)
is_clerk_or_admin = ClerkOf("municipality") | AdministersMunicipality("municipality") | is_superuser

POLICY = PermissionPolicy(
    QuarterlyReport,
    {
        "view_report": is_published | is_clerk_or_admin,
        "manage_report": is_clerk_or_admin,
        "change_report": is_clerk_or_admin & is_draft,
    },
)


def managed_municipality_ids(user: Any) -> frozenset[int]:
    """The municipalities whose reports the person generates (clerk or administrator)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    index = role_index(user)
    return index.municipality_roles.get(Role.CLERK, frozenset()) | index.admin_municipality_ids


def may_manage(user: Any, municipality: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return municipality is not None and municipality.pk in managed_municipality_ids(user)


@rules.predicate
def handles_reports(user: Any) -> bool:
    return bool(managed_municipality_ids(user)) or bool(getattr(user, "is_superuser", False))
