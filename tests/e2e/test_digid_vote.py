"""Voting with DigiD in headless Chromium at 375 px: from the round's "how to vote" page through
the real local OpenID Connect provider's login page (tools/oidc-provider) back to the ballot,
the vote and its receipt; and a resident who is too young, told why. Axe on every page of ours
(the provider's page stands in for the broker's and is not ours to check)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.budgeting.factories import PlanFactory, make_round
from tests.cast import build_cast
from tests.e2e.test_ballot import looked_at, phone
from tests.oidc_provider import DORST_ZUID_POSTCODE, Provider
from wijkwerk.areas.models import PostcodeArea
from wijkwerk.budgeting.models import Ballot, Participation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}")


def test_a_resident_votes_with_digid_on_a_phone(
    live_server: Any, browser: Browser, settings: Any, oidc_provider: Provider
) -> None:
    oidc_provider.configure(settings)
    cast = build_cast()
    PostcodeArea.objects.create(postcode=DORST_ZUID_POSTCODE, area=cast.neighbourhood, year=2025)
    process = make_round(cast, vote_with_account=False, vote_with_digid=True)
    PlanFactory(
        process=process, title="Speeltuin aan de Kerkstraat", estimated_cost_cents=1_200_000
    )
    PlanFactory(process=process, title="Moestuin bij de school", estimated_cost_cents=2_000_000)
    ballot_url = f"{live_server.url}/buurtbudget/{process.pk}/stemmen/"

    page = phone(browser).new_page()
    page.goto(ballot_url)
    expect(page.get_by_role("heading", name="Met DigiD")).to_be_visible()
    looked_at(page)
    page.get_by_role("link", name="Inloggen met DigiD").click()

    # the provider's login page, as a broker's would be
    expect(page.get_by_role("heading", name="Inloggen met DigiD (demo)")).to_be_visible()
    page.get_by_label("Sanne de Wit, Bosweg 12, Dorst (DigiD Midden)").check()
    page.get_by_role("button", name="Inloggen").click()

    page.wait_for_url(ballot_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stem op de plannen voor Dorst")
    looked_at(page)
    page.get_by_label("Kies “Speeltuin aan de Kerkstraat”").check()
    page.get_by_role("button", name="Verder").last.click()
    expect(page.get_by_role("heading", name="Controleer je stem")).to_be_visible()
    looked_at(page)
    page.get_by_role("button", name="Bevestig je stem").click()
    expect(page.get_by_role("heading", name="Je stem is ontvangen")).to_be_visible()
    assert CODE.search(page.content())
    looked_at(page)
    assert Ballot.objects.count() == 1
    participation = Participation.objects.get()
    assert (participation.user, participation.area, participation.age_band) == (
        None,
        cast.district,
        "45-64",
    )

    # a child of the same address: told why, and no ballot
    child = phone(browser).new_page()
    child.goto(ballot_url)
    child.get_by_role("link", name="Inloggen met DigiD").click()
    child.get_by_label("Daan de Wit, 10 jaar (DigiD Midden)").check()
    child.get_by_role("button", name="Inloggen").click()
    expect(child.get_by_role("heading", level=1)).to_have_text(
        "Inloggen om te stemmen is niet gelukt"
    )
    expect(child.get_by_role("alert")).to_have_text("Je kunt in deze ronde stemmen vanaf 16 jaar.")
    looked_at(child)
    child.get_by_role("link", name="Bekijk hoe je kunt stemmen").click()
    expect(child.get_by_role("link", name="Inloggen met DigiD")).to_be_visible()
    assert Participation.objects.count() == 1
