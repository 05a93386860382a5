"""The quarterly report's services: the snapshot's figures equal independently computed sums,
publishing stores the tagged PDF with its SHA-256, and a published report cannot change through
the service or the model."""

from __future__ import annotations

import datetime
import hashlib
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from wijkwerk.core.audit import AuditEvent
from wijkwerk.core.quarters import Quarter
from wijkwerk.funds.models import EntryKind, LedgerEntry
from wijkwerk.initiatives.models import Initiative
from wijkwerk.learning.models import Perspective
from wijkwerk.reports import services
from wijkwerk.reports.models import QuarterlyReport, ReportIsPublished, ReportStatus
from wijkwerk.reports.refusals import ReportRefused
from wijkwerk.reports.sections import snapshot

from ..funds.factories import CategoryFactory, FundFactory
from ..initiatives.factories import InitiativeFactory
from ..learning import factories as learning
from .conftest import in_quarter

PUBLISHED = "Dit rapport is gepubliceerd en verandert niet meer."


def _data(cast, quarter: Quarter) -> dict:
    """Initiatives submitted in and outside the quarter, ledger entries of two funds."""
    social = CategoryFactory(municipality=cast.municipality, name="Sociaal")
    made = []
    plan = [
        (cast.neighbourhood, "submitted", cast.category),
        (cast.neighbourhood, "approved", cast.category),
        (cast.district, "approved", social),
        (cast.other_district, "rejected", None),
        (cast.other_district, "in_progress", social),
    ]
    for area, status, category in plan:
        made.append(
            InitiativeFactory(
                area=area,
                status=status,
                category=category,
                applicant=cast.applicant,
                submitted_at=in_quarter(quarter),
            )
        )
    # before the quarter, and in another municipality: not counted
    InitiativeFactory(
        area=cast.district,
        applicant=cast.applicant,
        submitted_at=quarter.start - datetime.timedelta(days=1),
    )
    InitiativeFactory(area=cast.lith, applicant=cast.applicant, submitted_at=in_quarter(quarter))
    second = FundFactory(
        municipality=cast.municipality,
        scheme=cast.scheme,
        name="Leefbaarheid",
        year=quarter.year,
        amount_cents=5_000_000,
    )
    if cast.fund.year != quarter.year:
        cast.fund.year = quarter.year
        cast.fund.save()
    entries = [
        (cast.fund, made[1], EntryKind.COMMITMENT, 125_000),
        (cast.fund, made[1], EntryKind.PAYMENT, 69_550),
        (cast.fund, made[2], EntryKind.COMMITMENT, 40_000),
        (cast.fund, made[2], EntryKind.RELEASE, 10_000),
        (cast.fund, None, EntryKind.CORRECTION, -2_500),
        (second, made[4], EntryKind.COMMITMENT, 300_000),
        (second, made[4], EntryKind.PAYMENT, 150_000),
        (second, made[4], EntryKind.REFUND, 5_000),
    ]
    for fund, initiative, kind, amount in entries:
        LedgerEntry.objects.create(
            fund=fund,
            initiative=initiative,
            kind=kind,
            amount_cents=amount,
            author=cast.admin,
            reason="test",
        )
    return {"initiatives": made, "entries": entries, "funds": [cast.fund, second]}


def test_the_snapshot_equals_independently_computed_sums(cast, quarter) -> None:
    data = _data(cast, quarter)
    figures = snapshot(cast.municipality, quarter)

    made = data["initiatives"]
    assert figures["initiatives"]["total"] == 5
    by_status = {row["status"]: row["count"] for row in figures["initiatives"]["by_status"]}
    assert by_status == dict(Counter(i.status for i in made))
    # by district or village: Dorst-Zuid counts under Dorst
    by_area = {row["name"]: row["count"] for row in figures["initiatives"]["by_area"]}
    assert by_area == {"Dorst": 3, "Slotjes": 2}
    by_category = {row["name"]: row["count"] for row in figures["initiatives"]["by_category"]}
    assert by_category == {"Fysieke leefomgeving": 2, "Sociaal": 2, "": 1}

    funds = {row["fund"]: row for row in figures["money"]["funds"]}
    for fund in data["funds"]:
        mine = [(kind, amount) for f, _i, kind, amount in data["entries"] if f == fund]
        total = {kind: sum(a for k, a in mine if k == kind) for kind in EntryKind.values}
        row = funds[fund.name]
        assert row["committed_cents"] == total["commitment"]
        assert row["paid_cents"] == total["payment"]
        assert row["committed_in_quarter_cents"] == total["commitment"]
        assert row["available_cents"] == (
            fund.amount_cents
            - total["commitment"]
            + total["release"]
            + total["refund"]
            + total["correction"]
        )
    assert (
        funds["Bewonersinitiatieven"]["available_cents"]
        == 30_000_000 - 125_000 - 40_000 + 10_000 - 2_500
    )
    assert funds["Leefbaarheid"]["available_cents"] == 5_000_000 - 300_000 + 5_000
    assert figures["money"]["total"]["paid_cents"] == 69_550 + 150_000


def test_entries_after_the_quarter_do_not_count(cast) -> None:
    """Last quarter's report reads the ledger up to the end of last quarter only."""
    last = Quarter.current().previous()
    cast.fund.year = last.year
    cast.fund.save()
    initiative = InitiativeFactory(area=cast.district, applicant=cast.applicant)
    LedgerEntry.objects.create(
        fund=cast.fund,
        initiative=initiative,
        kind=EntryKind.COMMITMENT,
        amount_cents=50_000,
        author=cast.admin,
        reason="test",
    )
    row = snapshot(cast.municipality, last)["money"]["funds"][0]
    assert row["committed_cents"] == 0
    assert row["available_cents"] == cast.fund.amount_cents


def test_a_quarter_without_data_has_empty_sections(cast) -> None:
    figures = snapshot(cast.municipality, Quarter(2021, 1))
    assert figures["initiatives"] == {
        "total": 0,
        "by_area": [],
        "by_status": [],
        "by_category": [],
    }
    assert figures["pilots"] == {
        "pilots": [],
        "area_lessons": {"municipality": [], "residents": []},
    }
    assert figures["money"]["funds"] == []
    assert figures["rounds"] == {"rounds": []}
    assert figures["challenges"] == {"challenges": [], "by_status": []}


def test_pilots_carry_both_perspectives(cast, quarter) -> None:
    pilot = learning.pilot(cast.broker, areas=[cast.district])
    learning.lesson(cast.broker, pilot=pilot, title="Vraag eerst de buren")
    learning.lesson(
        cast.broker,
        pilot=pilot,
        perspective=Perspective.RESIDENTS,
        title="Gereedschap delen werkt",
        on_behalf=True,
    )
    section = snapshot(cast.municipality, quarter)["pilots"]
    [entry] = section["pilots"]
    assert entry["title"] == "Bewoners beheren het groen"
    assert [lesson["title"] for lesson in entry["municipality"]] == ["Vraag eerst de buren"]
    assert [lesson["title"] for lesson in entry["residents"]] == ["Gereedschap delen werkt"]


def test_generate_edit_and_regenerate_keep_figures_apart_from_texts(cast, quarter) -> None:
    _data(cast, quarter)
    report = services.generate(cast.clerk, cast.municipality, quarter)
    assert report.status == ReportStatus.DRAFT
    assert report.generated_by == cast.clerk
    before = report.figures
    InitiativeFactory(
        area=cast.district, applicant=cast.applicant, submitted_at=in_quarter(quarter)
    )
    services.edit(
        cast.clerk,
        report,
        introduction="Dit kwartaal leerden we veel.",
        notes={"money": "Het fonds loopt goed."},
    )
    report.refresh_from_db()
    assert report.figures == before  # editing never changes the figures
    assert report.introduction == "Dit kwartaal leerden we veel."
    assert report.notes == {"money": "Het fonds loopt goed."}
    services.regenerate(cast.clerk, report)
    report.refresh_from_db()
    assert report.figures["initiatives"]["total"] == before["initiatives"]["total"] + 1
    assert report.introduction == "Dit kwartaal leerden we veel."  # the texts stay
    actions = list(
        AuditEvent.objects.filter(object_id=str(report.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["report.generate", "report.edit", "report.regenerate"]


def test_only_the_clerk_and_the_administrator_generate(cast, quarter) -> None:
    for person in (cast.broker, cast.applicant, cast.oss_admin):
        with pytest.raises(PermissionDenied):
            services.generate(person, cast.municipality, quarter)
    assert services.generate(cast.admin, cast.municipality, quarter).pk


def test_refusals_for_bad_requests(cast, quarter) -> None:
    with pytest.raises(ReportRefused) as refused:
        services.generate(cast.clerk, cast.municipality, quarter.next())
    assert refused.value.code == "future_quarter"
    report = services.generate(cast.clerk, cast.municipality, quarter)
    with pytest.raises(ReportRefused) as refused:
        services.generate(cast.clerk, cast.municipality, quarter)
    assert refused.value.code == "exists"
    with pytest.raises(ReportRefused) as refused:
        services.edit(cast.clerk, report, introduction="x" * 10_001, notes={})
    assert refused.value.code == "too_long"
    assert refused.value.messages == [
        "De inleiding is 10001 tekens lang; er passen er hoogstens 10000 in."
    ]
    with pytest.raises(ReportRefused) as refused:
        services.edit(cast.clerk, report, introduction="", notes={"weather": "sunny"})
    assert refused.value.code == "unknown_section"
    report.refresh_from_db()
    assert report.introduction == ""  # nothing half saved


def _published(cast, quarter) -> QuarterlyReport:
    _data(cast, quarter)
    pilot = learning.pilot(cast.broker, areas=[cast.district])
    learning.lesson(cast.broker, pilot=pilot, title="Vraag eerst de buren")
    learning.lesson(
        cast.broker,
        pilot=pilot,
        perspective=Perspective.RESIDENTS,
        title="Gereedschap delen werkt",
        on_behalf=True,
    )
    report = services.generate(cast.clerk, cast.municipality, quarter)
    services.edit(
        cast.clerk,
        report,
        introduction="Dit kwartaal leerden we veel van de bewoners.",
        notes={"pilots": "De pilot in Dorst loopt door tot de zomer."},
    )
    return services.publish(cast.clerk, report)


def test_publish_stores_a_tagged_pdf_and_its_sha256(cast, quarter, pdf_tools, tmp_path) -> None:
    report = _published(cast, quarter)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.published_by == cast.clerk
    assert report.published_at is not None
    stored = report.stored_pdf()
    assert stored.startswith(b"%PDF-")
    assert hashlib.sha256(stored).hexdigest() == report.pdf_sha256 == report.stored_sha256()
    assert 'lang="nl"' in report.html
    path = Path(tmp_path) / "report.pdf"
    path.write_bytes(stored)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout
    assert "Kwartaalrapportage aan de raad van Oosterhout" in info.stdout  # the title
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Dit kwartaal leerden we veel van de bewoners." in text
    assert "Vraag eerst de buren" in text
    assert "Gereedschap delen werkt" in text
    assert "€ 695,50" in text  # paid from the fund in the quarter
    assert "€ 2.195,50" in text  # paid in total (€ 695,50 + € 1.500,00)
    event = AuditEvent.objects.filter(action="report.publish", object_id=str(report.pk)).get()
    assert event.after["sha256"] == report.pdf_sha256


def test_a_published_report_cannot_change_through_the_service(cast, quarter) -> None:
    report = _published(cast, quarter)
    for attempt in (
        lambda: services.edit(cast.clerk, report, introduction="Anders", notes={}),
        lambda: services.regenerate(cast.clerk, report),
        lambda: services.publish(cast.clerk, report),
        lambda: services.generate(cast.clerk, cast.municipality, quarter),
    ):
        with pytest.raises(ReportRefused) as refused:
            attempt()
        assert refused.value.code == "published"
        assert refused.value.messages == [PUBLISHED]
    report.refresh_from_db()
    assert report.introduction == "Dit kwartaal leerden we veel van de bewoners."


def test_a_published_report_cannot_change_through_the_model(cast, quarter) -> None:
    report = _published(cast, quarter)
    sha = report.pdf_sha256
    report.introduction = "Anders"
    with pytest.raises(ReportIsPublished):
        report.save()
    with pytest.raises(ReportIsPublished):
        QuarterlyReport.objects.filter(pk=report.pk).update(introduction="Anders")
    with pytest.raises(ReportIsPublished):
        QuarterlyReport.objects.filter(pk=report.pk).delete()
    with pytest.raises(ReportIsPublished):
        report.delete()
    stored = QuarterlyReport.objects.get(pk=report.pk)
    assert stored.introduction == "Dit kwartaal leerden we veel van de bewoners."
    assert stored.pdf_sha256 == sha


def test_publishing_tells_the_followers_of_the_municipalitys_areas(
    cast, quarter, smtp_server, django_capture_on_commit_callbacks
) -> None:
    from wijkwerk.follows import services as follows
    from wijkwerk.follows.models import Frequency

    follows.follow(cast.neighbour, cast.district, frequency=Frequency.IMMEDIATE)
    follows.follow(cast.outsider, cast.lith, frequency=Frequency.IMMEDIATE)  # Oss: not told
    report = services.generate(cast.clerk, cast.municipality, quarter)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(cast.clerk, report)
    assert [m["To"].addresses[0].addr_spec for m in smtp_server.messages] == [cast.neighbour.email]
    mail = smtp_server.messages[0]
    assert str(quarter) in mail["Subject"]
    body = smtp_server.body(mail)
    assert f"/rapportages/oosterhout/{quarter.slug}/" in body


def test_figures_taken_at_generation_stay_with_the_published_report(cast, quarter) -> None:
    report = _published(cast, quarter)
    Initiative.objects.filter(area__municipality=cast.municipality).update(
        submitted_at=timezone.now() - datetime.timedelta(days=800)
    )
    report.refresh_from_db()
    assert report.figures["initiatives"]["total"] == 5


def test_reach_is_the_reach_apps_figures(cast, quarter) -> None:
    from ..accounts.factories import UserFactory

    for _n in range(6):
        InitiativeFactory(
            area=cast.neighbourhood, applicant=UserFactory(), submitted_at=in_quarter(quarter)
        )
    for _n in range(7):
        InitiativeFactory(
            area=cast.other_district, applicant=UserFactory(), submitted_at=in_quarter(quarter)
        )
    section = snapshot(cast.municipality, quarter)["reach"]
    assert section["has_data"] is True
    rows = {row["name"]: row for row in section["areas"]}
    assert rows["Dorst"]["reached"] == 6
    assert rows["Dorst"]["channels"]["initiative"] == 6
    assert rows["Dorst-Zuid"]["reached"] == 6
    assert rows["Slotjes"]["reached"] == 7
    assert section["total"]["reached"] == 13
    assert section["over_time"][-1]["quarter"] == quarter.slug
    assert len(section["over_time"]) == 4


def test_a_suppressed_reach_figure_shows_as_a_dash(cast, quarter) -> None:
    from wijkwerk.reach.selectors import CHANNELS
    from wijkwerk.reports.rendering import _reach_row

    row = {
        "kind": "area",
        "name": "Slotjes",
        "depth": 1,
        "reached": None,
        "budget_votes": 12,
        "channels": {"initiative": None},
        "population": 4210,
        "population_year": 2025,
        "share": None,
    }
    shown = _reach_row(row, ["initiative"])
    assert shown["reached_shown"] == "–"
    assert shown["population_shown"] == "4.210"
    assert shown["share_shown"] == "–"
    label = str(dict(CHANNELS)["initiative"])  # the reach app's label, in Dutch
    assert shown["channel_values"] == [(label, "–")]
