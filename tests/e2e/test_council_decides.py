"""A council decides a small initiative, in headless Chromium (issue 14, item 1).

The broker hands a submitted initiative (€ 1.500 asked) to Dorpsraad Dorst; its secretary enters
yesterday evening's meeting, puts the initiative on the agenda with a document, records the
decision (four for, one against; € 450 with the reasons) and the money is committed in the
council's own fund (€ 5.000: € 450 committed, € 4.550 available); the applicant receives the
decision letter by mail; the secretary writes the minutes, records the council's approval and
publishes them; a resident then reads the decision, its reasons and the minutes. axe checks every
page on the way.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.conftest import SmtpServer
from tests.councils.factories import council_world
from tests.e2e.test_initiative_journey import log_in, pdf_bytes, wait_for_mails
from wijkwerk.councils.models import CouncilDecision
from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives.models import Initiative

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked(page: Page) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def test_a_council_puts_an_initiative_on_the_agenda_decides_and_publishes(
    live_server: Any, page: Page, browser: Browser, smtp_server: SmtpServer, settings: Any, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    base = live_server.url
    cast = build_cast()
    world = council_world(cast)
    initiative = cast.submitted()
    assert (initiative.requested_cents, world.fund.amount_cents) == (150_000, 500_000)

    # 1. The broker hands the application to the village council.
    log_in(page, base, cast.broker.email, totp=True)
    page.goto(f"{base}{initiative.get_absolute_url()}")
    page.get_by_role("link", name="Draag het over aan de raad").click()
    checked(page)
    page.get_by_role("button", name="Draag over aan de raad").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text("overgedragen aan Dorpsraad Dorst")
    initiative.refresh_from_db()
    assert initiative.deciding_council == world.council

    # 2. The secretary enters yesterday evening's meeting and sets its agenda.
    secretary = browser.new_context(locale="nl-NL").new_page()
    log_in(secretary, base, world.secretary.email)
    secretary.goto(f"{base}/raden/{world.council.pk}/")
    checked(secretary)
    expect(secretary.locator("body")).to_contain_text("Geveltuinen in de Kerkstraat")
    secretary.get_by_role("link", name="Plan een vergadering").click()
    checked(secretary)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    secretary.fill("#id_title", "Dorpsraadvergadering")
    secretary.fill("#id_starts_at", f"{yesterday.isoformat()}T19:30")
    secretary.fill("#id_ends_at", f"{yesterday.isoformat()}T21:30")
    secretary.fill("#id_place_name", "Gemeenschapshuis De Wissel")
    secretary.get_by_role("button", name="Plan de vergadering").click()
    expect(secretary.locator("h1")).to_have_text("Dorpsraadvergadering")
    checked(secretary)
    secretary.get_by_role("link", name="Voeg een agendapunt toe").click()
    checked(secretary)
    secretary.select_option("#id_initiative", str(initiative.pk))
    secretary.get_by_role("button", name="Zet op de agenda").click()
    expect(secretary.locator("ol.agenda")).to_contain_text("Geveltuinen in de Kerkstraat")
    secretary.get_by_role("link", name="Voeg een stuk toe").click()
    checked(secretary)
    secretary.fill("#id_title", "Aanvraag en begroting")
    secretary.set_input_files(
        "#id_file", {"name": "aanvraag.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    secretary.get_by_role("button", name="Voeg het stuk toe").click()
    expect(secretary.get_by_role("link", name="Aanvraag en begroting", exact=True)).to_be_visible()

    # 3. The decision: first without a quorum (refused, nothing saved), then with it.
    secretary.get_by_role(
        "link", name="Leg het besluit over “Geveltuinen in de Kerkstraat” vast"
    ).click()
    checked(secretary)
    chair, sec, member, piet, ria = world.members
    secretary.check(f"#id_vote_{chair.pk}_1")
    secretary.check(f"#id_vote_{sec.pk}_1")
    secretary.fill("#id_amount", "450,00")
    secretary.fill("#id_reasons", "Groen in de straat, en de buren leggen het samen aan.")
    secretary.get_by_role("button", name="Leg het besluit vast").click()
    expect(
        secretary.locator(".utrecht-form-field-error-message, .error-summary, [role=alert]").first
    ).to_be_visible()
    expect(secretary.locator("body")).to_contain_text("Geen quorum: 2 van de 5 leden zijn aanwezig")
    checked(secretary)
    assert CouncilDecision.objects.count() == 0
    secretary.check(f"#id_vote_{member.pk}_1")
    secretary.check(f"#id_vote_{piet.pk}_1")
    secretary.check(f"#id_vote_{ria.pk}_2")
    secretary.get_by_role("button", name="Leg het besluit vast").click()
    expect(secretary.locator(".utrecht-alert--ok")).to_contain_text(
        "Het besluit van de raad is vastgelegd."
    )
    expect(secretary.locator("ol.agenda")).to_contain_text("goedgekeurd, € 450,00 toegekend")
    expect(secretary.locator("ol.agenda")).to_contain_text("Stemmen: 4 voor, 1 tegen, 0 onthouding")
    checked(secretary)

    # The money is booked in the council's fund: committed, not yet paid.
    figures = fund_figures(world.fund)
    assert (figures.amount, figures.committed, figures.paid, figures.available) == (
        500_000,
        45_000,
        0,
        455_000,
    )
    initiative.refresh_from_db()
    assert (initiative.status, initiative.granted_cents, initiative.fund_id) == (
        "approved",
        45_000,
        world.fund.pk,
    )
    secretary.goto(f"{base}/raden/{world.council.pk}/")
    budget = secretary.locator(".council-budget").inner_text()
    for amount in ("€ 5.000,00", "€ 450,00", "€ 0,00", "€ 4.550,00"):
        assert amount in budget, budget
    mails = wait_for_mails(smtp_server, cast.applicant.email, 2)  # submitted, then approved
    (letter,) = [a for m in mails for a in m.iter_attachments()]
    assert letter.get_filename().startswith("besluit-WW-")

    # 4. Minutes: written, approved by the council, published.
    meeting = CouncilDecision.objects.get().agenda_item.meeting
    secretary.goto(f"{base}{meeting.get_absolute_url()}")
    secretary.get_by_role("link", name="Schrijf, stel vast of publiceer de notulen").click()
    checked(secretary)
    secretary.get_by_role("button", name="Publiceer de notulen").click()
    expect(secretary.locator("[role=alert]")).to_contain_text(
        "De raad heeft deze notulen nog niet vastgesteld"
    )
    secretary.fill(
        "#id_minutes", "Aanwezig: vijf leden. De raad kent € 450 toe aan de geveltuinen."
    )
    secretary.get_by_role("button", name="Sla de notulen op").click()
    expect(secretary.locator(".utrecht-alert--ok")).to_contain_text("De notulen zijn opgeslagen.")
    secretary.fill("#id_approved_on", datetime.date.today().isoformat())
    secretary.get_by_role("button", name="Leg de vaststelling vast").click()
    expect(secretary.locator(".utrecht-alert--ok")).to_contain_text(
        "De vaststelling door de raad is vastgelegd."
    )
    checked(secretary)
    secretary.get_by_role("button", name="Publiceer de notulen").click()
    expect(secretary.locator(".utrecht-alert--ok")).to_contain_text("De notulen zijn gepubliceerd.")

    # 5. A resident reads the decision, its reasons and the minutes.
    resident = browser.new_context(locale="nl-NL").new_page()
    log_in(resident, base, cast.neighbour.email)
    resident.goto(f"{base}/raden/{world.council.pk}/")
    checked(resident)
    decisions = resident.locator("section[aria-labelledby=decisions-heading]")
    expect(decisions).to_contain_text("Geveltuinen in de Kerkstraat")
    expect(decisions).to_contain_text("goedgekeurd, € 450,00 toegekend")
    expect(decisions).to_contain_text("Groen in de straat, en de buren leggen het samen aan.")
    resident.get_by_role("link", name="Dorpsraadvergadering").first.click()
    checked(resident)
    expect(resident.locator("section[aria-labelledby=minutes-heading]")).to_contain_text(
        "De raad kent € 450 toe aan de geveltuinen."
    )
    assert Initiative.objects.get(pk=initiative.pk).status == "approved"
