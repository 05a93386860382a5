"""The first journey in a real browser: register, confirm by e-mail, log in, choose a home area,
visit it; and an official's login with a second factor. Every page type passes axe."""

from __future__ import annotations

import datetime
import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.factories import PASSWORD, totp_code
from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.conftest import SmtpServer
from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.initiatives.models import Initiative, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_mail(smtp_server: SmtpServer, address: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = smtp_server.to(address)
        if messages:
            return smtp_server.body(messages[-1])
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address} within {timeout}s")


def assert_label_beside(page: Page, control: str) -> None:
    """A checkbox's or radio button's label sits right beside it, on the same line."""
    box = page.locator(control).bounding_box()
    label = page.locator(f"label[for='{control.removeprefix('#')}']").bounding_box()
    assert box and label, control
    gap = label["x"] - (box["x"] + box["width"])
    assert 0 <= gap <= 24, f"{control}: label {gap:.0f} px away"
    assert abs((label["y"] + label["height"] / 2) - (box["y"] + box["height"] / 2)) < 20


def border_colour(page: Page, control: str) -> str:
    return str(page.eval_on_selector(control, "e => getComputedStyle(e).borderColor"))


def test_resident_registers_confirms_logs_in_and_finds_their_area(
    live_server: Any, page: Page, smtp_server: SmtpServer, settings: Any
) -> None:
    settings.WIJKWERK_BASE_URL = live_server.url  # the mails' links lead here
    build_cast()  # Oosterhout with Dorst and its Dorst-Zuid; Oss with Lith

    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    page.fill("#id_email", "anna@example.org")
    page.fill("#id_full_name", "Anna de Vries")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").count() == 1
    assert_accessible(page)  # "check your e-mail"

    body = wait_for_mail(smtp_server, "anna@example.org")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", body)
    assert link, body
    page.goto(link.group(0))
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)

    page.fill("#id_login", "anna@example.org")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account/profiel/$"))
    assert_accessible(page)

    select = page.locator("#id_home_area")
    assert select.locator("optgroup").count() == 2
    select.select_option(label="Dorst-Zuid (Dorst)")
    page.fill("#id_phone", "0162 123 456")
    page.get_by_role("button", name=re.compile("Save my profile|Mijn profiel opslaan")).click()
    page.wait_for_url(re.compile(r"/account/profiel/$"))
    assert_accessible(page)

    page.locator("#home-area-heading + p a").click()
    page.wait_for_url(re.compile(r"/oosterhout/dorst-zuid/$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^\s*Dorst-Zuid\s*$"))
    assert_accessible(page)


def test_official_logs_in_with_password_and_authenticator_code(
    live_server: Any, page: Page
) -> None:
    user = build_cast().other_broker  # the broker of Slotjes
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    assert_label_beside(page, "#id_remember")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    assert_accessible(page)
    page.fill("#id_code", totp_code())
    page.locator("main form button[type=submit]").first.click()
    # An official lands on the work queue; the profile says where they work.
    page.wait_for_url(re.compile(r"/initiatieven/mijn-gebieden/$"))
    page.goto(f"{live_server.url}/account/profiel/")
    expect(page.locator("main")).to_contain_text("Slotjes")


def test_official_without_two_factor_sets_it_up_first(live_server: Any, page: Page) -> None:
    # A resident of the cast becomes Oosterhout's council clerk, without a second factor yet.
    user = build_cast().outsider
    RoleAssignment.objects.create(
        user=user, role=Role.CLERK, municipality=user.home_area.municipality
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    # Sent to set up two-factor login; allauth first asks for the password once more.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    assert_accessible(page)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", "000000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)  # the page with the error
    page.fill("#id_code", totp_code(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert_accessible(page)
    page.locator("main a[href='/account/profiel/']").last.click()
    page.wait_for_url(re.compile(r"/account/profiel/$"))
    assert_accessible(page)


def test_resident_applies_in_three_pages_without_losing_input(
    live_server: Any, page: Page, settings: Any, tmp_path: Any
) -> None:
    """The whole application: the scheme and what it asks (page 1), one form with the budget,
    co-signers and a photo chosen on it (page 2; adding a row or a file, or an error, keeps what
    was typed, also the photo chosen with a mistake before any draft exists), the check and
    submit (page 3). Axe-clean, no sideways scrolling at 375 px."""
    from tests.e2e.test_initiative_journey import log_in
    from tests.initiatives.conftest import png_bytes

    settings.MEDIA_ROOT = tmp_path / "uploads"
    cast = build_cast()
    cast.scheme.required_cosigners = 2
    cast.scheme.save()
    base = live_server.url
    log_in(page, base, cast.applicant.email)
    steps: list[str] = []

    def arrived() -> None:
        """Every page of the application says which of the three steps it is."""
        page.wait_for_load_state()
        expect(page.locator(".application-step")).to_have_count(1)
        steps.append(page.locator(".application-step").inner_text())
        assert_accessible(page)
        page.set_viewport_size({"width": 320, "height": 800})  # no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url
        page.set_viewport_size({"width": 1280, "height": 800})

    # Page 1: the scheme, with what it asks, before any form.
    page.goto(f"{base}/initiatieven/nieuw/")
    arrived()
    choice = page.locator(".scheme-option", has_text="Regeling bewonersinitiatieven")
    expect(choice).to_contain_text("Je vraagt ten hoogste € 5.000,00.")
    expect(choice).to_contain_text("2 buren van 12 jaar of ouder ondertekenen met je")
    page.get_by_label("Regeling bewonersinitiatieven").check()
    page.get_by_role("button", name="Volgende: schrijf je plan").click()

    # Page 2: the form asks what this scheme needs; the place by address, no coordinates.
    arrived()
    expect(page.locator(".scheme-requirements")).to_contain_text(
        "Wat Regeling bewonersinitiatieven vraagt"
    )
    expect(page.locator("input[name=latitude]")).to_have_attribute("type", "hidden")
    expect(page.locator(".co-applicant")).to_have_count(2)
    assert_label_beside(page, "#id_co-0-lives_in_area")
    assert_label_beside(page, "#id_consent_to_publish")
    # An empty required field is not shown as wrong before anyone touched it.
    assert border_colour(page, "#id_summary") == border_colour(page, "#id_description")
    for field in ("description", "planned_start", "planned_end", "applicant_age"):
        label = page.locator(f"label[for=id_{field}]")
        expect(label).to_be_visible()
        expect(label).not_to_contain_text("niet verplicht")
    expect(page.locator("label[for=id_own_contribution_hours]")).to_contain_text("niet verplicht")
    start = datetime.date.today() + datetime.timedelta(days=30)
    page.fill("#id_title", "Bankjes op het Dorpsplein")
    page.fill("#id_summary", "Twee bankjes voor het dorpsplein.")
    page.fill("#id_description", "Zodat ouderen even kunnen zitten.")
    page.fill("#id_applicant_age", "67")
    page.fill("#id_address", "Dorpsplein, Dorst")
    # With JavaScript the map points at the spot too: it fills the hidden coordinates.
    expect(page.locator("#location-status")).to_have_text(
        "Geen plek aangewezen op de kaart (niet verplicht)."
    )
    page.locator("#location-map").click(position={"x": 200, "y": 100})
    expect(page.locator("#location-status")).to_have_text("De plek is aangewezen op de kaart.")
    assert page.locator("#id_latitude").input_value()
    page.fill("#id_planned_start", start.isoformat())
    page.fill("#id_planned_end", (start + datetime.timedelta(days=1)).isoformat())
    page.fill("#id_lines-0-description", "Bankjes")
    page.fill("#id_lines-0-amount", "450,00")
    page.fill("#id_lines-1-description", "Plaatsing")
    page.fill("#id_lines-1-amount", "1.250")
    page.fill("#id_co-0-name", "Piet")
    page.fill("#id_co-0-age", "70")
    page.check("#id_co-0-lives_in_area")
    page.fill("#id_co-1-name", "Kees")
    page.fill("#id_co-1-age", "15")
    page.check("#id_consent_to_publish")
    page.set_input_files(
        "#id_uploads", {"name": "plein.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    # A mistake before any draft exists, with the photo chosen: everything typed comes back,
    # and the photo is kept (by name, with a box to remove it) for the first save; nothing has
    # to be chosen again.
    page.fill("#id_planned_end", (start - datetime.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Concept bewaren").click()
    arrived()
    assert not Initiative.objects.exists()
    expect(page.locator("#form-errors")).to_contain_text("Niet opgeslagen")
    kept = page.locator(".pending-upload")
    expect(kept).to_have_count(1)
    expect(kept).to_contain_text("Gekozen: plein.png — wordt bewaard bij opslaan")
    assert_label_beside(page, f"#{kept.locator('input[type=checkbox]').get_attribute('id')}")
    assert page.locator("#id_uploads").evaluate("e => e.files.length") == 0
    expect(page.locator("#id_title")).to_have_value("Bankjes op het Dorpsplein")
    expect(page.locator("#id_co-1-name")).to_have_value("Kees")
    assert page.locator("#id_latitude").input_value()
    page.fill("#id_planned_end", (start + datetime.timedelta(days=1)).isoformat())
    # One more co-signer, without JavaScript's help: a button that sends the form (and saves
    # the draft, with the photo kept above).
    page.get_by_role("button", name="Nog een medeondertekenaar toevoegen").click()
    arrived()
    expect(page.locator(".co-applicant")).to_have_count(3)
    expect(page.locator("#id_title")).to_have_value("Bankjes op het Dorpsplein")
    expect(page.locator("#id_co-1-name")).to_have_value("Kees")
    expect(page.locator("#id_lines-1-amount")).to_have_value("1.250,00")
    expect(page.locator(".pending-upload")).to_have_count(0)
    expect(page.locator("img.attachment-thumb[alt='Foto: plein.png']")).to_have_count(1)
    page.fill("#id_co-2-name", "Truus")
    page.fill("#id_co-2-age", "44")
    page.check("#id_co-2-lives_in_area")

    # A mistake, with a document chosen at the same time: the document is kept, and so is the
    # input; the summary at the top links to the field.
    page.fill("#id_planned_end", (start - datetime.timedelta(days=3)).isoformat())
    page.set_input_files(
        "#id_uploads",
        {"name": "offerte.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"},
    )
    page.get_by_role("button", name="Concept bewaren").click()
    arrived()
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("Niet opgeslagen")
    assert border_colour(page, "#id_planned_end") != border_colour(page, "#id_planned_start")
    summary.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"#id_planned_end$"))
    expect(page.locator("#id_planned_end")).to_be_in_viewport()
    expect(page.locator("#id_co-2-name")).to_have_value("Truus")
    expect(page.locator(".attachment-list")).to_contain_text("offerte.pdf")
    page.fill("#id_planned_end", (start + datetime.timedelta(days=1)).isoformat())
    # Enter in a text field saves the draft (it does not add a row or remove a file).
    page.press("#id_title", "Enter")
    arrived()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("Je initiatief is bewaard.")
    expect(page.locator(".co-applicant")).to_have_count(3)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    print(f"form page: {height} px high at 1280, ", end="")
    print(f"{page.evaluate('document.documentElement.scrollHeight')} px at 375")
    page.set_viewport_size({"width": 1280, "height": 800})

    # Page 3: everything to check; the submit button because nothing is missing.
    page.get_by_role("button", name="Bewaren en controleren voor indienen").click()
    arrived()
    main = page.locator("main")
    for text in ("Bankjes op het Dorpsplein", "Plaatsing: € 1.250,00", "€ 1.700,00", "Truus"):
        expect(main).to_contain_text(text)
    expect(main).to_contain_text("plein.png")
    gaps = page.locator("#gaps-heading")
    assert gaps.count() == 0, page.locator("main").inner_text()
    page.get_by_role("button", name="Initiatief indienen").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("ingediend")

    assert sorted(set(steps)) == [
        "Stap 1 van 3: kies een regeling",
        "Stap 2 van 3: je plan",
        "Stap 3 van 3: controleren en indienen",
    ], steps
    initiative = Initiative.objects.get()
    assert initiative.status == Status.UNDER_REVIEW
    assert initiative.requested_cents == 170_000
    assert [c.name for c in initiative.co_applicants.all()] == ["Piet", "Kees", "Truus"]
    assert initiative.latitude is not None and initiative.address == "Dorpsplein, Dorst"
    assert sorted(a.original_name for a in initiative.attachments.all()) == [
        "offerte.pdf",
        "plein.png",
    ]
