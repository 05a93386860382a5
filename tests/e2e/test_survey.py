"""Polls and surveys in headless Chromium: the area coordinator of Dorst builds a survey with a
question of every kind (the options grow with a button, no JavaScript needed) and a poll, and
publishes both; two residents answer on a 375 px wide screen (one first sends a wrong number and
a duplicate place and is told per question); the results page shows the charts and the tables
with the exact numbers. axe checks every page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.axe import assert_accessible
from tests.cast import build_cast
from tests.e2e.test_initiative_journey import log_in
from tests.shots import shot
from wijkwerk.surveys.models import Response, Survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def add_question(page: Page, kind: int, text: str, **fields: Any) -> None:
    page.get_by_role("link", name="Vraag toevoegen").click()
    assert_accessible(page)
    page.check(f"#id_kind_{kind}")
    page.fill("#id_text", text)
    options = fields.pop("options", [])
    if len(options) > 3:
        page.get_by_role("button", name="Keuze toevoegen").click()
        expect(page.locator("#id_option_3")).to_be_visible()
        expect(page.locator("#id_text")).to_have_value(text)  # what was typed is kept
        assert_accessible(page)
    for i, option in enumerate(options):
        page.fill(f"#id_option_{i}", option)
    if fields.pop("optional", False):
        page.uncheck("#id_required")
    for name, value in fields.items():
        page.fill(f"#id_{name}", str(value))
    page.get_by_role("button", name="Vraag opslaan").click()
    expect(page.locator(".site-messages")).to_contain_text("De vraag is opgeslagen.")


def answer(
    page: Page,
    *,
    often: str,
    missing: list[str],
    safe: str,
    order: list[str],
    years: str,
    text: str,
) -> None:
    page.get_by_label(often, exact=True).check()
    for item in missing:
        page.get_by_label(item, exact=True).check()
    page.get_by_label(safe, exact=True).check()
    for place, item in enumerate(order, start=1):
        page.get_by_label(item, exact=True).select_option(str(place))
    page.get_by_label("Hoeveel jaar woon je al in Dorst?").fill(years)
    if text:
        page.get_by_label("Wat wil je nog kwijt?").fill(text)


def test_a_coordinator_builds_a_survey_and_a_poll_residents_answer_on_a_phone(
    live_server: Any, page: Page, browser: Browser
) -> None:
    base = live_server.url
    cast = build_cast()
    area_url = base + cast.district.get_absolute_url()

    # 1. The coordinator makes the survey from Dorst's page.
    log_in(page, base, cast.coordinator.email, totp=True)
    page.goto(area_url)
    page.get_by_role("link", name="Maak een enquête").click()
    assert_accessible(page)
    page.fill("#id_title", "Leven in Dorst")
    page.fill("#id_introduction", "Hoe is het om in Dorst te wonen?")
    page.check("#id_access_0")  # logged in, one response per person
    page.check("#id_results_shown_0")  # live
    page.get_by_role("button", name="Enquête maken").click()
    expect(page.locator("h1")).to_have_text("Leven in Dorst")
    assert_accessible(page)

    add_question(
        page, 0, "Hoe vaak kom je in het dorpshuis?", options=["Elke week", "Elke maand", "Nooit"]
    )
    add_question(
        page,
        1,
        "Wat mist er in Dorst?",
        options=["Speelplek", "Bankjes", "Groen", "Parkeerplaatsen"],
        max_value=2,
    )
    add_question(
        page, 2, "Hoe veilig voel je je op straat?", low_label="onveilig", high_label="veilig"
    )
    add_question(page, 3, "Wat moet eerst?", options=["Stoepen", "Verlichting", "Bomen"])
    add_question(page, 4, "Hoeveel jaar woon je al in Dorst?", min_value=0, max_value=100)
    add_question(page, 5, "Wat wil je nog kwijt?", optional=True, max_length=300)
    assert_accessible(page)
    shot(page, "surveys-builder")
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator(".site-messages")).to_contain_text("De enquête is gepubliceerd.")
    survey = Survey.objects.get(title="Leven in Dorst")
    assert survey.questions.count() == 6

    # 2. And a poll, in one step.
    page.goto(area_url)
    page.get_by_role("link", name="Maak een peiling").click()
    page.fill("#id_title", "Kermis in Dorst")
    page.fill("#id_question", "Wanneer wil je de kermis?")
    page.fill("#id_option_0", "In juni")
    page.fill("#id_option_1", "In september")
    page.check("#id_access_2")  # without an account
    page.check("#id_results_shown_0")
    assert_accessible(page)
    page.get_by_role("button", name="Peiling maken").click()
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator(".site-messages")).to_contain_text("De enquête is gepubliceerd.")
    poll = Survey.objects.get(title="Kermis in Dorst")

    # 3. Two residents answer on a phone.
    for resident, values in (
        (
            cast.applicant,
            {
                "often": "Elke week",
                "missing": ["Speelplek", "Groen"],
                "safe": "4",
                "order": ["Stoepen", "Verlichting", "Bomen"],
                "years": "12",
                "text": "Meer bankjes bij de kerk.",
            },
        ),
        (
            cast.neighbour,
            {
                "often": "Elke maand",
                "missing": ["Groen"],
                "safe": "2",
                "order": ["Verlichting", "Stoepen", "Bomen"],
                "years": "3",
                "text": "",
            },
        ),
    ):
        context = browser.new_context(viewport=PHONE, locale="nl-NL")
        phone = context.new_page()
        log_in(phone, base, resident.email)
        phone.goto(area_url)
        phone.get_by_role("link", name="Leven in Dorst").click()
        expect(phone.locator("legend").first).to_be_visible()
        assert_accessible(phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        if resident == cast.applicant:
            # wrong first: a number out of range and a place twice → told per question
            answer(phone, **{**values, "years": "250"})
            phone.get_by_label("Verlichting", exact=True).select_option("1")  # as Stoepen
            phone.get_by_role("button", name="Verstuur mijn antwoorden").click()
            expect(phone.locator(".utrecht-form-field-error-message").first).to_be_visible()
            errors = phone.locator(".utrecht-form-field-error-message").all_inner_texts()
            assert "Geef een getal van 0 tot en met 100." in errors
            assert "Geef elke plaats één keer: twee onderdelen hebben dezelfde plaats." in errors
            assert_accessible(phone)
            shot(phone, "surveys-answer-errors")
            assert Response.objects.count() == 0
        answer(phone, **values)
        phone.get_by_role("button", name="Verstuur mijn antwoorden").click()
        expect(phone.locator(".site-messages")).to_contain_text(
            "Dank je wel: je antwoorden zijn opgeslagen."
        )
        expect(phone.get_by_text("Je hebt deze enquête ingevuld. Dank je wel.")).to_be_visible()
        assert_accessible(phone)
        shot(phone, "surveys-answered")
        phone.goto(base + poll.get_absolute_url())
        phone.get_by_label("In juni" if resident == cast.applicant else "In september").check()
        phone.get_by_role("button", name="Verstuur mijn antwoorden").click()
        expect(phone.locator(".site-messages")).to_contain_text("Dank je wel")
        context.close()
    assert Response.objects.filter(survey=survey).count() == 2
    assert Response.objects.filter(survey=poll).count() == 2

    # 4. The results: a chart and a table per question, exact for the coordinator.
    page.set_viewport_size(PHONE)
    page.goto(base + survey.get_absolute_url() + "uitslag/")
    assert_accessible(page)
    shot(page, "surveys-results")
    assert page.locator("svg.result-chart").count() == 4  # choices, scale, ranking
    tables = page.locator("table.result-table")
    assert tables.count() == 4
    single = tables.nth(0).inner_text()
    assert "Elke week\t1\t50,0%" in single and "Elke maand\t1\t50,0%" in single
    assert "Nooit\t0\t0,0%" in single
    assert "Groen\t2\t100,0%" in tables.nth(1).inner_text()
    scale = page.locator("#q" + str(survey.questions.get(kind="scale").pk) + "-heading + p")
    expect(scale).to_contain_text("gemiddeld 3,0 (van 1 tot en met 5)")
    ranking = tables.nth(3).inner_text()
    assert "Stoepen\t1,5" in ranking and "Verlichting\t1,5" in ranking and "Bomen\t3,0" in ranking
    number = page.locator("#q" + str(survey.questions.get(kind="number").pk) + "-heading + p")
    expect(number).to_contain_text("gemiddeld 7,5")
    expect(page.get_by_text("Meer bankjes bij de kerk.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The public sees the counts below 5 as "minder dan 5", and no open answers.
    public = browser.new_page(viewport=PHONE, locale="nl-NL")
    public.goto(base + poll.get_absolute_url() + "uitslag/")
    expect(public.locator("body")).to_contain_text("Minder dan 5 mensen hebben geantwoord")
    assert_accessible(public)
    public.goto(base + survey.get_absolute_url() + "uitslag/")
    expect(public.get_by_text("Meer bankjes bij de kerk.")).to_have_count(0)
