"""The first journey in a real browser: register, confirm by e-mail, log in, choose a home area,
visit it; and an official's login with a second factor. Every page type passes axe."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.factories import PASSWORD, UserFactory, official, totp_code
from tests.areas.factories import AreaFactory, MunicipalityFactory, NeighbourhoodFactory
from tests.axe import assert_accessible
from tests.conftest import SmtpServer
from wijkwerk.accounts.models import Role, RoleAssignment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for_mail(smtp_server: SmtpServer, address: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = smtp_server.to(address)
        if messages:
            return smtp_server.body(messages[-1])
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address} within {timeout}s")


def test_resident_registers_confirms_logs_in_and_finds_their_area(
    live_server: Any, page: Page, smtp_server: SmtpServer
) -> None:
    oosterhout = MunicipalityFactory(name="Oosterhout", slug="oosterhout", cbs_code="GM0826")
    dorst = AreaFactory(municipality=oosterhout, name="Dorst", slug="dorst", cbs_code="WK082613")
    NeighbourhoodFactory(parent=dorst, name="Dorst-Zuid", slug="dorst-zuid")
    AreaFactory(municipality=MunicipalityFactory(name="Oss", slug="oss"), name="Geffen")

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
    user = official(Role.BROKER, area=AreaFactory(name="Slotjes"))
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    assert_accessible(page)
    page.fill("#id_code", totp_code())
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/account/profiel/$"))
    expect(page.locator("main")).to_contain_text("Slotjes")


def test_official_without_two_factor_sets_it_up_first(live_server: Any, page: Page) -> None:
    user = UserFactory()
    municipality = MunicipalityFactory()
    RoleAssignment.objects.create(user=user, role=Role.CLERK, municipality=municipality)
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
