"""The right to challenge in headless Chromium: a resident writes a challenge on behalf of a
village association (the seven items, the KvK number, a signature list as evidence), is told
what is missing, completes and submits it; the broker of Dorst (TOTP) checks the legal entity
and admits it with reasons, the submitter gets the decision mail with its letter; the broker
starts the dialogue, records the agreement (tasks, result, budget, term, reports every three
months) and marks it running; the municipality's administrator commits € 5.000 of the budget
from a fund; the association reports its progress; the public register shows the challenge as
running with its agreement. axe checks every page on the way.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.conftest import SmtpServer
from tests.e2e.test_initiative_journey import log_in, pdf_bytes, wait_for_mails
from tests.initiatives.test_decisions import pdf_text
from tests.shots import shot
from wijkwerk.challenges.models import Booking, Challenge, ProgressReport
from wijkwerk.challenges.states import Status
from wijkwerk.funds.selectors import fund_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked(page: Page, name: str) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    shot(page, f"challenges-{name}")


def test_a_challenge_from_proposal_to_progress_report(
    live_server: Any, page: Page, browser: Browser, smtp_server: SmtpServer, settings: Any, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    base = live_server.url
    cast = build_cast()
    resident, broker, admin = cast.applicant, cast.broker, cast.admin
    title = "Dorpsvereniging onderhoudt het groen van Dorst-Zuid"

    # 1. The resident writes the proposal; the cost estimate is still missing.
    log_in(page, base, resident.email)
    page.goto(f"{base}/uitdaagrecht/")
    checked(page, "register-empty")
    page.get_by_role("link", name="Een uitdaging indienen").click()
    checked(page, "form")
    page.fill("#id_title", title)
    page.fill("#id_organisation_name", "Dorpsvereniging Dorst")
    page.select_option("#id_legal_form", "association")
    page.fill("#id_kvk_number", "4012 3456")
    page.select_option("#id_area", str(cast.neighbourhood.pk))
    page.fill("#id_task", "Maaien, snoeien en bijplanten van het openbaar groen in Dorst-Zuid.")
    page.fill("#id_why_better", "Wij wonen er en zien meteen wat nodig is.")
    page.fill("#id_experience", "Twaalf leden hebben een hoveniersachtergrond.")
    page.fill("#id_support", "Bewoners van de drie straten tekenden de lijst.")
    page.set_input_files(
        "#id_support_file",
        {"name": "handtekeningen.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
    )
    page.fill("#id_cooperation", "Gereedschap en afvoer van groenafval.")
    page.fill("#id_continuity", "Een vaste groep van twintig vrijwilligers met een rooster.")
    page.get_by_role("button", name="Concept bewaren").click()
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()
    checked(page, "draft")
    challenge = Challenge.objects.get()
    assert (challenge.kvk_number, challenge.status) == ("40123456", Status.DRAFT)
    expect(page.locator("main")).to_contain_text("Geef een kostenraming.")

    page.get_by_role("link", name="Controleren en indienen").click()
    checked(page, "submit-missing")
    expect(page.get_by_role("alert")).to_contain_text("Geef een kostenraming.")
    page.get_by_role("link", name="Voorstel aanvullen").click()
    page.fill("#id_cost_estimate_cents", "18.500,00")
    page.get_by_role("button", name="Concept bewaren").click()
    page.get_by_role("link", name="Controleren en indienen").click()
    checked(page, "submit")
    page.get_by_role("button", name="Indienen").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("Je uitdaging is ingediend.")
    challenge.refresh_from_db()
    assert challenge.status == Status.SUBMITTED
    due = challenge.decision_due_on
    assert due == datetime.date.today() + datetime.timedelta(weeks=8)

    # 2. The broker finds it on the work list, checks the entity and admits it.
    broker_page = browser.new_page(locale="nl-NL")
    log_in(broker_page, base, broker.email, totp=True)
    broker_page.goto(f"{base}/uitdaagrecht/werklijst/")
    checked(broker_page, "worklist")
    broker_page.get_by_role("link", name=title).click()
    checked(broker_page, "detail-submitted")
    broker_page.get_by_role("link", name="Besluiten over de toelating").click()
    checked(broker_page, "decide")
    broker_page.get_by_label("De uitdaging toelaten").check()
    broker_page.get_by_role("button", name="Leg het besluit vast").click()
    # without reasons and the entity check: both named, nothing decided
    expect(broker_page.locator(".utrecht-form-field-error-message")).to_have_count(1)
    checked(broker_page, "decide-refused")
    broker_page.get_by_label("Ik heb de rechtspersoon gecontroleerd").check()
    broker_page.fill("#id_reasons", "De vereniging is geworteld in het dorp en goedkoper.")
    broker_page.get_by_role("button", name="Leg het besluit vast").click()
    expect(broker_page.locator(".utrecht-alert--ok")).to_contain_text("Het besluit is vastgelegd.")
    challenge.refresh_from_db()
    assert challenge.status == Status.ADMITTED and challenge.entity_confirmed_by == broker

    mails = wait_for_mails(smtp_server, resident.email, 2)
    decision_mail = next(m for m in mails if "is toegelaten" in m["Subject"])
    (letter,) = list(decision_mail.iter_attachments())
    assert "We laten je uitdaging" in pdf_text(letter.get_content())

    # 3. Dialogue, agreement, running.
    broker_page.get_by_role("button", name="Gesprek starten").click()
    broker_page.get_by_role("link", name="Afspraken vastleggen").click()
    checked(broker_page, "agreement")
    start = datetime.date.today()
    broker_page.fill("#id_tasks", "Maaien en snoeien van het groen in Dorst-Zuid.")
    broker_page.fill("#id_result", "Verzorgd groen, minder klachten.")
    broker_page.fill("#id_parties", "De vereniging doet het werk; de gemeente voert het af.")
    broker_page.fill("#id_budget_cents", "15.000,00")
    broker_page.fill("#id_starts_on", start.isoformat())
    broker_page.fill("#id_ends_on", (start - datetime.timedelta(days=1)).isoformat())
    broker_page.get_by_role("button", name="Afspraken vastleggen").click()
    expect(broker_page.locator("main")).to_contain_text(
        "Het einde van de looptijd kan niet voor het begin liggen."
    )
    broker_page.fill("#id_ends_on", (start + datetime.timedelta(days=365)).isoformat())
    broker_page.get_by_role("button", name="Afspraken vastleggen").click()
    expect(broker_page.locator(".utrecht-alert--ok")).to_contain_text("De afspraken zijn")
    broker_page.get_by_role("button", name="Markeren als lopend").click()
    checked(broker_page, "detail-running")
    challenge.refresh_from_db()
    assert challenge.status == Status.RUNNING

    # 4. The administrator commits part of the budget from the fund.
    available = fund_figures(cast.fund).available
    admin_page = browser.new_page(locale="nl-NL")
    log_in(admin_page, base, admin.email, totp=True)
    admin_page.goto(f"{base}/uitdaagrecht/{challenge.pk}/geld/")
    checked(admin_page, "money")
    admin_page.select_option("#commit-fund", str(cast.fund.pk))
    admin_page.fill("#commit-amount", "20.000,00")
    admin_page.get_by_role("button", name="Reserveren").click()
    expect(admin_page.locator("main")).to_contain_text("Kan € 20.000,00 niet reserveren")
    admin_page.fill("#commit-amount", "5.000,00")
    admin_page.get_by_role("button", name="Reserveren").click()
    expect(admin_page.locator(".utrecht-alert--ok")).to_contain_text("Het geld is gereserveerd.")
    checked(admin_page, "money-booked")
    assert fund_figures(cast.fund).available == available - 500_000
    assert Booking.objects.get().amount_cents == 500_000
    # ... pays the first instalment to the association's account (a payment in the ledger) ...
    admin_page.fill("#pay-amount", "2.000,00")
    admin_page.fill("#pay-note", "Eerste termijn")
    admin_page.fill("#pay-iban", "NL44 RABO 0123 4567 89")
    admin_page.fill("#pay-name", "Dorpsvereniging Dorst")
    admin_page.get_by_role("button", name="Betalen", exact=True).click()
    expect(admin_page.locator(".utrecht-alert--ok")).to_contain_text("De betaling is vastgelegd.")
    checked(admin_page, "money-paid")
    # ... and finds both in the fund's ledger, with a link to the challenge.
    admin_page.get_by_role("link", name=str(cast.fund)).first.click()
    checked(admin_page, "fund-ledger")
    rows = admin_page.get_by_role("row").filter(has_text="Dorpsvereniging Dorst")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("(uitdaagrecht)")
    rows.first.get_by_role("link").click()
    expect(admin_page.locator("h1")).to_have_text(title)

    # 5. The association reports its progress.
    page.goto(f"{base}/uitdaagrecht/{challenge.pk}/")
    page.get_by_role("link", name="Voortgang rapporteren").click()
    checked(page, "report")
    page.fill("#id_text", "Drie keer gemaaid en veertig struiken geplant.")
    page.fill("#id_spent_cents", "1.200,00")
    page.fill("#id_hours", "64")
    page.fill("#id_residents_reached", "300")
    page.get_by_role("button", name="Rapportage toevoegen").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("voortgangsrapportage")
    assert ProgressReport.objects.get().spent_cents == 120_000

    # 6. The public register and page, for a visitor without an account.
    visitor = browser.new_page(locale="nl-NL")
    visitor.goto(f"{base}/uitdaagrecht/")
    checked(visitor, "register")
    row = visitor.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("Dorpsvereniging Dorst")
    expect(row).to_contain_text("Loopt")
    expect(row).to_contain_text("€ 15.000,00")
    expect(visitor.locator("main")).not_to_contain_text("Anna Aanvrager")
    visitor.get_by_role("link", name=title).click()
    checked(visitor, "detail-public")
    expect(visitor.locator("main")).to_contain_text(
        "Drie keer gemaaid en veertig struiken geplant."
    )
    expect(visitor.locator("main")).not_to_contain_text("Anna Aanvrager")
    for other in (broker_page, admin_page, visitor):
        other.close()
