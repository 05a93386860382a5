"""A neighbourhood budget round from set-up to recount, in headless Chromium at 375 px, with axe
(zero WCAG 2.1 A/AA violations) on every page on the way.

Oosterhout's administrator (with a TOTP code) sets up "Buurtbudget Dorst" on the form — € 10.000
for Dorst, two likes to reach the ballot, an approval ballot counted with the Method of Equal
Shares (Add1) — and publishes it. Five residents of Dorst-Zuid submit five plans and like each
other's; Dorst's broker merges a duplicate (its like moves along), records the feasibility with
the municipality's own costs and finds the skate park infeasible. The five vote at 375 px with
JavaScript: three for the playground and the benches, two for the vegetable garden. A knapsack
round (set up through the service) is voted on without JavaScript: the budget meter is the
server's, a ballot over the budget is refused with the amounts. A receipt code is checked. The
voting ends (its phase's dates moved into the past) and the administrator closes it with the
button; the count runs at once (the tests' task backend is the immediate one) with equal shares,
which funds the benches and the vegetable garden where most-votes-first would have funded the
playground and the benches. The result page explains each plan in Dutch and gives the SHA-256 of
the `.pb` file; that file, downloaded from the page, is recounted by `wijkwerk count` (with the
rule named, and with the command the page shows) and by pabutools: the same two winners, which
became their authors' approved initiatives; the result as JSON agrees.

Time moves by the round's phase dates: through `process_save` (the administrator's service)
while the voting has not begun, and by the phase rows themselves to end the voting (the set-up is
frozen from then on, as it must be).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.accounts.factories import UserFactory
from tests.axe import assert_accessible
from tests.budgeting.factories import PlanFactory, make_round, phases_around
from tests.cast import build_cast
from tests.dutch import text_problems
from tests.e2e.test_initiative_journey import log_in
from tests.initiatives.conftest import png_bytes
from wijkwerk.budgeting.models import PHASE_ORDER, BudgetProcess, Plan, ProcessPhase
from wijkwerk.budgeting.services.rounds import AreaBudget, process_save
from wijkwerk.budgeting.states import FeasibilityVerdict, PlanStatus, ProcessStatus
from wijkwerk.core.actors import DEMO

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 375, "height": 800}
WIJKWERK = Path(sys.executable).with_name("wijkwerk")
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


# ----- helpers ---------------------------------------------------------------------------------


# A context without JavaScript, and the page with JavaScript its pages are checked in (axe is a
# script: it waits on timers, which do not run where scripts are off).
MIRRORS: dict[BrowserContext, Page] = {}


def phone(browser: Browser, *, javascript: bool = True) -> BrowserContext:
    context = browser.new_context(
        locale="nl-NL", viewport=PHONE, java_script_enabled=javascript, accept_downloads=True
    )
    if not javascript:
        MIRRORS[context] = phone(browser).new_page()
    return context


def person(browser: Browser, base: str, user: Any, *, official: bool = False) -> Page:
    page = phone(browser).new_page()
    log_in(page, base, user.email, totp=official)
    return page


def checked(page: Page) -> None:
    """The page has one heading 1, fits 375 px and passes axe. A page without JavaScript is
    checked as it stands: its HTML (scripts left out) in a page with JavaScript, at its address."""
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    mirror = MIRRORS.get(page.context)
    if mirror is not None:
        html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S)
        html = html.replace("<head>", f'<head><base href="{page.url}">', 1)
        mirror.set_content(html, wait_until="load")
        page = mirror
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    assert_accessible(page)


def move_to(process: BudgetProcess, phase: str) -> None:
    """Let `phase` run now (the phases before it over), through the administrator's service."""
    process = BudgetProcess.objects.get(pk=process.pk)
    process_save(
        actor=DEMO,
        process=process,
        areas=[AreaBudget(item.area, item.budget_cents) for item in process.process_areas.all()],
        phases=phases_around(phase),
    )


def end_voting(process: BudgetProcess) -> None:
    """The voting phase ended a minute ago; the result phase runs (the set-up is frozen once the
    voting began, so the phase rows themselves are moved)."""
    now = timezone.now()
    voting = ProcessPhase.objects.get(process=process, kind="voting")
    voting.ends_at = now - datetime.timedelta(minutes=1)
    voting.save(update_fields=["ends_at"])
    ProcessPhase.objects.filter(process=process, kind="result").update(
        starts_at=now - datetime.timedelta(minutes=1)
    )


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime(DATETIME_INPUT)


def pb_projects(path: Path) -> list[str]:
    """The project ids of a .pb file in the file's order (an Instance is a set)."""
    section, ids = "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() in ("META", "PROJECTS", "VOTES"):
            section, header = line.strip(), True
            continue
        if section == "PROJECTS":
            if header:
                header = False
                continue
            ids.append(line.split(";", 1)[0])
    return ids


def pabutools_mes_add1(path: Path) -> set[str]:
    """The .pb file counted by pabutools as `wijkwerk.counting` counts equalshares/add1 (cost
    satisfaction, B/n per voter, the per-voter budget raised by one unit until the next step
    overspends; ties: min cost, max votes, file order: tests/counting/test_differential.py)."""
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import exhaustion_by_budget_increase, method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    instance, profile = parse_pabulib(str(path))
    order = {name: i for i, name in enumerate(pb_projects(path))}
    votes = {p.name: sum(1 for ballot in profile if p in ballot) for p in instance}
    tie_breaking = TieBreakingRule(
        lambda _i, _p, project: (project.cost, -votes[project.name], order[project.name])
    )
    outcome = exhaustion_by_budget_increase(
        instance,
        profile,
        method_of_equal_shares,
        {"sat_class": Cost_Sat, "tie_breaking": tie_breaking},
        budget_step=len(profile),
        exhaustive_stop=False,
    )
    return {project.name for project in outcome}


# ----- the round ---------------------------------------------------------------------------------


def set_up_round(browser: Browser, base: str, cast: Any) -> tuple[Page, BudgetProcess]:
    """The administrator fills in the set-up form (its ideas phase running now) and publishes."""
    admin = person(browser, base, cast.admin, official=True)
    admin.goto(f"{base}/buurtbudget/beheer/{cast.municipality.slug}/")
    checked(admin)
    admin.get_by_role("link", name="Nieuwe ronde").click()
    checked(admin)
    admin.get_by_label("Titel").fill("Buurtbudget Dorst")
    admin.get_by_label("Beschrijving voor bewoners").fill(
        "Wat wil jij in Dorst? Dien een plan in, vind plannen van anderen leuk en stem."
    )
    admin.get_by_label("Fonds").select_option(str(cast.fund.pk))
    admin.get_by_label("Totaal budget").fill("10.000,00")
    first_area = admin.get_by_role("group", name="Gebied 1")
    first_area.get_by_label("Gebied", exact=True).select_option(str(cast.district.pk))
    first_area.get_by_label("Budget van het gebied").fill("10.000,00")
    admin.get_by_label("Likes nodig voor het stembiljet").fill("2")
    admin.locator("input[name=ballot_type][value=approval]").check()
    admin.locator("input[name=rule][value=mes]").check()
    admin.locator("input[name=completion][value=add1]").check()
    for phase in phases_around("ideas", days=1):  # ideas from an hour ago, each a day
        admin.locator(f"#id_phases-{phase.kind}_starts_at").fill(local(phase.starts_at))
        admin.locator(f"#id_phases-{phase.kind}_ends_at").fill(local(phase.ends_at))
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.locator(".utrecht-alert--ok")).to_have_text(
        "De ronde Buurtbudget Dorst is opgeslagen."
    )
    checked(admin)
    process = BudgetProcess.objects.get(title="Buurtbudget Dorst")
    assert (process.status, process.budget_cents, process.likes_threshold) == (
        ProcessStatus.DRAFT,
        1_000_000,
        2,
    )
    assert (process.rule, process.completion, process.ballot_type) == ("mes", "add1", "approval")
    assert [a.area for a in process.process_areas.all()] == [cast.district]
    assert process.phases.count() == len(PHASE_ORDER)

    admin.get_by_role("link", name="Publiceren…").click()
    checked(admin)
    admin.get_by_role("button", name="Publiceren", exact=True).click()
    expect(admin.locator(".utrecht-alert--ok")).to_have_text(
        "De ronde Buurtbudget Dorst is gepubliceerd."
    )
    checked(admin)
    process.refresh_from_db()
    assert process.status == ProcessStatus.PUBLISHED
    return admin, process


# ----- voting ------------------------------------------------------------------------------------


def vote(page: Page, base: str, process: BudgetProcess, plans: list[Plan]) -> str:
    """Choose `plans` on the ballot, check the choice, confirm; the receipt code."""
    page.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    checked(page)
    for plan in plans:
        page.get_by_label(f"Kies “{plan.title}”").check()
    page.get_by_role("button", name="Verder").last.click()
    checked(page)
    summary = page.locator(".ballot-summary__item strong").all_inner_texts()
    assert sorted(summary) == sorted(plan.title for plan in plans), summary
    page.get_by_role("button", name="Bevestig je stem").click()
    checked(page)
    expect(page.locator("h1")).to_have_text("Je stem is ontvangen")
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}", code), code
    return code


def receipt_answer(page: Page, base: str, code: str) -> str:
    page.goto(f"{base}/buurtbudget/stembewijs/")
    checked(page)
    page.get_by_label("Je stembewijscode").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Controleren").click()
    checked(page)
    return page.locator(".receipt-answer").inner_text().strip()


def knapsack_without_javascript(browser: Browser, base: str, cast: Any) -> None:
    """A knapsack round (€ 8.000 for Dorst) voted on with JavaScript off: the meter is the
    server's ("Bedrag bijwerken"), a ballot over the budget is refused with the amounts, and a
    ballot within it is cast."""
    process = make_round(
        cast,
        phase="voting",
        areas=[(cast.district, 800_000)],
        title="Buurtbudget Dorst: kies binnen het budget",
        ballot_type="knapsack",
    )
    plans = [
        PlanFactory(process=process, title=title, estimated_cost_cents=cost, author=author)
        for title, cost, author in (
            ("Jeu-de-boulesbaan", 300_000, cast.applicant),
            ("Picknicktafels", 400_000, cast.neighbour),
            ("Kunstgrasveld", 500_000, cast.neighbour),
        )
    ]
    page = phone(browser, javascript=False).new_page()
    log_in(page, base, cast.applicant.email)
    page.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    checked(page)
    meter = page.locator("#ballot-meter-text .ballot-meter__sentence")
    expect(meter).to_have_text("Gekozen: € 0,00 van € 8.000,00 — nog € 8.000,00 over")
    for plan in plans:
        page.get_by_label(f"Kies “{plan.title}”").check()
    page.get_by_role("button", name="Bedrag bijwerken").click()
    checked(page)
    expect(meter).to_have_text("Gekozen: € 12.000,00 van € 8.000,00 — € 4.000,00 boven het budget")
    for plan in plans:  # the server kept the choices
        expect(page.get_by_label(f"Kies “{plan.title}”")).to_be_checked()
    page.get_by_role("button", name="Verder").last.click()
    checked(page)
    expect(page.locator("main")).to_contain_text(
        "Je plannen kosten € 12.000,00: € 4.000,00 meer dan het budget van € 8.000,00."
    )
    assert process.ballots.count() == 0
    page.get_by_label(f"Kies “{plans[2].title}”").uncheck()
    page.get_by_role("button", name="Bedrag bijwerken").click()
    expect(meter).to_have_text("Gekozen: € 7.000,00 van € 8.000,00 — nog € 1.000,00 over")
    page.get_by_role("button", name="Verder").last.click()
    checked(page)
    expect(page.locator(".ballot-summary__total")).to_have_text(
        "Samen: € 7.000,00 van het budget van € 8.000,00."
    )
    page.get_by_role("button", name="Bevestig je stem").click()
    checked(page)
    expect(page.locator("#receipt-code")).to_be_visible()
    ballots = list(process.ballots.all())
    assert [b.plan_ids() for b in ballots] == [sorted([plans[0].pk, plans[1].pk])]
    MIRRORS.pop(page.context).context.close()
    page.context.close()


def knapsack_meter_with_javascript(browser: Browser, base: str, cast: Any) -> None:
    """The same kind of ballot with JavaScript: the meter follows each box as it is ticked."""
    process = BudgetProcess.objects.get(title="Buurtbudget Dorst: kies binnen het budget")
    plans = list(process.plans.order_by("estimated_cost_cents"))
    page = person(browser, base, cast.neighbour)
    page.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
    checked(page)
    meter = page.locator("#ballot-meter-text .ballot-meter__sentence")
    page.get_by_label(f"Kies “{plans[2].title}”").check()
    expect(meter).to_have_text("Gekozen: € 5.000,00 van € 8.000,00 — nog € 3.000,00 over")
    page.get_by_label(f"Kies “{plans[1].title}”").check()
    expect(meter).to_have_text("Gekozen: € 9.000,00 van € 8.000,00 — € 1.000,00 boven het budget")
    assert_accessible(page)
    page.get_by_label(f"Kies “{plans[1].title}”").uncheck()
    page.get_by_label(f"Kies “{plans[0].title}”").check()
    expect(meter).to_have_text("Gekozen: € 8.000,00 van € 8.000,00 — nog € 0,00 over")
    page.get_by_role("button", name="Verder").last.click()
    checked(page)
    page.get_by_role("button", name="Bevestig je stem").click()
    checked(page)
    assert process.ballots.count() == 2
    page.context.close()


# ----- plans -------------------------------------------------------------------------------------

# (author's key, title, summary, estimated cost in euros)
PLANS = [
    ("anna", "Bankjes op het Dorpsplein", "Vier bankjes rond de lindeboom.", "4.000,00"),
    ("niels", "Speeltoestel bij de school", "Een klimtoestel voor kinderen tot 12.", "5.500,00"),
    ("ria", "Banken bij het Dorpsplein", "Zitplekken op het plein, voor iedereen.", "3.500,00"),
    ("kees", "Moestuin aan de Kerkstraat", "Samen groente kweken in bakken.", "4.000,00"),
    ("fatima", "Skatebaan", "Een betonnen skatebaan achter de sporthal.", "25.000,00"),
]


def submit_plan(
    page: Page,
    base: str,
    process: BudgetProcess,
    title: str,
    summary: str,
    cost: str,
    *,
    picture: bytes | None = None,
) -> Plan:
    page.goto(f"{base}/buurtbudget/{process.pk}/")
    checked(page)
    page.get_by_role("link", name="Dien een plan in").click()
    checked(page)
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Samenvatting").fill(summary)
    page.get_by_label("Geschatte kosten").fill(cost)
    page.get_by_label("Adres of plek").fill("Dorpsplein, Dorst")
    if picture is not None:
        page.get_by_label("Afbeelding").set_input_files(
            {"name": "plein.png", "mimeType": "image/png", "buffer": picture}
        )
    page.get_by_role("button", name="Mijn plan publiceren").click()
    expect(page.locator("h1")).to_have_text(title)
    if picture is not None:
        expect(page.locator("img.plan-picture")).to_have_js_property("complete", True)
        assert page.locator("img.plan-picture").evaluate("img => img.naturalWidth") == 640
    expect(page.locator(".utrecht-alert--ok")).to_contain_text(
        "Bedankt! Je plan is gepubliceerd: buurtbewoners kunnen het nu liken."
    )
    checked(page)
    return Plan.objects.get(process=process, title=title)


def like(page: Page, base: str, plan: Plan) -> None:
    """Like a plan from the round's list of plans."""
    page.goto(f"{base}/buurtbudget/{plan.process_id}/plannen/")
    checked(page)
    # the plan's title is the button's hidden second half ("Liken: Moestuin …")
    page.get_by_role("button", name=re.compile(rf"^Liken\s*: {re.escape(plan.title)}$")).click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text(f"Je liket “{plan.title}”.")
    withdraw = re.compile(rf"^Like intrekken\s*voor {re.escape(plan.title)}$")
    expect(page.get_by_role("button", name=withdraw)).to_be_visible()
    checked(page)


def merge(page: Page, base: str, duplicate: Plan, into: Plan) -> None:
    page.goto(f"{base}/buurtbudget/plan/{duplicate.pk}/")
    checked(page)
    page.get_by_role("link", name="Samenvoegen met een ander plan").click()
    checked(page)
    page.get_by_label("Samenvoegen met").select_option(str(into.pk))
    page.get_by_label("Waarom (openbaar)").fill(
        "Twee keer hetzelfde plan: zitplekken op het Dorpsplein."
    )
    page.get_by_role("button", name="Plannen samenvoegen").click()
    expect(page.locator("h1")).to_have_text(into.title)
    checked(page)


def feasibility(page: Page, base: str, plan: Plan, verdict: str, cost: str, reason: str) -> None:
    """From the list of plans to check: the verdict, the municipality's cost, the reason."""
    page.goto(f"{base}/buurtbudget/{plan.process_id}/plannen/beoordelen/")
    checked(page)
    page.get_by_role("link", name=re.compile(rf"^Beoordelen\s*: {re.escape(plan.title)}$")).click()
    checked(page)
    page.get_by_label(verdict, exact=True).check()
    if cost:
        page.get_by_label("Kostenraming van de gemeente").fill(cost)
    page.get_by_label("Toelichting (openbaar)").fill(reason)
    page.get_by_role("button", name="Oordeel vastleggen").click()
    expect(page.locator(".utrecht-alert--ok")).to_contain_text(
        f"Het oordeel over “{plan.title}” is vastgelegd."
    )
    checked(page)


# ----- the whole round ---------------------------------------------------------------------------


def test_a_whole_budget_round(live_server: Any, browser: Browser, tmp_path: Path) -> None:
    base = live_server.url
    cast = build_cast()
    residents = {
        "anna": cast.applicant,
        "niels": cast.neighbour,
        "ria": UserFactory(home_area=cast.neighbourhood, full_name="Ria de Graaf"),
        "kees": UserFactory(home_area=cast.neighbourhood, full_name="Kees Verhoeven"),
        "fatima": UserFactory(home_area=cast.neighbourhood, full_name="Fatima el Amrani"),
    }

    # 1. The administrator sets the round up on the form and publishes it.
    admin, process = set_up_round(browser, base, cast)

    # 2. Ideas: five residents submit five plans on their phones.
    pages = {key: person(browser, base, user) for key, user in residents.items()}
    plans = {
        key: submit_plan(
            pages[key],
            base,
            process,
            title,
            summary,
            cost,
            picture=png_bytes((640, 360)) if key == "anna" else None,
        )
        for key, title, summary, cost in PLANS
    }
    assert plans["anna"].picture and not plans["niels"].picture
    assert {p.author for p in plans.values()} == set(residents.values())
    assert plans["niels"].estimated_cost_cents == 550_000

    # 3. Likes: the plans are liked; the duplicate's like moves to the plan it is merged into.
    move_to(process, "likes")
    for key, liked in [
        ("anna", "niels"),
        ("ria", "niels"),
        ("niels", "anna"),
        ("kees", "ria"),
        ("fatima", "kees"),
        ("anna", "kees"),
        ("kees", "fatima"),
        ("niels", "fatima"),
    ]:
        like(pages[key], base, plans[liked])
    counts = dict(Plan.objects.filter(process=process).values_list("title", "like_count"))
    assert counts == {
        "Bankjes op het Dorpsplein": 1,
        "Speeltoestel bij de school": 2,
        "Banken bij het Dorpsplein": 1,
        "Moestuin aan de Kerkstraat": 2,
        "Skatebaan": 2,
    }
    broker = person(browser, base, cast.broker, official=True)
    merge(broker, base, plans["ria"], into=plans["anna"])
    plans = {key: Plan.objects.get(pk=plan.pk) for key, plan in plans.items()}
    assert plans["ria"].status == PlanStatus.MERGED
    assert plans["ria"].merged_into == plans["anna"]
    assert plans["anna"].like_count == 2

    # 4. Feasibility: the broker records the municipality's verdicts and costs.
    move_to(process, "feasibility")
    for key, verdict, cost, reason in [
        ("anna", "Haalbaar", "4.500,00", "Kan; vier bankjes met plaatsing."),
        ("niels", "Haalbaar", "5.000,00", "Kan, op het schoolplein; keuring inbegrepen."),
        ("kees", "Haalbaar", "4.000,00", "Kan op het grasveld aan de Kerkstraat."),
        (
            "fatima",
            "Niet haalbaar",
            "",
            "Er is achter de sporthal geen plek: daar komt de nieuwe brandweerkazerne.",
        ),
    ]:
        feasibility(broker, base, plans[key], verdict, cost, reason)
    plans = {key: Plan.objects.get(pk=plan.pk) for key, plan in plans.items()}
    assert [
        (plans[k].feasibility, plans[k].cost_cents) for k in ("anna", "niels", "kees", "fatima")
    ] == [
        (FeasibilityVerdict.FEASIBLE, 450_000),
        (FeasibilityVerdict.FEASIBLE, 500_000),
        (FeasibilityVerdict.FEASIBLE, 400_000),
        (FeasibilityVerdict.INFEASIBLE, 2_500_000),
    ]

    # 5. Voting at 375 px with JavaScript: the ballot has the three feasible plans with two likes.
    move_to(process, "voting")
    playground, benches, garden = plans["niels"], plans["anna"], plans["kees"]
    receipts = {}
    for key, choice in [
        ("anna", [playground, benches]),
        ("niels", [playground, benches]),
        ("ria", [playground, benches]),
        ("kees", [garden]),
        ("fatima", [garden]),
    ]:
        page = pages[key]
        page.goto(f"{base}/buurtbudget/{process.pk}/stemmen/")
        titles = page.locator(".ballot-plan__title").all_inner_texts()
        expect(page.locator(".ballot-plan__picture")).to_have_count(1)  # the benches
        assert sorted(titles) == sorted(p.title for p in (playground, benches, garden)), titles
        receipts[key] = vote(page, base, process, choice)
    assert process.ballots.count() == 5
    assert process.participations.count() == 5
    assert receipt_answer(pages["anna"], base, receipts["anna"]) == (
        "Je stem in Buurtbudget Dorst is ontvangen en wordt geteld na de sluiting van het stemmen."
    )

    # 6. A knapsack round, without JavaScript and with it.
    knapsack_without_javascript(browser, base, cast)
    knapsack_meter_with_javascript(browser, base, cast)

    # 7. The voting phase ends; the administrator closes the voting; the votes are counted.
    end_voting(process)
    admin.goto(f"{base}/buurtbudget/{process.pk}/beheer/")
    checked(admin)
    admin.get_by_role("link", name="Het stemmen sluiten…").click()
    checked(admin)
    admin.get_by_role("button", name="Het stemmen sluiten").click()
    expect(admin.locator(".utrecht-alert--ok")).to_contain_text(
        "Het stemmen in Buurtbudget Dorst is gesloten; de stemmen worden geteld."
    )
    checked(admin)
    process.refresh_from_db()
    assert process.status == ProcessStatus.COUNTED, process.status
    assert receipt_answer(pages["anna"], base, receipts["anna"]) == (
        "Je stem in Buurtbudget Dorst is geteld."
    )
    assert receipt_answer(pages["anna"], base, "ABCD-EFGH-JKLM-NPQR").startswith(
        "We kennen deze code niet."
    )

    # 8. The result page, in Dutch, on a phone.
    page = phone(browser).new_page()
    page.goto(f"{base}/buurtbudget/{process.pk}/uitslag/")
    checked(page)
    funded = {benches.title, garden.title}
    check_result_page(page, cast.district, [playground, benches, garden], funded)
    expect(page.locator("#rule-heading + p")).to_contain_text("Methode van Gelijke Delen")
    why = {
        plan.title: page.locator(f"#plan-{cast.district.pk}-{plan.project_id} td").last
        for plan in (benches, garden)
    }
    expect(why[benches.title]).to_have_text(
        "Gefinancierd in ronde 1 van gelijke delen: de 3 stemmers die het steunden en betaalden, "
        "deelden de kosten van € 4.500,00 en betaalden elk € 1.500,00."
    )
    expect(why[garden.title]).to_have_text(
        "Gefinancierd in ronde 2 van gelijke delen: de 2 stemmers die het steunden en betaalden, "
        "deelden de kosten van € 4.000,00 en betaalden elk € 2.000,00."
    )
    # the funded plans are approved initiatives of their authors, paid from the round's fund
    for plan in (benches, garden):
        plan.refresh_from_db()
        assert plan.initiative is not None, plan.title
        assert (plan.initiative.status, plan.initiative.applicant) == ("approved", plan.author)
        assert plan.initiative.granted_cents == plan.cost_cents
        assert plan.initiative.fund == cast.fund
    playground.refresh_from_db()
    assert playground.initiative is None

    # 9. The .pb file from the page, recounted by `wijkwerk count` and by pabutools.
    with page.expect_download() as download_info:
        page.locator("a.result-download").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    content = path.read_bytes()
    assert hashlib.sha256(content).hexdigest() == page.locator(".result-hash").inner_text()
    by_project = {p.project_id: p.title for p in (playground, benches, garden)}
    run = subprocess.run(
        [str(WIJKWERK), "count", str(path), "--rule", "mes", "--completion", "add1", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    recount = json.loads(run.stdout)
    assert {by_project[p] for p in recount["selected"]} == funded
    # the command the page gives, run where the file was saved (the file's META names the rule)
    command = shlex.split(page.locator(".result-command").inner_text())
    assert command[:3] == ["wijkwerk", "count", path.name], command
    shown = subprocess.run(
        [str(WIJKWERK), *command[1:], "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(shown.stdout)["rule"] == "mes"
    assert json.loads(shown.stdout)["selected"] == recount["selected"]
    assert {by_project[p] for p in pabutools_mes_add1(path)} == funded

    # 10. The result as data, from the page's link: the same winners and the same file.
    href = page.get_by_role("link", name="De uitslag als gegevens (JSON)").get_attribute("href")
    data = page.request.get(f"{base}{href}").json()
    (area,) = data["areas"]
    assert (area["area"]["name"], area["voters"]) == ("Dorst", 5)
    assert sorted(area["selected"]) == sorted(recount["selected"])
    assert area["pb_file"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert {p["title"] for p in area["plans"] if p["funded"]} == funded
    # most votes first would have funded the playground and the benches instead
    greedy = subprocess.run(
        [str(WIJKWERK), "count", str(path), "--rule", "greedy", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert {by_project[p] for p in json.loads(greedy.stdout)["selected"]} == {
        playground.title,
        benches.title,
    }


def check_result_page(page: Page, area: Any, plans: list[Plan], funded: set[str]) -> None:
    """Every plan on the ballot has its row: funded or not as counted, and the count's reason in
    Dutch; the funded plans are listed at the top."""
    listed = page.locator("#areas-heading + ul").inner_text()
    for plan in plans:
        row = page.locator(f"#plan-{area.pk}-{slugify(plan.project_id)}")
        expect(row).to_be_visible()
        is_funded = "result-plans__row--funded" in (row.get_attribute("class") or "")
        assert is_funded == (plan.title in funded), plan.title
        assert (plan.title in listed) == is_funded, listed
        why = row.locator("td").last.inner_text().strip()
        assert len(why) > 20, why
        assert not text_problems(why), (plan.title, why, text_problems(why))
