"""The mail of quarterly reports (`wijkwerk.core.notifications`; registered in
`ReportsConfig.ready`). Text: `templates/reports/email/published.txt`.

- `reports.published`: to the followers of the municipality's areas when the clerk publishes a
  quarterly report (topic "report": the follows app sends it now or in the weekly digest, each
  person once). Nobody follows a municipality as such: its areas stand for it, so the report is
  a followable kind whose parents are every area of the municipality.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wijkwerk.core import notifications

PUBLISHED = "reports.published"


def _areas(report: Any) -> list[Any]:
    from wijkwerk.areas.models import Area

    return list(Area.objects.filter(municipality_id=report.municipality_id).order_by("pk"))


def register() -> None:
    from wijkwerk.follows import registry

    registry.register(
        registry.Followable(
            "reports.quarterlyreport",
            parents=_areas,
            view_perm="reports.view_report",
            url=lambda report: report.get_absolute_url(),
        )
    )
    notifications.register(
        notifications.Event(
            PUBLISHED,
            template="reports/email/published",
            subject=_("The quarterly report to the council: %(quarter)s"),
            subject_vars=lambda context: {"quarter": str(context["report"].quarter)},
            link=lambda context: context["report"].get_absolute_url(),
            link_label=_("Read the report"),
            municipality=lambda context: context["report"].municipality,
            topic="report",
        )
    )


def tell_followers(report: Any, *, actor: Any) -> int:
    from wijkwerk.follows.services import notify_followers

    return notify_followers(PUBLISHED, report, context={"report": report}, exclude=[actor])
