"""The quarterly report to the council in headless Chromium, axe on every new page.

A pilot in Dorst has a lesson from the broker (seen from the municipality) and one a resident
sent through the short form and the broker approved (seen from the residents); an initiative got
€ 695,50 committed from this year's fund. The council clerk (griffie) generates the report for
the quarter, writes the introduction and a note, previews it (both perspectives side by side),
and publishes it. A visitor on a phone finds it in the list, reads it without sideways
scrolling, and downloads the PDF: pdftotext finds the texts and the figure, pdfinfo says it is
tagged, and its first page is rendered to PNG (into the folder WIJKWERK_SHOTS names,
when it is set; to look at). Afterwards the clerk's edit page refuses: the report no longer changes.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.e2e.test_initiative_journey import log_in
from tests.funds.factories import FundFactory
from tests.initiatives.factories import InitiativeFactory
from tests.learning import factories as learning
from tests.shots import folder, shot
from wijkwerk.core.quarters import Quarter
from wijkwerk.funds.models import EntryKind, LedgerEntry
from wijkwerk.learning import services as learning_services
from wijkwerk.reports.models import QuarterlyReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page: Page, name: str) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: {width} px wide"
    shot(page, f"reports-{name}")


def pdf_checks(pdf: bytes, tmp_path: Path) -> str:
    for tool in ("pdftotext", "pdfinfo", "pdftoppm"):
        assert shutil.which(tool), f"{tool} missing (poppler-utils; ./dev setup installs it)"
    path = tmp_path / "kwartaalrapportage.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout, info.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    where = folder() or tmp_path
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "2",
            str(path),
            str(where / "reports-pdf"),
        ],
        check=True,
    )
    assert (where / "reports-pdf-1.png").stat().st_size > 10_000
    return text


def test_the_clerk_publishes_the_quarterly_report(
    live_server: Any, page: Page, browser: Browser, tmp_path: Path
) -> None:
    base = live_server.url
    cast = build_cast()
    quarter = Quarter.current()
    pilot = learning.pilot(cast.broker, areas=[cast.district], title="Bewoners beheren het groen")
    learning.lesson(cast.broker, pilot=pilot, title="Vraag eerst de buren")
    sent = learning.resident_lesson(cast.applicant, pilot=pilot, title="Samen snoeien werkt")
    learning_services.lesson_moderate(actor=cast.broker, lesson=sent, approve=True)
    fund = FundFactory(
        municipality=cast.municipality,
        scheme=cast.scheme,
        name="Leefbaarheid",
        year=quarter.year,
        amount_cents=2_500_000,
    )
    initiative = InitiativeFactory(area=cast.neighbourhood, applicant=cast.applicant)
    LedgerEntry.objects.create(
        fund=fund,
        initiative=initiative,
        kind=EntryKind.COMMITMENT,
        amount_cents=69_550,
        author=cast.admin,
        reason="Toegekend",
    )

    # 1. The clerk generates the draft for the quarter.
    clerk = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}).new_page()
    log_in(clerk, base, cast.clerk.email, totp=True)
    clerk.goto(f"{base}/rapportages/concepten/")
    check(clerk, "drafts")
    clerk.select_option("#id_quarter", quarter.slug)
    clerk.get_by_role("button", name="Maak het concept").click()
    expect(clerk.locator("h1")).to_contain_text(f"Bewerk de rapportage van het {quarter}")
    check(clerk, "edit")

    # 2. ... writes the introduction and a note, and previews it.
    clerk.fill("#id_introduction", "In dit kwartaal leerden gemeente en bewoners van elkaar.")
    clerk.fill("#id_note_money", "Het fonds Leefbaarheid is goed op weg.")
    clerk.get_by_role("button", name="Bewaar de teksten").click()
    expect(clerk.locator(".site-messages")).to_contain_text("De teksten zijn bewaard.")
    report = QuarterlyReport.objects.get()
    assert report.introduction == "In dit kwartaal leerden gemeente en bewoners van elkaar."
    clerk.get_by_role("link", name="Bekijk het voorbeeld").click()
    expect(clerk.locator("h1")).to_contain_text("Kwartaalrapportage aan de raad van Oosterhout")
    expect(clerk.get_by_text("Concept: alleen de griffie")).to_be_visible()
    municipality_side = clerk.locator(".report-perspective").nth(0)
    residents_side = clerk.locator(".report-perspective").nth(1)
    expect(municipality_side).to_contain_text("Vraag eerst de buren")
    expect(residents_side).to_contain_text("Samen snoeien werkt")
    left = municipality_side.bounding_box()
    right = residents_side.bounding_box()
    assert left and right and right["x"] > left["x"] + 100  # side by side
    assert abs(right["y"] - left["y"]) < 5
    expect(clerk.locator("#report-money ~ .report-note")).to_contain_text(
        "Het fonds Leefbaarheid is goed op weg."
    )
    check(clerk, "preview")

    # 3. ... and publishes it.
    clerk.goto(f"{base}/rapportages/oosterhout/{quarter.slug}/bewerken/")
    clerk.get_by_role("link", name="Publiceer de rapportage").click()
    check(clerk, "publish")
    clerk.get_by_role("button", name="Publiceer de rapportage").click()
    expect(clerk.locator(".site-messages")).to_contain_text("De rapportage is gepubliceerd.")
    report.refresh_from_db()
    assert report.states.published
    expect(clerk.locator("code.report-hash").first).to_have_text(report.pdf_sha256)
    check(clerk, "published-clerk")

    # 4. A visitor on a phone finds it, reads it and downloads the PDF.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/rapportages/")
    check(page, "list")
    page.get_by_role("link", name=str(quarter), exact=True).click()
    expect(page.locator("h1")).to_contain_text(str(quarter))
    expect(page.get_by_text("Het bewaarde bestand is zojuist gecontroleerd")).to_be_visible()
    check(page, "report-phone")
    link = page.get_by_role("link", name=f"Download de rapportage van het {quarter} als pdf")
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200
    pdf = response.body()
    assert hashlib.sha256(pdf).hexdigest() == report.pdf_sha256
    text = pdf_checks(pdf, tmp_path)
    assert "Kwartaalrapportage aan de raad van Oosterhout" in text
    assert "In dit kwartaal leerden gemeente en bewoners van elkaar." in text
    assert "Vraag eerst de buren" in text
    assert "Samen snoeien werkt" in text
    assert "€ 695,50" in text  # committed from Leefbaarheid
    assert "€ 24.304,50" in text  # what Leefbaarheid has left

    # 5. The published report no longer changes.
    clerk.goto(f"{base}/rapportages/oosterhout/{quarter.slug}/bewerken/")
    expect(clerk.locator(".lead")).to_have_text(
        "Dit rapport is gepubliceerd en verandert niet meer."
    )
    check(clerk, "refused")
    unchanged = QuarterlyReport.objects.get()
    assert unchanged.pdf_sha256 == report.pdf_sha256
    assert unchanged.figures == report.figures
