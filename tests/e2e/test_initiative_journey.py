"""A residents' initiative from idea to accountability, in headless Chromium.

A resident submits an initiative with two budget lines and a photo, a neighbour supports it, the
broker (logged in with a TOTP code) approves € 1.250 from "Bewonersinitiatieven", the one fund
offered (with what it has available; the fund of another scheme is not), the resident downloads
the decision letter (the same PDF the mail brought) and reads it, and gives the account to pay to;
the resident files accountability with actual costs of € 1.100 and a receipt, the broker
accepts and € 150 returns to the fund; the broker granted the money, so the municipality's
administrator (a second official) pays the € 1.100 out. The fund page shows the right figures
at every step, every step mails the applicant through the task queue and a real SMTP server, and
axe checks every new page.
"""

from __future__ import annotations

import datetime
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.accounts.factories import PASSWORD, totp_code
from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.conftest import SmtpServer
from tests.funds.factories import FundFactory, SchemeFactory
from tests.initiatives.conftest import png_bytes
from tests.initiatives.test_decisions import pdf_text
from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives.models import Initiative, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_mails(smtp_server: SmtpServer, address: str, count: int, timeout: float = 15) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = smtp_server.to(address)
        if len(messages) >= count:
            return messages
        time.sleep(0.1)
    subjects = [m["Subject"] for m in smtp_server.to(address)]
    raise AssertionError(f"expected {count} mails to {address}, got {subjects}")


def log_in(page: Page, base: str, email: str, *, totp: bool = False) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    if totp:
        page.wait_for_selector("input[name=code]")
        page.fill("input[name=code]", totp_code())
        page.press("input[name=code]", "Enter")
    page.wait_for_load_state()


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def expect_fund(page: Page, base: str, fund_pk: int, **figures: str) -> None:
    page.goto(f"{base}/fondsen/{fund_pk}/")
    text = page.locator("dl").first.inner_text()
    for label, amount in figures.items():
        assert amount in text, f"{label}: {amount} not on the fund page:\n{text}"


def test_initiative_from_idea_to_accountability(
    live_server: Any, page: Page, browser: Browser, smtp_server: SmtpServer, settings: Any, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    base = live_server.url
    cast = build_cast()  # Oosterhout, Dorst, Dorst-Zuid; its scheme, fund and people
    zuid, scheme, fund, category = cast.neighbourhood, cast.scheme, cast.fund, cast.category
    start = datetime.date.today() + datetime.timedelta(days=30)
    assert (scheme.lead_time_days, fund.year, fund.amount_cents) == (14, start.year, 30_000_000)
    other_scheme = SchemeFactory(municipality=cast.municipality, name="Buurtzapbudget")
    FundFactory(scheme=other_scheme, name="Buurtzap", year=start.year)
    resident, neighbour, broker, admin = cast.applicant, cast.neighbour, cast.broker, cast.admin
    assert broker.full_name == "Bram Makelaar"

    # 1. The resident chooses the scheme (seeing what it asks), writes the plan with a photo on
    # the form, saves a draft, checks it and submits.
    log_in(page, base, resident.email)
    page.goto(f"{base}/initiatieven/nieuw/")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    page.get_by_label("Regeling bewonersinitiatieven").check()
    page.get_by_role("button", name="Volgende: schrijf je plan").click()
    expect(page.locator("#id_scheme")).to_have_value(str(scheme.pk))
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    page.fill("#id_title", "Plantenbakken op het Dorpsplein")
    page.fill("#id_summary", "Zes grote plantenbakken met bloemen voor het dorpsplein van Dorst.")
    page.fill("#id_description", "We zetten ze samen neer en zorgen samen voor de planten.")
    page.select_option("#id_area", str(zuid.pk))
    page.select_option("#id_category", str(category.pk))
    page.fill("#id_applicant_age", "38")
    page.fill("#id_address", "Dorpsplein, Dorst")
    page.fill("#id_planned_start", start.isoformat())
    page.fill("#id_planned_end", (start + datetime.timedelta(days=1)).isoformat())
    page.fill("#id_lines-0-description", "Plantenbakken")
    page.fill("#id_lines-0-amount", "800,00")
    page.fill("#id_lines-1-description", "Aarde en planten")
    page.fill("#id_lines-1-amount", "650,00")
    page.fill("#id_own_contribution_hours", "40")
    page.check("#id_consent_to_publish")
    page.set_input_files(
        "#id_uploads", {"name": "plein.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    page.get_by_role("button", name="Concept bewaren").click()
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()
    expect(page.locator(".attachment-list")).to_contain_text("plein.png")
    assert_accessible(page)
    initiative = Initiative.objects.get()
    assert initiative.requested_cents == 145_000
    assert initiative.status == Status.DRAFT
    assert initiative.attachments.get().original_name == "plein.png"

    page.click("button[name=to_submit]")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    page.click("main form.inline-form button[type=submit]")
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()
    assert_accessible(page)
    initiative.refresh_from_db()
    assert initiative.status == Status.UNDER_REVIEW
    assert initiative.broker == broker
    received = wait_for_mails(smtp_server, resident.email, 2)
    assert "Plantenbakken op het Dorpsplein" in received[0]["Subject"]
    wait_for_mails(smtp_server, broker.email, 1)

    # 2. A neighbour supports it.
    neighbour_page = browser.new_page(locale="nl-NL")
    log_in(neighbour_page, base, neighbour.email)
    neighbour_page.goto(f"{base}/initiatieven/")
    expect(neighbour_page.locator(".initiative-list")).to_contain_text("Plantenbakken")
    assert_accessible(neighbour_page)
    neighbour_page.click(".initiative-list a")
    neighbour_page.click(f"form[action='/initiatieven/{initiative.pk}/steunen/'] button")
    expect(neighbour_page.locator("#support-heading + p")).to_contain_text("1")
    assert_accessible(neighbour_page)
    initiative.refresh_from_db()
    assert initiative.support_count == 1

    # 3. The broker logs in with a TOTP code, looks at the fund and approves € 1.250.
    broker_page = browser.new_page(locale="nl-NL")
    log_in(broker_page, base, broker.email, totp=True)
    expect_fund(broker_page, base, fund.pk, available="€ 300.000,00", committed="€ 0,00")
    broker_page.goto(f"{base}/initiatieven/mijn-gebieden/")
    expect(broker_page.locator("main")).to_contain_text("Plantenbakken op het Dorpsplein")
    assert_accessible(broker_page)
    broker_page.goto(f"{base}/initiatieven/{initiative.pk}/")
    assert_accessible(broker_page)
    broker_page.click(f"a[href='/initiatieven/{initiative.pk}/stap/approve/']")
    assert_accessible(broker_page)
    broker_page.fill("#id_amount", "1.250,00")
    offered = broker_page.locator("#id_fund option").all_inner_texts()
    assert offered == [
        "Kies een fonds",
        f"Bewonersinitiatieven ({start.year}): € 300.000,00 beschikbaar",
    ], offered
    expect(broker_page.locator("#id_fund")).to_have_value(str(fund.pk))
    broker_page.fill("#id_conditions", "Stuur na afloop foto's en de bonnetjes.")
    broker_page.click("main form button[type=submit]")
    expect(broker_page.locator(".utrecht-alert--ok")).to_be_visible()
    expect_fund(
        broker_page,
        base,
        fund.pk,
        committed="€ 1.250,00",
        open="€ 1.250,00",
        available="€ 298.750,00",
    )
    approved = wait_for_mails(smtp_server, resident.email, 3)[-1]
    assert "€ 1.250,00" in SmtpServer.body(approved)
    assert f"Bewonersinitiatieven ({start.year})" in SmtpServer.body(approved)

    # The approval is a decision: its letter goes with the mail, and the resident downloads the
    # same letter from the initiative's page.
    (attached,) = list(approved.iter_attachments())
    assert attached.get_content_type() == "application/pdf"
    page.goto(f"{base}/initiatieven/{initiative.pk}/")
    expect(page.locator("#decisions-heading")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.click("a[href*='/besluiten/']")
    letter = Path(download.value.path()).read_bytes()
    assert letter == attached.get_content()
    reference = download.value.suggested_filename.removeprefix("besluit-").removesuffix(".pdf")
    assert reference.startswith(f"WW-{datetime.date.today().year}-")
    text = pdf_text(letter)
    for expected in (
        "We verlenen je een subsidie van € 1.250,00 voor je initiatief "
        "“Plantenbakken op het Dorpsplein”.",
        "Stuur na afloop foto's en de bonnetjes.",
        "namens het college van burgemeester en wethouders van Oosterhout",
        "binnen zes weken na de dag waarop dit besluit is verzonden",
        f"kenmerk {reference}",
        "voorlopige voorziening",
    ):
        assert expected in text, f"{expected!r} not in the letter:\n{text}"

    # The resident gives the account the grant is paid to; a typing error is caught.
    page.goto(f"{base}/initiatieven/{initiative.pk}/")
    page.fill("#id_iban", "NL91 ABNA 0417 1643 01")
    page.fill("#id_name", "Stichting Dorpsplein Dorst")
    page.click("form[action$='/rekening/'] button[type=submit]")
    expect(page.locator(".utrecht-alert").first).to_contain_text(
        re.compile("NL91ABNA0417164301 .*(typefout|typing error)")
    )
    page.fill("#id_iban", "NL91 ABNA 0417 1643 00")
    page.fill("#id_name", "Stichting Dorpsplein Dorst")
    page.click("form[action$='/rekening/'] button[type=submit]")
    expect(page.locator("#payment-heading + p")).to_contain_text("NL91 •••• •••• •• 4300")
    assert_accessible(page)

    # 4. The resident files accountability: € 1.100 actual costs, a receipt and a photo.
    page.goto(f"{base}/initiatieven/{initiative.pk}/")
    page.click(f"a[href='/initiatieven/{initiative.pk}/verantwoording/']")
    assert_accessible(page)
    # The receipt and the photo are chosen on the form itself: adding them keeps the report.
    page.fill("#id_report", "Op 1 juni hebben twaalf buren de bakken neergezet en beplant.")
    page.set_input_files(
        "#id_receipts", {"name": "bon.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Bestanden toevoegen").click()
    expect(page.locator(".attachment-list")).to_contain_text("bon.pdf")
    expect(page.locator("#id_report")).to_have_value(
        "Op 1 juni hebben twaalf buren de bakken neergezet en beplant."
    )
    page.set_input_files(
        "#id_photos",
        {"name": "resultaat.png", "mimeType": "image/png", "buffer": png_bytes(colour="red")},
    )
    page.get_by_role("button", name="Bestanden toevoegen").click()
    expect(page.locator(".attachment-list")).to_contain_text("resultaat.png")
    assert_accessible(page)
    page.fill("#id_participants", "40")
    lines = list(initiative.budget_lines.all())
    page.fill(f"#id_actual_{lines[0].pk}", "600,00")
    page.fill(f"#id_actual_{lines[1].pk}", "500,00")
    page.get_by_role("button", name="Verantwoording indienen").click()
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()
    initiative.refresh_from_db()
    assert initiative.status == Status.ACCOUNTED
    wait_for_mails(smtp_server, resident.email, 4)

    # 5. The broker accepts; the unspent € 150 goes back to the fund.
    expect_fund(broker_page, base, fund.pk, committed="€ 1.250,00", available="€ 298.750,00")
    broker_page.goto(f"{base}/initiatieven/{initiative.pk}/")
    expect(broker_page.locator("main")).to_contain_text("€ 1.100,00")
    broker_page.click(f"a[href='/initiatieven/{initiative.pk}/stap/accept_accountability/']")
    broker_page.click("main form button[type=submit]")
    expect(broker_page.locator(".utrecht-alert--ok")).to_be_visible()
    expect(broker_page.locator("main")).to_contain_text(
        "Je hebt deze subsidie toegekend, dus een andere ambtenaar betaalt haar uit."
    )
    assert (
        broker_page.locator(f"form[action='/initiatieven/{initiative.pk}/uitbetalen/']").count()
        == 0
    )
    expect_fund(
        broker_page,
        base,
        fund.pk,
        committed="€ 1.250,00",
        paid="€ 0,00",
        released="€ 150,00",
        available="€ 298.900,00",
    )
    accepted = wait_for_mails(smtp_server, resident.email, 5)[-1]
    assert "€ 1.100,00" in SmtpServer.body(accepted)

    # 6. The administrator, a second official, pays the € 1.100 to the resident's account.
    admin_page = browser.new_page(locale="nl-NL")
    log_in(admin_page, base, admin.email, totp=True)
    admin_page.goto(f"{base}/initiatieven/mijn-gebieden/")
    expect(admin_page.locator("main")).to_contain_text("Plantenbakken op het Dorpsplein")
    admin_page.goto(f"{base}/initiatieven/{initiative.pk}/")
    expect(admin_page.locator("#payment-heading + p")).to_contain_text("NL91 •••• •••• •• 4300")
    assert_accessible(admin_page)
    admin_page.click(f"form[action='/initiatieven/{initiative.pk}/uitbetalen/'] button")
    expect(admin_page.locator(".utrecht-alert--ok")).to_contain_text("€ 1.100,00")
    assert_accessible(admin_page)
    expect_fund(
        admin_page,
        base,
        fund.pk,
        committed="€ 1.250,00",
        paid="€ 1.100,00",
        released="€ 150,00",
        available="€ 298.900,00",
    )
    figures = fund_figures(fund)
    assert (figures.paid, figures.released, figures.open_commitments) == (110_000, 15_000, 0)
    wait_for_mails(smtp_server, resident.email, 6)

    # The completed initiative with its photo is a good example on the area page.
    page.goto(f"{base}/initiatieven/mijn-initiatieven/")
    assert_accessible(page)
    page.goto(f"{base}/initiatieven/{initiative.pk}/")
    expect(page.locator(".timeline li")).to_have_count(7)
    assert_accessible(page)
    kinds = [m["Subject"] for m in smtp_server.to(resident.email)]
    assert len(kinds) == len(set(kinds)) == 6, kinds
