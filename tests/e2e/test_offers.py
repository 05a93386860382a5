"""Offers and questions in headless Chromium, axe on every page.

A resident of Dorst-Zuid offers carpentry, visible to the municipality's officials only; a
resident without a role cannot find or open it; the broker of Dorst finds it by searching and
invites the resident to an initiative, the resident gets the mail, accepts on the invitation's
page, and the broker sees the answer with the contact details. Then the broker asks a question to
Dorst and Slotjes; a resident of each answers (one lets the page show it); the broker closes the
question and records the outcome, which the public page shows with the counts.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.conftest import SmtpServer
from tests.e2e.test_initiative_journey import log_in, wait_for_mails
from tests.shots import shot
from wijkwerk.expertise.models import Answer, Invitation, Offer, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page: Page, name: str) -> None:
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    shot(page, f"offers-{name}")


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_an_offer_found_and_accepted_and_a_question_with_its_outcome(
    live_server: Any, page: Page, browser: Browser, smtp_server: SmtpServer
) -> None:
    base = live_server.url
    cast = build_cast()
    resident, broker = cast.neighbour, cast.broker
    resident.phone = "06 11223344"
    resident.save()
    initiative = cast.submitted()  # Anna's "Geveltuinen in de Kerkstraat" in Dorst-Zuid
    # the broker in a browser of his own: one login with one TOTP code (a code works once)
    official = browser.new_context(locale="nl-NL").new_page()

    # 1. The resident offers carpentry, for officials only.
    log_in(page, base, resident.email)
    page.goto(f"{base}/aanbod/")
    check(page, "index")
    page.get_by_role("link", name="Bied aan wat je kunt").click()
    check(page, "form")
    page.get_by_label("een vaardigheid of kennis").check()
    page.fill("#id_title", "Timmerwerk en kleine klussen")
    page.fill("#id_description", "Ik repareer bankjes, schuttingen en kasten. <script>x</script>")
    page.fill("#id_tags", "Timmeren, hout")
    page.get_by_label("Dorst-Zuid (Dorst)").check()
    page.fill("#id_availability", "Zaterdagochtend")
    page.get_by_label("alleen medewerkers van de gemeente").check()
    page.get_by_role("button", name="Aanbod opslaan").click()
    # script is plain text: refused with a clear message, nothing saved
    expect(page.locator(".error-summary, .utrecht-alert")).to_contain_text(
        "Schrijf gewone tekst, zonder HTML"
    )
    assert not Offer.objects.exists()
    check(page, "form-error")
    page.fill("#id_description", "Ik repareer bankjes, schuttingen en kasten.")
    page.get_by_role("button", name="Aanbod opslaan").click()
    expect(page.locator("h1")).to_have_text("Timmerwerk en kleine klussen")
    check(page, "detail-own")
    offer = Offer.objects.get()
    assert offer.visibility == "officials"
    assert [t.name for t in offer.tags.all()] == ["hout", "timmeren"]
    log_out(page)

    # 2. Another resident cannot open it; the broker finds it by search.
    log_in(page, base, cast.outsider.email)
    response = page.goto(f"{base}/aanbod/{offer.pk}/")
    assert response is not None and response.status == 404
    log_out(page)
    log_in(official, base, broker.email, totp=True)
    official.goto(f"{base}/aanbod/zoeken/")
    check(official, "search")
    official.fill("#id_q", "timmerwerk")
    official.fill("#id_tag", "timmeren")
    official.select_option("#id_area", str(cast.district.pk))
    official.get_by_role("button", name="Zoeken", exact=True).click()
    expect(official.locator("#results-heading")).to_have_text("1 aanbod")
    check(official, "search-results")
    official.get_by_role("link", name="Timmerwerk en kleine klussen").click()
    check(official, "detail-broker")
    expect(official.locator("main")).to_contain_text(resident.display_name)
    official.get_by_role("link", name="Nodig deze bewoner uit").click()
    check(official, "invite")
    official.select_option("#id_target", f"initiative:{initiative.pk}")
    official.fill("#id_message", "Wil je helpen met de bakken voor de geveltuinen?")
    official.get_by_role("button", name="Uitnodiging versturen").click()
    expect(official.locator("main")).to_contain_text("Wacht op antwoord", ignore_case=True)
    check(official, "invitation-sent")
    expect(official.locator("main")).not_to_contain_text("06 11223344")
    invitation = Invitation.objects.get()

    # 3. The resident gets the mail and accepts.
    [mail] = wait_for_mails(smtp_server, resident.email, 1)
    assert "Timmerwerk en kleine klussen" in mail["Subject"]
    body = smtp_server.body(mail)
    assert "Wil je helpen met de bakken voor de geveltuinen?" in body
    assert f"/aanbod/uitnodigingen/{invitation.pk}/" in body
    log_in(page, base, resident.email)
    page.goto(f"{base}/aanbod/uitnodigingen/")
    check(page, "invitations")
    page.get_by_role("link", name="Geveltuinen in de Kerkstraat").click()
    check(page, "invitation-received")
    page.get_by_role("button", name="Aannemen").click()
    expect(page.locator(".site-messages, .utrecht-alert").first).to_contain_text(
        "Je hebt de uitnodiging aangenomen"
    )
    assert Invitation.objects.get().status == "accepted"
    log_out(page)

    # 4. The broker sees the answer and how to reach the resident.
    wait_for_mails(smtp_server, broker.email, 1)
    official.goto(f"{base}/aanbod/uitnodigingen/{invitation.pk}/")
    expect(official.locator("main")).to_contain_text("06 11223344")
    expect(official.locator("main")).to_contain_text(resident.email)
    check(official, "invitation-accepted")

    # 5. The broker asks a question to Dorst and Slotjes.
    official.goto(f"{base}/aanbod/vragen/nieuw/")
    check(official, "question-form")
    official.get_by_label("Wie denkt mee over …").check()
    official.fill("#id_title", "Wie denkt mee over de speelplekken?")
    official.fill("#id_body", "We willen weten welke speelplekken kinderen missen.")
    official.get_by_label("Dorst", exact=True).check()
    official.get_by_label("Slotjes", exact=True).check()
    official.fill("#id_closes_on", "2000-01-01")
    official.get_by_role("button", name="Vraag publiceren").click()
    expect(official.locator(".error-summary")).to_contain_text("De sluitingsdatum is al voorbij")
    assert not Question.objects.exists()
    official.fill(
        "#id_closes_on", (datetime.date.today() + datetime.timedelta(days=14)).isoformat()
    )
    official.get_by_role("button", name="Vraag publiceren").click()
    expect(official.locator("h1")).to_have_text("Wie denkt mee over de speelplekken?")
    check(official, "question-official")
    question = Question.objects.get()

    # 6. Residents of both areas answer; one lets the page show it.
    for person, text, public in (
        (resident, "Een trapveldje bij de school.", True),
        (cast.outsider, "Schommels in het park.", False),
    ):
        log_in(page, base, person.email)
        page.goto(f"{base}/aanbod/vragen/{question.pk}/")
        check(page, "question-resident")
        page.get_by_label("een antwoord").check()
        page.fill("#id_text", text)
        if public:
            page.get_by_label(re.compile("Mijn antwoord mag op de pagina")).check()
        page.get_by_role("button", name="Reactie versturen").click()
        expect(page.locator("main")).to_contain_text("Je reageerde op")
        log_out(page)
    assert Answer.objects.count() == 2

    # 7. The broker closes the question and records the outcome.
    official.goto(f"{base}/aanbod/vragen/{question.pk}/")
    expect(official.locator("main")).to_contain_text("Schommels in het park.")
    official.get_by_role("button", name="Nu sluiten").click()
    check(official, "question-closed")
    official.fill("#id_outcome", "We leggen in 2027 een trapveld aan bij de school in Dorst.")
    official.get_by_role("button", name="Uitkomst vastleggen").click()
    expect(official.locator("#outcome-heading")).to_be_visible()
    official.context.close()

    # 8. The public page: the outcome, the counts, the answer its writer let it show.
    page.goto(f"{base}/aanbod/vragen/{question.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text("We leggen in 2027 een trapveld aan bij de school in Dorst.")
    expect(main).to_contain_text("2 antwoorden")
    expect(main).to_contain_text("Een trapveldje bij de school.")
    expect(main).not_to_contain_text("Schommels in het park.")
    expect(main).not_to_contain_text(resident.display_name)
    check(page, "question-public")
    page.goto(f"{base}/aanbod/vragen/")
    check(page, "questions")
