"""The register extract's upload in Chromium, on a phone: the administrator uploads a file with
problems and reads each on its line (nothing saved), then a good file and reads its counts per
area; axe-clean and without sideways scrolling (375 and 320 px) at every step, without
JavaScript doing the work."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.axe import assert_accessible
from tests.budgeting.factories import make_round
from tests.cast import Cast
from tests.e2e.test_initiative_journey import log_in
from tests.e2e.test_statements import assert_no_sideways_scrolling
from tests.shots import shot
from wijkwerk.budgeting.models import RegisterEntry, RegisterExtract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = "kenmerk;postcode;huisnummer;geboortedatum;gebiedscode;geheim;kvk"
BAD = "\n".join(
    [
        HEADER,
        "R1;4941 AB;12;1990-01-01;WK082613;nee;",
        "R2;1234;3;1990-01-01;WK082613;nee;",
        "R1;4941 AB;14;1991-01-01;BU08261307;nee;",
        "R4;4941 AB;16;2999-01-01;WK082613;nee;",
        "R5;4941 AB;18;2015-06-01;WK082613;nee;",
        "R6;4941 AB;20;1990-01-01;WK999999;nee;",
        "",
    ]
)
GOOD = "\n".join(
    [
        HEADER,
        "R1;4941 AB;12;1990-01-01;WK082613;nee;",
        "R2;4941 AB;12a;17-05-1985;BU08261307;ja;",
        "R3;4941 CD;7;;WK082613;nee;12345678",
        "R4;4942 EF;3;1950-12-01;WK082601;nee;",
        "",
    ]
)


@pytest.fixture
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "nl-NL"}


def upload(page: Page, name: str, text: str) -> None:
    page.get_by_label("Uittreksel uit de basisregistratie (CSV-bestand)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Uploaden en controleren").click()
    page.wait_for_load_state()


def test_the_admin_uploads_a_register_extract_on_a_phone(
    live_server: Any, page: Page, cast: Cast
) -> None:
    process = make_round(
        cast,
        phase="likes",
        areas=[(cast.district, 3_000_000), (cast.other_district, 2_000_000)],
        reference_date=datetime.date(2027, 3, 1),
        entrepreneurs_vote=True,
        vote_with_code=True,
        vote_with_account=False,
    )
    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, base, cast.admin.email, totp=True)
    page.goto(f"{base}/buurtbudget/{process.pk}/beheer/")
    page.get_by_role("link", name="Uittreksel basisregistratie").click()
    expect(page.locator("h1")).to_have_text("Uittreksel basisregistratie")
    expect(page.get_by_text("Er is nog geen uittreksel.")).to_be_visible()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)

    upload(page, "register-fout.csv", BAD)
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(
        "Er is niets opgeslagen: het bestand heeft de problemen hieronder."
    )
    problems = page.locator(".register-problems li")
    expect(problems).to_have_text(
        [
            "Regel 3: postcode '1234' is geen Nederlandse postcode (zoals 4901 AB).",
            "Regel 4: kenmerk 'R1' staat ook op regel 2; iedereen heeft een eigen kenmerk.",
            "Regel 5: geboortedatum 1 januari 2999 ligt in de toekomst.",
            "Regel 6: geboren op 1 juni 2015, 11 jaar oud op 1 maart 2027; deze ronde is voor "
            "mensen vanaf 16 jaar.",
            "Regel 7: gebiedscode 'WK999999' is geen gebied van deze ronde en ook geen buurt in "
            "zo'n gebied (WK082601, WK082613).",
        ]
    )
    assert not RegisterExtract.objects.exists()
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    shot(page, "register-errors-375")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_sideways_scrolling(page)
    page.set_viewport_size({"width": 375, "height": 800})

    upload(page, "register.csv", GOOD)
    expect(page.get_by_text("Het uittreksel is opgeslagen: 4 regels.")).to_be_visible()
    expect(page.get_by_text("3 bewoners")).to_be_visible()
    expect(page.get_by_text("1 bedrijf (ondernemers, met een KvK-nummer)")).to_be_visible()
    expect(
        page.get_by_text("1 geheim adres (geen brief: een stemcode aan de balie)")
    ).to_be_visible()
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows).to_have_text(["Dorst3", "Slotjes1"])
    expect(
        page.get_by_text("Het uittreksel wordt 30 dagen na het sluiten van de stemming verwijderd.")
    ).to_be_visible()
    assert RegisterEntry.objects.count() == 4
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    shot(page, "register-done-375")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_sideways_scrolling(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "register-done-1280")
