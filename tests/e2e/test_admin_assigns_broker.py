"""An administrator logs in with password and TOTP code, assigns a broker in the back office, and
the public area page shows the broker. Every back-office page type is checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.factories import PASSWORD, UserFactory, totp_code
from tests.axe import assert_accessible
from tests.cast import Cast
from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.core.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_assigns_broker_and_area_page_shows_them(live_server, page: Page, cast: Cast) -> None:
    oosterhout, admin = cast.municipality, cast.admin
    # The cast's Dorst-Zuid has no broker of its own (Dorst's broker works for it); Mila, who
    # has an account but no role yet, becomes its broker.
    zuid = cast.neighbourhood
    broker = UserFactory(full_name="Mila de Makelaar", email="mila@oosterhout.example")

    # Password, then the code from the authenticator app.
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", admin.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_selector("input[name=code]")
    page.fill("input[name=code]", totp_code())
    page.press("input[name=code]", "Enter")
    page.wait_for_load_state()

    # Dashboard.
    page.goto(f"{live_server.url}/beheer/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("table").first).to_contain_text("Oosterhout")
    assert_accessible(page)

    # A list page.
    page.locator(f"a[href='/beheer/{oosterhout.slug}/gebieden/']").click()
    expect(page.locator("table")).to_contain_text("WK082613")
    expect(page.locator("table")).to_contain_text("BU08261307")
    assert_accessible(page)

    # The role form, first with an unknown e-mail address: errors linked to the fields.
    page.goto(f"{live_server.url}/beheer/oosterhout/rollen/nieuw/?gebied={zuid.pk}")
    page.fill("input[name=email]", "onbekend@example.org")
    page.select_option("select[name=role]", "broker")
    page.locator("form.backoffice-form button[type=submit]").click()
    expect(page.locator("#id_email_error")).to_be_visible()
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email")).to_have_attribute(
        "aria-describedby", re.compile("id_email_error")
    )
    assert_accessible(page)

    # Now right: the broker for Dorst-Zuid with a public contact route.
    page.fill("input[name=email]", broker.email)
    page.select_option("select[name=role]", "broker")
    page.select_option("select[name=area]", str(zuid.pk))
    page.fill("input[name=public_contact]", "wijkmakelaar@oosterhout.example")
    page.locator("form.backoffice-form button[type=submit]").click()
    expect(page.locator("table")).to_contain_text("Mila de Makelaar")
    assert RoleAssignment.objects.filter(user=broker, role=Role.BROKER, area=zuid).exists()
    assert AuditEvent.objects.filter(action="role.assign", actor=admin).count() == 1

    # The audit log shows the change with the values after it.
    page.goto(f"{live_server.url}/beheer/oosterhout/wijzigingen/")
    expect(page.locator("table")).to_contain_text("mila@oosterhout.example")
    assert_accessible(page)

    # An edit page with its history.
    page.goto(f"{live_server.url}/beheer/oosterhout/gebieden/{zuid.pk}/")
    expect(page.locator("main")).to_contain_text("Mila de Makelaar")
    assert_accessible(page)

    # The public area page, built from the role assignments, shows the broker.
    page.goto(f"{live_server.url}/oosterhout/dorst-zuid/")
    expect(page.locator("main")).to_contain_text("Mila de Makelaar")
    expect(page.locator("main")).to_contain_text("wijkmakelaar@oosterhout.example")
    assert_accessible(page)
    # Dorst's page lists its own broker, not the broker of one of its neighbourhoods.
    page.goto(f"{live_server.url}/oosterhout/dorst/")
    expect(page.locator("main")).to_contain_text(cast.broker.full_name)
    expect(page.locator("main")).not_to_contain_text("Mila de Makelaar")
