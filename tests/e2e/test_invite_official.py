"""An administrator invites a new broker by e-mail; the broker follows the link, creates an account
with that address, confirms it, logs in, accepts, sets up two-factor login and lands on the work
queue. Mail goes over real SMTP; every page on the way is checked with axe."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Browser, Page, expect

from tests.accounts.factories import PASSWORD
from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.conftest import SmtpServer
from wijkwerk.accounts.models import Role, RoleAssignment, RoleInvitation
from wijkwerk.core.models import AuditEvent

from .test_initiative_journey import log_in, wait_for_mails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "mila.makelaar@oosterhout.example"


def body(mail: Any) -> str:
    return mail.get_body(("plain",)).get_content()


def code_for(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_admin_invites_a_broker_who_accepts_sets_up_totp_and_lands_on_the_queue(
    live_server: Any, page: Page, browser: Browser, smtp_server: SmtpServer
) -> None:
    cast = build_cast()
    base = live_server.url

    # The administrator logs in with two steps and lands on the work queue ("Mijn gebieden").
    log_in(page, base, cast.admin.email, totp=True)
    expect(page).to_have_url(re.compile(r"/initiatieven/mijn-gebieden/$"))

    # Roles page: invite by e-mail, beside assigning a role.
    page.goto(f"{base}/beheer/oosterhout/rollen/")
    page.get_by_role("link", name="Uitnodigen per e-mail").click()
    expect(page.locator("h1")).to_have_text("Iemand uitnodigen voor een rol")
    assert_accessible(page)
    page.fill("input[name=email]", NEW)
    page.select_option("select[name=role]", "broker")
    page.select_option("select[name=area]", str(cast.other_district.pk))
    page.fill("input[name=public_contact]", "wijkmakelaar.slotjes@oosterhout.example")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/beheer/oosterhout/rollen/$"))
    expect(page.locator(".utrecht-alert--ok, [role=status]").first).to_contain_text(NEW)
    expect(page.locator("main")).to_contain_text("Uitnodigingen die nog niet zijn geaccepteerd")
    assert_accessible(page)
    assert not RoleAssignment.objects.filter(user__email=NEW).exists()

    # The invitation arrives; its link opens the invitation.
    [invitation_mail] = wait_for_mails(smtp_server, NEW, 1)
    assert "Oosterhout" in invitation_mail["Subject"]
    text = body(invitation_mail)
    assert "Slotjes" in text
    path = re.search(r"/account/uitnodiging/[A-Za-z0-9_-]+/", text)
    assert path, text
    invitation_url = f"{base}{path.group(0)}"

    mila = browser.new_page(locale="nl-NL")
    mila.goto(invitation_url)
    expect(mila.locator("h1")).to_contain_text("Uitnodiging van de gemeente Oosterhout")
    expect(mila.locator("main")).to_contain_text(NEW)
    assert_accessible(mila)

    # No account yet: create one with the invited address, and confirm it.
    mila.get_by_role("link", name="Account aanmaken").click()
    mila.fill("#id_email", NEW)
    mila.fill("#id_full_name", "Mila de Makelaar")
    mila.fill("#id_password1", PASSWORD)
    mila.fill("#id_password2", PASSWORD)
    mila.locator("main form button[type=submit]").click()
    mila.wait_for_load_state()
    confirmation = wait_for_mails(smtp_server, NEW, 2)[1]
    # (the mail's links start with the site's public address; the path is what counts here)
    link = re.search(r"/accounts/confirm-email/\S+", body(confirmation))
    assert link, body(confirmation)
    mila.goto(f"{base}{link.group(0)}")
    mila.locator("main form button[type=submit]").click()
    mila.wait_for_url(re.compile(r"/accounts/login/"))

    # Logging in brings her back to the invitation, which she accepts.
    mila.fill("#id_login", NEW)
    mila.fill("#id_password", PASSWORD)
    mila.locator("main form button[type=submit]").click()
    mila.wait_for_url(re.compile(re.escape(path.group(0)) + "$"))
    expect(mila.locator("main")).to_contain_text("Je bent ingelogd als " + NEW)
    assert_accessible(mila)
    mila.get_by_role("button", name="De uitnodiging accepteren").click()

    # An official sets up two-factor login before anything else (first the password again).
    mila.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    expect(mila.locator("main")).to_contain_text("Welkom! Je bent nu wijkmakelaar voor Slotjes.")
    assert_accessible(mila)
    mila.fill("input[name=password]", PASSWORD)
    mila.locator("main form button[type=submit]").click()
    mila.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
    assert_accessible(mila)
    secret = mila.locator("#authenticator_secret").input_value()
    mila.fill("input[name=code]", code_for(secret))
    mila.get_by_role("button", name="Activeren").click()
    # The recovery codes, then on to the work queue.
    mila.wait_for_url(re.compile(r"/accounts/2fa/recovery-codes/"))
    assert_accessible(mila)
    mila.get_by_role("link", name=re.compile("codes bewaard")).click()
    mila.wait_for_url(re.compile(r"/initiatieven/mijn-gebieden/$"))
    expect(mila.locator("h1")).to_have_count(1)
    assert_accessible(mila)

    assignment = RoleAssignment.objects.get(user__email=NEW)
    assert (assignment.role, assignment.area) == (Role.BROKER, cast.other_district)
    assert assignment.public_contact == "wijkmakelaar.slotjes@oosterhout.example"
    assert RoleInvitation.objects.get().accepted_by == assignment.user
    assert AuditEvent.objects.filter(action="role.invite", actor=cast.admin).count() == 1
    assert AuditEvent.objects.filter(action="role.assign", actor=cast.admin).count() == 1
    assert AuditEvent.objects.filter(action="role.invitation_accept").get().actor == (
        assignment.user
    )

    # The link is used up: a clear page, not an error.
    mila.goto(invitation_url)
    expect(mila.locator("h1")).to_have_text("Deze uitnodiging kan niet worden gebruikt")
    expect(mila.locator("main")).to_contain_text("al geaccepteerd")
    assert_accessible(mila)

    # The administrator sees the new broker among the roles and opens her page.
    page.goto(f"{base}/beheer/oosterhout/rollen/")
    page.get_by_role("link", name="Mila de Makelaar", exact=True).click()
    expect(page.locator("h1")).to_have_text("Mila de Makelaar")
    assert_accessible(page)
