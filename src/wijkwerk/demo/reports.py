"""The demo's quarterly reports to the council (issue 16): Oosterhout's report for the last full
quarter, generated, written and published by the council clerk (griffie), so `./dev run` shows
a published report with its PDF; and a draft for the current quarter to work on.

Built through the services by the clerk, without mail. Loaded after the other demo data (the
learning and reach demo too), so the figures include them. Loading again skips what exists."""

from __future__ import annotations

from dataclasses import dataclass

from wijkwerk.accounts.models import User
from wijkwerk.areas.models import Municipality
from wijkwerk.core import notifications
from wijkwerk.core.quarters import Quarter
from wijkwerk.reports import services
from wijkwerk.reports.models import QuarterlyReport, ReportStatus

CLERK = "griffie@oosterhout.example"

INTRODUCTION = (
    "In dit kwartaal werkten bewoners, dorps- en wijkraden en de gemeente in Oosterhout samen "
    "aan hun buurten. De raad besloot op 22 september 2020 dat de lessen uit de gebiedspilots "
    "elk kwartaal naar de raad komen, gezien vanuit de gemeente én vanuit de bewoners.\n\n"
    "Deze rapportage laat per pilot zien wat beide kanten leerden, en geeft de cijfers van de "
    "initiatieven, de fondsen, het bereik, de budgetrondes en het uitdaagrecht."
)
NOTES = {
    "pilots": "De lessen van bewoners zijn via het korte formulier binnengekomen en door de "
    "wijkmakelaar gemodereerd.",
    "money": "Vastgelegd is wat de gemeente heeft toegekend; uitbetaald wat al is overgemaakt.",
}


@dataclass
class Summary:
    published: int = 0
    drafts: int = 0


def load_demo_reports() -> Summary:
    summary = Summary()
    municipality = Municipality.objects.filter(slug="oosterhout").first()
    clerk = User.objects.filter(email=CLERK).first()
    if municipality is None or clerk is None:
        return summary
    current = Quarter.current()
    last = current.previous()
    existing = {
        (report.year, report.number): report
        for report in QuarterlyReport.objects.filter(municipality=municipality)
    }
    with notifications.quiet():
        report = existing.get((last.year, last.number))
        if report is None:
            report = services.generate(clerk, municipality, last)
        if report.status == ReportStatus.DRAFT:
            services.edit(clerk, report, introduction=INTRODUCTION, notes=NOTES)
            services.publish(clerk, report)
            summary.published += 1
        if (current.year, current.number) not in existing:
            draft = services.generate(clerk, municipality, current)
            services.edit(
                clerk,
                draft,
                introduction="Concept: de inleiding volgt na de laatste raadsvergadering van "
                "dit kwartaal.",
                notes={},
            )
            summary.drafts += 1
    return summary
