"""One budget round with voting codes, paper ballots and DigiD, end to end in headless Chromium
at 375 px, with axe (WCAG 2.1 A/AA) on every page of ours (issue 13, "What must be shown").

Buurtbudget Dorst (€ 10.000,00, equal shares with Add1) takes voting codes, DigiD and paper
ballots weighted 50/50 against the online ones. The administrator uploads a register extract
with six problems (each on its line, nothing saved), then a good one: eight residents, one with
a secret address and one with the BSN of the local OpenID Connect provider's resident. The
letters PDF (seven letters) is read with pdftotext and one page rendered to PNG; its codes are
used further on. Online: a code typed (a typo first), one by the QR code's address, one handed
out at the desk to the secret address, and a DigiD login at the real provider's page: 4 ballots.
On paper: two codes taken in at the desk, two paper ballots entered by two officials (one
agreeing, one differing), the difference resolved from the paper by a third: 2 ballots. A paper
ballot weighs 2 and an online one 1, which funds the playground and the garden (unweighted the
benches and the garden would win). The result page shows the channels and the weights; the
downloaded .pb recounts with the engine and `wijkwerk count` to the same winners.
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests import shots
from tests.budgeting.factories import PlanFactory, make_round
from tests.cast import build_cast
from tests.e2e.test_ballot import looked_at, phone
from tests.e2e.test_initiative_journey import log_in
from tests.oidc_provider import RESIDENT_BSN, Provider
from wijkwerk.budgeting.models import (
    Ballot,
    Channel,
    CodeIssue,
    PaperBallot,
    PaperStatus,
    Participation,
    RegisterEntry,
    RegisterExtract,
    VotingCode,
)
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.counting import count, read_pb

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}(?:-[2-9A-HJ-NP-Z]{4}){3}")
WIJKWERK = Path(sys.executable).with_name("wijkwerk")
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
HELP = "Balie: gemeentehuis, Slotjesveld 1 (ma-vr 9-17 uur)\nTelefoon: 14 0162"
PLAYGROUND, BENCHES, GARDEN = "Speeltuin De Hoef", "Bankjes op het Dorpsplein", "Moestuin"

HEADER = "kenmerk;postcode;huisnummer;geboortedatum;gebiedscode;geheim;bsn"
BAD = "\n".join(
    [
        HEADER,
        "R01;4941 AB;1;1970-03-01;WK082613;nee;",
        "R02;1234;3;1985-11-20;WK082613;nee;",
        "R01;4941 AB;5;1992-06-15;WK082613;nee;",
        "R04;4941 CD;2;2999-01-01;WK082613;nee;",
        "R05;4941 CD;4;2020-06-01;WK082613;nee;",
        "R06;4941 CD;6;1949-12-24;WK999999;nee;",
        "R07;4849 PA;12;1980-05-01;BU08261307;nee;123456789",
        "",
    ]
)
GOOD = "\n".join(
    [
        HEADER,
        "R01;4941 AB;1;1970-03-01;WK082613;nee;",
        "R02;4941 AB;3;20-11-1985;BU08261307;nee;",
        "R03;4941 AB;5;1992-06-15;WK082613;nee;",
        "R04;4941 CD;2;1958-01-30;WK082613;nee;",
        f"R05;4849 PA;12;1980-05-01;BU08261307;nee;{RESIDENT_BSN}",
        "R06;4941 CD;4;2001-07-09;WK082613;nee;",
        "R07;4941 CD;6;1949-12-24;WK082613;nee;",
        "G01;5107 AB;4;1977-04-12;WK082613;ja;",
        "",
    ]
)


def dutch(moment: datetime.datetime) -> str:
    """ "3 december 2026, 15:04", as the letters write a moment (local time)."""
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}"


def official(browser: Browser, base: str, user: Any) -> Page:
    page = phone(browser).new_page()
    log_in(page, base, user.email, totp=True)
    return page


def vote(page: Page, titles: list[str], name: str) -> str:
    """From the ballot (on screen) to the receipt; the receipt's code."""
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stem op de plannen voor Dorst")
    looked_at(page)
    for title in titles:
        page.get_by_label(f"Kies “{title}”").check()
    page.get_by_role("button", name="Verder").last.click()
    expect(page.get_by_role("heading", name="Controleer je stem")).to_be_visible()
    looked_at(page)
    page.get_by_role("button", name="Bevestig je stem").click()
    expect(page.get_by_role("heading", name="Je stem is ontvangen")).to_be_visible()
    looked_at(page)
    shots.shot(page, f"{name}-receipt")
    found = CODE.search(page.locator("main").inner_text())
    assert found
    return found.group(0)


def upload(page: Page, name: str, text: str) -> None:
    page.get_by_label("Uittreksel uit de basisregistratie (CSV-bestand)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Uploaden en controleren").click()
    page.wait_for_load_state()


def enter_ballot(page: Page, number: int, titles: list[str]) -> None:
    page.get_by_label("Nummer van het stembiljet").fill(str(number))
    for title in titles:
        page.locator("label", has_text=title).click()
    page.get_by_role("button", name="Stembiljet invoeren").click()


def test_a_round_with_codes_paper_and_digid_from_register_to_recount(
    live_server: Any, browser: Browser, tmp_path: Path, settings: Any, oidc_provider: Provider
) -> None:
    base = live_server.url
    settings.WIJKWERK_BASE_URL = base  # the letters' address and QR code
    oidc_provider.configure(settings)
    cast = build_cast()
    process = make_round(
        cast,
        areas=[(cast.district, 1_000_000)],
        vote_with_code=True,
        vote_with_digid=True,
        paper_share=50,
        help_routes=HELP,
        reference_date=datetime.date(2027, 3, 1),
    )
    for title, cost in ((PLAYGROUND, 600_000), (BENCHES, 400_000), (GARDEN, 350_000)):
        PlanFactory(process=process, title=title, estimated_cost_cents=cost)

    # 1. The register extract: a file with problems (nothing saved), then a good one.
    admin = official(browser, base, cast.admin)
    admin.goto(f"{base}/buurtbudget/{process.pk}/beheer/")
    looked_at(admin)
    admin.get_by_role("link", name="Uittreksel basisregistratie").click()
    expect(admin.locator("h1")).to_have_text("Uittreksel basisregistratie")
    looked_at(admin)
    upload(admin, "brp-fout.csv", BAD)
    expect(admin.locator(".error-summary")).to_contain_text(
        "Er is niets opgeslagen: het bestand heeft de problemen hieronder."
    )
    expect(admin.locator(".register-problems li")).to_have_text(
        [
            "Regel 3: postcode '1234' is geen Nederlandse postcode (zoals 4901 AB).",
            "Regel 4: kenmerk 'R01' staat ook op regel 2; iedereen heeft een eigen kenmerk.",
            "Regel 5: geboortedatum 1 januari 2999 ligt in de toekomst.",
            "Regel 6: geboren op 1 juni 2020, 6 jaar oud op 1 maart 2027; deze ronde is voor "
            "mensen vanaf 16 jaar.",
            "Regel 7: gebiedscode 'WK999999' is geen gebied van deze ronde en ook geen buurt in "
            "zo'n gebied (WK082613).",
            "Regel 8: het BSN voldoet niet aan de elfproef.",
        ]
    )
    assert not RegisterExtract.objects.exists()
    assert not RegisterEntry.objects.exists()
    looked_at(admin)
    shots.shot(admin, "register-errors")
    upload(admin, "brp.csv", GOOD)
    expect(admin.get_by_text("Het uittreksel is opgeslagen: 8 regels.")).to_be_visible()
    expect(admin.get_by_text("8 bewoners")).to_be_visible()
    expect(
        admin.get_by_text("1 geheim adres (geen brief: een stemcode aan de balie)")
    ).to_be_visible()
    assert RegisterEntry.objects.filter(process=process).count() == 8
    assert RegisterEntry.objects.filter(process=process, bsn_hash__gt="").count() == 1
    looked_at(admin)
    shots.shot(admin, "register-done")

    # 2. The letters: one PDF, a page per resident without a secret address.
    admin.goto(f"{base}/buurtbudget/{process.pk}/beheer/")
    admin.get_by_role("link", name="Stemcodes en brieven").click()
    expect(admin.locator("h1")).to_have_text("Stemcodes en brieven")
    looked_at(admin)
    with admin.expect_download() as download:
        admin.get_by_role("button", name="Maak 7 brieven (pdf)").click()
    pdf = tmp_path / "brieven.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [" ".join(page.split()) for page in text.split("\f") if page.strip()]
    assert len(pages) == 7
    voting = process.phases.get(kind="voting")
    codes: dict[str, str] = {}
    for page in pages:
        assert "Je stemcode voor Buurtbudget Dorst" in page
        assert f"Je kunt stemmen van {dutch(voting.starts_at)} tot {dutch(voting.ends_at)}." in page
        assert "Balie: gemeentehuis, Slotjesveld 1 (ma-vr 9-17 uur) Telefoon: 14 0162" in page
        assert "€ 10.000,00" in page
        reference = re.search(r"Kenmerk (R\d\d)", page)
        found = CODE.findall(page)
        assert reference and len(set(found)) == 1, page
        codes[reference.group(1)] = found[0]
    assert sorted(codes) == ["R01", "R02", "R03", "R04", "R05", "R06", "R07"]
    assert len(set(codes.values())) == 7
    assert "G01" not in text  # the secret address gets no letter
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(tmp_path / "letter"),
        ],
        check=True,
    )
    folder = shots.folder()
    if folder is not None:
        (folder / "letter.png").write_bytes((tmp_path / "letter.png").read_bytes())
    admin.reload()
    table = " ".join(admin.locator("table").inner_text().split())
    assert "Brieven gemaakt 7 Brieven nog te maken 0" in table, table
    looked_at(admin)

    # 3. On a phone: a code typed from the letter (a typo first), one by the QR code's address.
    typed = phone(browser).new_page()
    typed.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    expect(typed.get_by_role("heading", name="Met de stemcode uit je brief")).to_be_visible()
    expect(typed.get_by_role("heading", name="Met DigiD")).to_be_visible()
    looked_at(typed)
    shots.shot(typed, "ways-in")
    typed.get_by_role("link", name="Typ je stemcode").click()
    expect(typed.get_by_role("heading", level=1)).to_have_text("Stem met je stemcode")
    looked_at(typed)
    right = codes["R01"]
    typo = right[:-1] + ("2" if right[-1] != "2" else "3")
    typed.get_by_label("Je stemcode").fill(typo)
    typed.get_by_role("button", name="Naar het stembiljet").click()
    expect(
        typed.get_by_text("De stemcode klopt niet: kijk of je hem goed hebt overgetypt.").first
    ).to_be_visible()
    looked_at(typed)
    shots.shot(typed, "code-typo")
    typed.get_by_label("Je stemcode").fill(right.lower().replace("-", " "))
    typed.get_by_role("button", name="Naar het stembiljet").click()
    receipts = [vote(typed, [BENCHES, GARDEN], "typed")]

    scanned = phone(browser).new_page()
    scanned.goto(f"{base}/buurtbudget/{process.pk}/stemcode/?code={codes['R02']}")
    expect(scanned.get_by_label("Je stemcode")).to_have_value(codes["R02"])
    looked_at(scanned)
    scanned.get_by_role("button", name="Naar het stembiljet").click()
    receipts.append(vote(scanned, [BENCHES], "qr"))

    # 4. The desk: a broker hands out a code for the secret address after seeing ID.
    broker = official(browser, base, cast.broker)
    broker.goto(f"{base}/buurtbudget/{process.pk}/balie/")
    expect(broker.get_by_role("heading", level=1)).to_contain_text("Balie: stemcodes voor")
    looked_at(broker)
    broker.get_by_label("Postcode").fill("5107 ab")
    broker.get_by_label("Huisnummer").fill("4")
    broker.get_by_role("button", name="Zoeken").click()
    expect(broker.get_by_role("heading", name="Kenmerk G01")).to_be_visible()
    looked_at(broker)
    broker.get_by_label("Ik heb het identiteitsbewijs van de persoon gezien").check()
    broker.get_by_role("button", name="Geef een code").click()
    handed = broker.locator("#desk-code").inner_text()
    assert CODE.fullmatch(handed)
    assert handed not in codes.values()
    looked_at(broker)
    shots.shot(broker, "desk-code")
    secret = VotingCode.objects.get(entry__reference="G01")
    assert secret.issued == CodeIssue.DESK
    at_home = phone(browser).new_page()
    at_home.goto(f"{base}/buurtbudget/{process.pk}/stemcode/")
    at_home.get_by_label("Je stemcode").fill(handed)
    at_home.get_by_role("button", name="Naar het stembiljet").click()
    receipts.append(vote(at_home, [GARDEN], "desk"))

    # 5. Paper: two codes taken in at the desk; two officials enter both paper ballots, the
    # second one differently; a third official resolves it from the paper.
    broker.goto(f"{base}/buurtbudget/{process.pk}/papier/")
    expect(broker.locator("h1")).to_have_text("Papieren stembiljetten van Buurtbudget Dorst")
    looked_at(broker)
    broker.get_by_role("link", name="Stemcode innemen voor een papieren stembiljet").click()
    looked_at(broker)
    broker.get_by_label("Stemcode").fill(codes["R01"])  # used online: refused
    broker.get_by_role("button", name="Code innemen").click()
    expect(broker.locator(".utrecht-form-field-error-message").first).to_have_text(
        "Deze stemcode is al online gebruikt."
    )
    looked_at(broker)
    for taken_in in ("R03", "R04"):
        broker.get_by_label("Stemcode").fill(codes[taken_in])
        broker.get_by_role("button", name="Code innemen").click()
        expect(broker.get_by_text("De stemcode is ingenomen.")).to_be_visible()
    looked_at(broker)
    broker.goto(f"{base}/buurtbudget/{process.pk}/papier/invoeren/")
    looked_at(broker)
    enter_ballot(broker, 1, [PLAYGROUND])
    expect(broker.get_by_text("Stembiljet 1 is ingevoerd; een andere medewerker")).to_be_visible()
    enter_ballot(broker, 2, [PLAYGROUND])
    looked_at(broker)

    admin.goto(f"{base}/buurtbudget/{process.pk}/beheer/")
    admin.get_by_role("link", name="Papieren stembiljetten").click()
    admin.get_by_role("link", name="Stembiljet invoeren").click()
    enter_ballot(admin, 1, [PLAYGROUND])
    expect(admin.get_by_text("beide invoeren zijn gelijk; het telt mee")).to_be_visible()
    looked_at(admin)
    enter_ballot(admin, 2, [PLAYGROUND, GARDEN])
    expect(admin.get_by_text("de twee invoeren verschillen")).to_be_visible()
    looked_at(admin)
    assert PaperBallot.objects.get(process=process, number=2).status == PaperStatus.DISPUTED

    third = official(browser, base, cast.coordinator)
    third.goto(f"{base}/buurtbudget/{process.pk}/papier/")
    looked_at(third)
    third.get_by_role("link", name="Oplossen stembiljet 2").click()
    expect(third.locator("h1")).to_have_text("Stembiljet 2 oplossen")
    differing = third.locator("tr.paper-compare__differ th")
    expect(differing).to_have_text([f"{GARDEN} verschilt"])
    looked_at(third)
    shots.shot(third, "paper-resolve")
    third.get_by_label(f"{PLAYGROUND} (€ 6.000,00)").check()
    third.get_by_role("button", name="Stembiljet oplossen").click()
    expect(third.get_by_text("Stembiljet 2 is opgelost en telt mee.")).to_be_visible()
    looked_at(third)
    assert dict(PaperBallot.objects.filter(process=process).values_list("number", "status")) == {
        1: PaperStatus.AGREED,
        2: PaperStatus.RESOLVED,
    }

    # 6. DigiD: the resident with the BSN logs in at the provider's page (found in the register).
    resident = phone(browser).new_page()
    resident.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    resident.get_by_role("link", name="Inloggen met DigiD").click()
    expect(resident.get_by_role("heading", name="Inloggen met DigiD (demo)")).to_be_visible()
    resident.get_by_label("Sanne de Wit, Bosweg 12, Dorst (DigiD Midden)").check()
    resident.get_by_role("button", name="Inloggen").click()
    resident.wait_for_url(f"{base}/buurtbudget/{process.pk}/stemmen/")
    receipts.append(vote(resident, [BENCHES, GARDEN], "digid"))
    assert len(set(receipts)) == 4

    # every way in met in one register of who voted; each code used once, by its channel
    assert Ballot.objects.filter(process=process, channel=Channel.ONLINE).count() == 4
    assert Ballot.objects.filter(process=process, channel=Channel.PAPER).count() == 2
    assert Participation.objects.filter(process=process).count() == 6
    used = dict(
        VotingCode.objects.filter(process=process, used_channel__gt="").values_list(
            "entry__reference", "used_channel"
        )
    )
    assert used == {
        "R01": Channel.ONLINE,
        "R02": Channel.ONLINE,
        "G01": Channel.ONLINE,
        "R03": Channel.PAPER,
        "R04": Channel.PAPER,
        "R05": Channel.ONLINE,
    }

    # 7. The administrator closes the voting; the count runs (the task queue, in-process here).
    admin.goto(f"{base}/buurtbudget/{process.pk}/beheer/")
    admin.get_by_role("link", name="Het stemmen sluiten…").click()
    looked_at(admin)
    admin.get_by_role("button", name="Het stemmen sluiten").click()
    expect(admin.locator(".utrecht-alert--ok")).to_contain_text(
        "Het stemmen in Buurtbudget Dorst is gesloten; de stemmen worden geteld."
    )
    looked_at(admin)
    process.refresh_from_db()
    assert process.status == ProcessStatus.COUNTED

    # every acknowledged online ballot is counted: each receipt says so
    checker = phone(browser).new_page()
    for number, receipt in enumerate(receipts):
        checker.goto(f"{base}/buurtbudget/stembewijs/")
        checker.get_by_label("Je stembewijscode").fill(receipt)
        checker.get_by_role("button", name="Controleren").click()
        expect(checker.locator(".receipt-answer")).to_have_text(
            "Je stem in Buurtbudget Dorst is geteld."
        )
        if number == 0:
            looked_at(checker)

    result = phone(browser).new_page()
    result.goto(f"{base}/buurtbudget/{process.pk}/uitslag/")
    looked_at(result)
    shots.shot(result, "result")
    expect(result.locator(".result-channels")).to_have_text(
        "Zo kwamen de stemmen binnen: 4 stembiljetten online, 2 stembiljetten op papier. "
        "Papieren stemmen tellen samen voor 50%, online stemmen voor 50%: een papieren stem "
        "weegt 2, een online stem 1. De stemmen hieronder zijn zo gewogen. In de uitleg telt "
        "een stem die meer weegt als zoveel stemmers, elk met een gelijk deel."
    )
    rows = result.locator("table.result-plans tbody tr")
    expect(rows).to_have_count(3)
    shown = {
        row.locator("th").inner_text(): (
            " ".join(row.locator("td").nth(0).inner_text().split()),
            row.locator(".tag").inner_text(),
        )
        for row in rows.all()
    }
    assert shown == {
        PLAYGROUND: ("4 (2 stembiljetten)", "krijgt geld"),
        BENCHES: ("3 (3 stembiljetten)", "geen geld"),
        GARDEN: ("3 (3 stembiljetten)", "krijgt geld"),
    }, shown
    funded = {title for title, (_votes, tag) in shown.items() if tag == "krijgt geld"}

    # the ballots file from the page, recounted by the engine and by `wijkwerk count`
    with result.expect_download() as download:
        result.locator("a.result-download").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    election = read_pb(path)
    assert sorted(election.voter_weights or []) == [1, 1, 1, 1, 2, 2]
    by_id = {project.id: project.name for project in election.projects}
    assert {by_id[p] for p in count(election).selected} == funded == {PLAYGROUND, GARDEN}
    run = subprocess.run(
        [str(WIJKWERK), "count", str(path), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert {by_id[p] for p in json.loads(run.stdout)["selected"]} == funded
    # without the weights the benches and the garden would have won
    plain = re.sub(r"^(\d+;[^;\n]*);\d+$", r"\1", path.read_text(encoding="utf-8"), flags=re.M)
    plain = plain.replace("voter_id;vote;weight", "voter_id;vote")
    assert {by_id[p] for p in count(read_pb(plain)).selected} == {BENCHES, GARDEN}
