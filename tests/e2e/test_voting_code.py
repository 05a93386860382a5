"""Voting with a code in headless Chromium, with axe on every page: the administrator makes the
letters (the PDF downloaded and read with pdftotext), one voter types the code from the letter on
a 375 px phone, another opens the QR code's address with the code filled in, both vote and get
their receipt; at the desk a broker hands out a code to someone with a secret address, who votes
with it. Screenshots of every page for a person to look at (WIJKWERK_SHOTS)."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.budgeting.factories import PlanFactory, make_round, register_entry
from tests.cast import build_cast
from tests.e2e.test_ballot import looked_at, phone
from tests.e2e.test_initiative_journey import log_in
from tests.shots import shot
from wijkwerk.budgeting.models import Ballot, Channel, CodeIssue, Participation, VotingCode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}")
WIDE = {"width": 1280, "height": 900}


def vote(page: Page, plan: str, name: str) -> str:
    """From the ballot to the receipt; the receipt code."""
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stem op de plannen voor Dorst")
    looked_at(page)
    shot(page, f"{name}-ballot")
    page.get_by_label(f"Kies “{plan}”").check()
    page.get_by_role("button", name="Verder").last.click()
    expect(page.get_by_role("heading", name="Controleer je stem")).to_be_visible()
    looked_at(page)
    page.get_by_role("button", name="Bevestig je stem").click()
    expect(page.get_by_role("heading", name="Je stem is ontvangen")).to_be_visible()
    looked_at(page)
    found = CODE.search(page.content())
    assert found
    return found.group(0)


def test_voting_with_codes_from_the_letters_and_the_desk(
    live_server: Any, browser: Browser, tmp_path: Path, settings: Any
) -> None:
    settings.WIJKWERK_BASE_URL = live_server.url  # the letters' address and QR code
    cast = build_cast()
    process = make_round(
        cast,
        vote_with_code=True,
        vote_with_account=False,
        may_change_ballot=False,
        help_routes="Balie: gemeentehuis, Slotjesveld 1 (ma-vr 9-17 uur)\nTelefoon: 14 0162",
    )
    PlanFactory(process=process, title="Speeltuin aan de Kerkstraat")
    PlanFactory(process=process, title="Moestuin bij de school")
    register_entry(process, birth_date=datetime.date(1970, 3, 1))
    register_entry(process, birth_date=datetime.date(2001, 7, 9))
    secret = register_entry(
        process, secret_address=True, postcode="5107AB", house_number="4", reference="G0001"
    )
    base = live_server.url

    # the administrator makes the letters: one PDF, a page per voter
    admin = browser.new_context(locale="nl-NL", viewport=WIDE).new_page()
    log_in(admin, base, cast.admin.email, totp=True)
    admin.goto(f"{base}/buurtbudget/{process.pk}/beheer/stemcodes/")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Stemcodes en brieven")
    shot(admin, "h2-manage-codes-1280")
    with admin.expect_download() as download:
        admin.get_by_role("button", name="Maak 2 brieven (pdf)").click()
    pdf = tmp_path / "brieven.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) == 2
    letter_codes = [CODE.search(page).group(0) for page in pages]  # type: ignore[union-attr]
    assert "Je stemcode voor Buurtbudget Dorst" in pages[0]
    assert f"{base}/buurtbudget/{process.pk}/stemcode/" in re.sub(r"/\s+", "/", pages[0])
    admin.goto(f"{base}/buurtbudget/{process.pk}/beheer/stemcodes/")
    assert "Brieven nog te maken 0" in " ".join(admin.locator("table").inner_text().split())
    looked_at_wide(admin)

    # a voter types the code from the letter on a phone: from "how to vote" to the receipt
    typed = phone(browser).new_page()
    typed.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    expect(typed.get_by_role("heading", name="Met de stemcode uit je brief")).to_be_visible()
    looked_at(typed)
    typed.get_by_role("link", name="Typ je stemcode").click()
    expect(typed.get_by_role("heading", level=1)).to_have_text("Stem met je stemcode")
    looked_at(typed)
    # a typo first: said so, nothing more
    wrong = letter_codes[0][:-1] + ("2" if letter_codes[0][-1] != "2" else "3")
    typed.get_by_label("Je stemcode").fill(wrong)
    typed.get_by_role("button", name="Naar het stembiljet").click()
    expect(
        typed.get_by_text("De stemcode klopt niet: kijk of je hem goed hebt overgetypt.").first
    ).to_be_visible()
    looked_at(typed)
    shot(typed, "h2-code-entry-error-375")
    typed.get_by_label("Je stemcode").fill(letter_codes[0].lower().replace("-", " "))
    typed.get_by_role("button", name="Naar het stembiljet").click()
    vote(typed, "Speeltuin aan de Kerkstraat", "h2-typed-375")

    # another voter scans the QR code: its address has the code filled in
    scanned = phone(browser).new_page()
    scanned.goto(f"{base}/buurtbudget/{process.pk}/stemcode/?code={letter_codes[1]}")
    expect(scanned.get_by_label("Je stemcode")).to_have_value(letter_codes[1])
    looked_at(scanned)
    shot(scanned, "h2-code-entry-qr-375")
    scanned.get_by_role("button", name="Naar het stembiljet").click()
    vote(scanned, "Moestuin bij de school", "h2-qr-375")

    # the code from the letter works once (the round allows no change)
    again = phone(browser).new_page()
    again.goto(f"{base}/buurtbudget/{process.pk}/stemcode/?code={letter_codes[0]}")
    again.get_by_role("button", name="Naar het stembiljet").click()
    expect(again.get_by_text("Deze stemcode is al online gebruikt.").first).to_be_visible()
    looked_at(again)

    # the desk: a broker hands out a code to someone with a secret address
    desk = phone(browser).new_page()
    log_in(desk, base, cast.broker.email, totp=True)
    desk.goto(f"{base}/buurtbudget/{process.pk}/balie/")
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Balie: stemcodes voor")
    looked_at(desk)
    desk.get_by_label("Postcode").fill("5107 ab")
    desk.get_by_label("Huisnummer").fill("4")
    desk.get_by_role("button", name="Zoeken").click()
    expect(desk.get_by_role("heading", name="Kenmerk G0001")).to_be_visible()
    looked_at(desk)
    shot(desk, "h2-desk-found-375")
    desk.get_by_role("button", name="Geef een code").click()
    refused = "Geef pas een code nadat je het identiteitsbewijs hebt gezien."
    expect(desk.get_by_text(refused).first).to_be_visible()
    looked_at(desk)
    desk.get_by_label("Ik heb het identiteitsbewijs van de persoon gezien").check()
    desk.get_by_role("button", name="Geef een code").click()
    handed = desk.locator("#desk-code").inner_text()
    assert CODE.fullmatch(handed)
    looked_at(desk)
    shot(desk, "h2-desk-handed-375")
    code = VotingCode.objects.get(entry=secret)
    assert code.issued == CodeIssue.DESK

    at_home = phone(browser).new_page()
    at_home.goto(f"{base}/buurtbudget/{process.pk}/stemcode/")
    at_home.get_by_label("Je stemcode").fill(handed)
    at_home.get_by_role("button", name="Naar het stembiljet").click()
    vote(at_home, "Moestuin bij de school", "h2-desk-voter-375")

    assert Ballot.objects.filter(process=process).count() == 3
    assert Participation.objects.filter(process=process, user=None).count() == 3
    assert VotingCode.objects.filter(used_channel=Channel.ONLINE).count() == 3


def looked_at_wide(page: Page) -> None:
    from tests.axe import assert_accessible

    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
