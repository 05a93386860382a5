"""An unspent advance: the broker books the applicant's repayment on the detail page (Chromium)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.axe import assert_accessible
from tests.cast import Cast
from tests.conftest import SmtpServer
from tests.e2e.test_initiative_journey import expect_fund, log_in, wait_for_mails
from tests.initiatives.test_repayment import _accounted
from wijkwerk.funds.selectors import fund_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_broker_books_the_repayment_of_an_unspent_advance(
    live_server: Any, browser: Browser, smtp_server: SmtpServer, cast: Cast
) -> None:
    base = live_server.url
    # € 1.250 paid in advance, € 1.100 spent: € 150 is owed back.
    initiative = _accounted(cast, (60_000, 50_000))
    before = fund_figures(cast.fund).available

    applicant = browser.new_page(locale="nl-NL")
    log_in(applicant, base, cast.applicant.email)
    applicant.goto(f"{base}/initiatieven/{initiative.pk}/")
    expect(applicant.locator(".facts")).to_contain_text("Nog terug te betalen")
    expect(applicant.locator(".facts")).to_contain_text("€ 150,00")
    expect(applicant.locator("#repayment-heading")).to_have_count(0)

    broker = browser.new_page(locale="nl-NL")
    log_in(broker, base, cast.broker.email, totp=True)
    broker.goto(f"{base}/initiatieven/{initiative.pk}/")
    assert_accessible(broker)
    form = broker.locator(f"form[action='/initiatieven/{initiative.pk}/terugbetaling/']")
    expect(form.locator("#id_amount")).to_have_value("150,00")
    form.locator("#id_amount").fill("1.000,00")
    form.locator("button[type=submit]").click()
    expect(broker.locator(".utrecht-alert--error")).to_contain_text("150,00")
    assert_accessible(broker)
    form.locator("#id_amount").fill("150,00")
    form.locator("#id_note").fill("Overboeking van 12 mei")
    form.locator("button[type=submit]").click()
    expect(broker.locator(".utrecht-alert--ok")).to_be_visible()
    expect(broker.locator("#repayment-heading")).to_have_count(0)
    expect(broker.locator(".timeline")).to_contain_text("Terugbetaling")
    expect_fund(broker, base, cast.fund.pk, refunded="€ 150,00")
    assert fund_figures(cast.fund).available == before + 15_000

    mails = wait_for_mails(smtp_server, cast.applicant.email, 1)
    repaid = [m for m in mails if "Terugbetaling" in m["Subject"]]
    assert repaid and "€ 150,00" in SmtpServer.body(repaid[-1])
