"""DigiD and eHerkenning through an OpenID Connect broker, against a real provider.

tools/oidc-provider (panva's certified `oidc-provider`, on Node) runs for the session; each
test logs in on its page with `requests` and hands the browser's way back to wijkwerk's
callback, which fetches the token from the provider itself (Authlib: discovery, JWKS, code
exchange with PKCE, the ID token checked). The happy paths vote; every bad response (a wrong
audience, an expired token, missing claims, too low an assurance level, a cancelled login, a
replayed callback) gets its Dutch message, a 4xx status and no pass; and nothing of the login
(BSN, subject, token) is kept in the session, the database or the logs.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from joserfc._rfc7519 import claims as joserfc_claims

from wijkwerk.areas.models import PostcodeArea
from wijkwerk.budgeting.eligibility import PASS_KEY, voter_key
from wijkwerk.budgeting.models import (
    Ballot,
    BudgetProcess,
    Participation,
    RegisterEntry,
    RegisterExtract,
    VotingCode,
)
from wijkwerk.budgeting.oidc import kvk_hash
from wijkwerk.budgeting.services.register import bsn_hash
from wijkwerk.core.models import AuditEvent

from ..oidc_provider import DORST_ZUID_POSTCODE, MIDDEN, RESIDENT_BSN, Provider, callback_path
from .factories import PlanFactory, make_round

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    html = re.sub(r"<script.*?</script>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def digid(settings: Any, oidc_provider: Provider) -> Provider:
    oidc_provider.configure(settings)
    return oidc_provider


@pytest.fixture
def dorst(cast: Any) -> BudgetProcess:
    """A round in Dorst that takes DigiD, and Dorst-Zuid's postcode in the postcode table."""
    PostcodeArea.objects.create(postcode=DORST_ZUID_POSTCODE, area=cast.neighbourhood, year=2025)
    process = make_round(
        cast, vote_with_account=False, vote_with_digid=True, entrepreneurs_vote=True
    )
    PlanFactory(process=process, title="Speeltuin", estimated_cost_cents=1_200_000)
    return process


def start(client: Client, process: BudgetProcess, *, entrepreneur: bool = False) -> str:
    url = reverse("budgeting:digid_start", args=[process.pk])
    response = client.get(url + ("?als=ondernemer" if entrepreneur else ""))
    assert response.status_code == 302, text(response)
    return str(response["Location"])


def log_in(
    client: Client,
    provider: Provider,
    process: BudgetProcess,
    account: str,
    *,
    entrepreneur: bool = False,
) -> Any:
    back = provider.login(start(client, process, entrepreneur=entrepreneur), account)
    return client.get(callback_path(back))


def has_pass(client: Client, process: BudgetProcess) -> bool:
    return PASS_KEY % process.pk in client.session


def vote(client: Client, process: BudgetProcess) -> Any:
    plan = process.plans.get(title="Speeltuin")
    response = client.post(
        reverse("budgeting:ballot_confirm", args=[process.pk]), {"plan": [plan.pk]}
    )
    assert response.status_code == 200, text(response)
    assert "Je stem is ontvangen" in text(response)
    return response


# ----- the happy paths ---------------------------------------------------------------------------


def test_a_resident_logs_in_with_digid_and_votes_once(
    client: Client, digid: Provider, dorst: BudgetProcess, cast: Any, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    ways = client.get(reverse("budgeting:ballot", args=[dorst.pk]))
    assert "Met DigiD" in text(ways) and "Inloggen met DigiD" in text(ways)

    authorize = start(client, dorst)
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(f"{digid.issuer}/auth?")
    assert query["client_id"] == ["wijkwerk"]
    assert query["scope"] == ["openid digid"]
    assert query["acr_values"] == [MIDDEN]
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"] and query["state"]
    assert query["redirect_uri"] == ["http://testserver/buurtbudget/digid/terug/"]

    back = client.get(callback_path(digid.login(authorize, "bewoner")))
    assert back.status_code == 302
    assert back["Location"] == reverse("budgeting:ballot", args=[dorst.pk])
    ballot = client.get(back["Location"])
    assert ballot.status_code == 200
    assert "Stem op de plannen voor Dorst" in text(ballot)
    vote(client, dorst)

    participation = Participation.objects.get()
    register_key = f"bsn:{bsn_hash(cast.municipality.pk, RESIDENT_BSN)}"
    assert participation.voter_key == voter_key(dorst.pk, register_key)
    assert (participation.user, participation.area, participation.age_band) == (
        None,
        cast.district,
        "45-64",
    )
    assert Ballot.objects.count() == 1

    # the same person again: the same voter, who changes the ballot (no second one)
    again = Client()
    assert log_in(again, digid, dorst, "bewoner").status_code == 302
    vote(again, dorst)
    assert Participation.objects.count() == 1
    assert Ballot.objects.count() == 1

    # nothing of the login is kept: no BSN, subject or token in sessions, events or logs
    sessions = " ".join(str(s.get_decoded()) for s in Session.objects.all())
    events = " ".join(f"{e.before} {e.after} {e.object_id}" for e in AuditEvent.objects.all())
    for kept in (sessions, events, caplog.text):
        assert RESIDENT_BSN not in kept
        assert "bewoner" not in kept
        assert "eyJ" not in kept  # no JWT


def test_an_entrepreneur_logs_in_with_eherkenning_and_votes_for_the_business(
    client: Client, digid: Provider, dorst: BudgetProcess, cast: Any
) -> None:
    authorize = start(client, dorst, entrepreneur=True)
    assert parse_qs(urlsplit(authorize).query)["scope"] == ["openid eherkenning"]
    back = client.get(callback_path(digid.login(authorize, "ondernemer")))
    assert back.status_code == 302, text(back)
    vote(client, dorst)
    participation = Participation.objects.get()
    key = f"kvk:{kvk_hash(cast.municipality.pk, '12345678')}"
    assert participation.voter_key == voter_key(dorst.pk, key)
    assert participation.age_band == ""


def test_with_a_register_the_digid_voter_is_the_letters_code(
    client: Client, digid: Provider, dorst: BudgetProcess, cast: Any
) -> None:
    extract = RegisterExtract.objects.create(process=dorst, file_name="brp.csv", row_count=1)
    area = dorst.process_areas.get()
    entry = RegisterEntry.objects.create(
        extract=extract,
        process=dorst,
        process_area=area,
        reference="R1",
        postcode=DORST_ZUID_POSTCODE,
        house_number="12",
        birth_date="1980-05-01",
        bsn_hash=bsn_hash(cast.municipality.pk, RESIDENT_BSN),
    )
    assert log_in(client, digid, dorst, "bewoner").status_code == 302
    code = VotingCode.objects.get(entry=entry)  # made for the row, without a text
    assert code.code_hash.startswith("digid:") and len(code.code_hash) == 64
    assert (code.age_band, code.used_channel) == ("45-64", "")
    vote(client, dorst)
    code.refresh_from_db()
    assert code.used_channel == "online"
    participation = Participation.objects.get()
    assert participation.voter_key == voter_key(dorst.pk, f"code:{code.pk}")

    # someone with DigiD who is not in the extract may not vote
    other = Client()
    refused = log_in(other, digid, dorst, "laag-niveau")
    assert refused.status_code == 403  # too low a level comes first
    refused = log_in(other, digid, dorst, "te-jong")
    assert refused.status_code == 403
    assert "Je staat niet op de lijst van bewoners die in deze ronde mogen stemmen." in text(
        refused
    )
    assert not has_pass(other, dorst)


# ----- bad responses: a Dutch message, 4xx, no pass ----------------------------------------------


@pytest.mark.parametrize(
    ("account", "status", "message"),
    [
        ("te-jong", 403, "Je kunt in deze ronde stemmen vanaf 16 jaar."),
        ("leeftijd-15", 403, "Je kunt in deze ronde stemmen vanaf 16 jaar."),
        (
            "zonder-bsn",
            400,
            "DigiD gaf je burgerservicenummer (BSN) niet door: zonder kunnen we niet nagaan of "
            "je al gestemd hebt.",
        ),
        (
            "laag-niveau",
            403,
            "Je logde in met DigiD op een te laag betrouwbaarheidsniveau om te stemmen. Log "
            "opnieuw in met de DigiD app of met een sms-controle.",
        ),
        ("elders", 403, "Je adres (postcode 4811 AA) ligt niet in een gebied van deze ronde."),
    ],
)
def test_a_login_that_cannot_vote_says_why(
    client: Client, digid: Provider, dorst: BudgetProcess, account: str, status: int, message: str
) -> None:
    response = log_in(client, digid, dorst, account)
    assert response.status_code == status
    assert message in text(response)
    assert not has_pass(client, dorst)
    assert Participation.objects.count() == 0


def test_a_token_for_another_audience_is_refused(
    client: Client, settings: Any, oidc_provider: Provider, dorst: BudgetProcess
) -> None:
    oidc_provider.configure(settings, client_id="wijkwerk-verkeerd")
    response = log_in(client, oidc_provider, dorst, "bewoner")
    assert response.status_code == 400
    assert "Het inloggen met DigiD kon niet worden gecontroleerd. Log opnieuw in." in text(response)
    assert not has_pass(client, dorst)


def test_an_expired_token_is_refused(
    client: Client, settings: Any, oidc_provider: Provider, dorst: BudgetProcess, monkeypatch: Any
) -> None:
    # ID tokens valid one second, and wijkwerk's clock two minutes ahead of the broker's: past
    # the minute of leeway the token has expired when wijkwerk checks it
    oidc_provider.configure(settings, client_id="wijkwerk-kort", leeway=60)
    monkeypatch.setattr(joserfc_claims, "_generate_now", lambda: int(time.time()) + 120)
    response = log_in(client, oidc_provider, dorst, "bewoner")
    assert response.status_code == 400
    assert "Het inloggen met DigiD is verlopen. Log opnieuw in." in text(response)
    assert not has_pass(client, dorst)


def test_a_cancelled_login_and_a_replayed_callback_are_refused(
    client: Client, digid: Provider, dorst: BudgetProcess
) -> None:
    back = digid.login(start(client, dorst), "bewoner", cancel=True)
    assert parse_qs(urlsplit(back).query)["error"] == ["access_denied"]
    response = client.get(callback_path(back))
    assert response.status_code == 400
    assert "Je hebt het inloggen met DigiD afgebroken." in text(response)

    back = digid.login(start(client, dorst), "bewoner")
    assert client.get(callback_path(back)).status_code == 302
    replay = client.get(callback_path(back))
    assert replay.status_code == 400
    assert "Dit inloggen hoort (niet meer) bij een stemming in deze browser." in text(replay)

    # a callback in another browser (no state in its session)
    stranger = Client()
    response = stranger.get(callback_path(back))
    assert response.status_code == 400
    assert not has_pass(stranger, dorst)


def test_a_round_without_digid_has_no_digid_login(
    client: Client, digid: Provider, cast: Any
) -> None:
    process = make_round(cast)
    response = client.get(reverse("budgeting:digid_start", args=[process.pk]))
    assert response.status_code == 404
    assert "In deze ronde kun je niet stemmen met DigiD." in text(response)
    assert "Met DigiD" not in text(client.get(reverse("budgeting:ballot", args=[process.pk])))


def test_an_unreachable_broker_is_said_so(
    client: Client, settings: Any, dorst: BudgetProcess
) -> None:
    settings.WIJKWERK_OIDC_ISSUER = "http://127.0.0.1:9"
    settings.WIJKWERK_OIDC_CLIENT_ID = "wijkwerk"
    response = client.get(reverse("budgeting:digid_start", args=[dorst.pk]))
    assert response.status_code == 503
    assert "DigiD is nu niet bereikbaar. Probeer het later opnieuw." in text(response)


def test_logins_begun_from_one_address_are_limited(
    client: Client, settings: Any, digid: Provider, dorst: BudgetProcess
) -> None:
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "digid": "2/m"}
    start(client, dorst)
    start(client, dorst)
    response = Client().get(reverse("budgeting:digid_start", args=[dorst.pk]))
    assert response.status_code == 429
    assert (
        "Je hebt dit te vaak kort na elkaar gedaan. Wacht even en probeer het dan opnieuw."
        in text(response)
    )


def test_with_a_register_a_business_is_its_row_and_paper_closes_the_digid_way(
    client: Client, digid: Provider, dorst: BudgetProcess, cast: Any
) -> None:
    extract = RegisterExtract.objects.create(process=dorst, file_name="brp.csv", row_count=2)
    area = dorst.process_areas.get()
    business = RegisterEntry.objects.create(
        extract=extract,
        process=dorst,
        process_area=area,
        reference="B1",
        capacity="entrepreneur",
        postcode=DORST_ZUID_POSTCODE,
        house_number="20",
        kvk_number="12345678",
    )
    resident = RegisterEntry.objects.create(
        extract=extract,
        process=dorst,
        process_area=area,
        reference="R1",
        postcode=DORST_ZUID_POSTCODE,
        house_number="12",
        birth_date="1980-05-01",
        bsn_hash=bsn_hash(cast.municipality.pk, RESIDENT_BSN),
    )
    assert log_in(client, digid, dorst, "ondernemer", entrepreneur=True).status_code == 302
    vote(client, dorst)
    code = VotingCode.objects.get(entry=business)
    assert (code.capacity, code.used_channel) == ("entrepreneur", "online")
    assert Participation.objects.get().voter_key == voter_key(dorst.pk, f"code:{code.pk}")

    # the resident's letter code was used on paper: DigiD opens no ballot for them
    VotingCode.objects.create(
        process=dorst,
        process_area=area,
        entry=resident,
        code_hash="0" * 64,
        used_channel="paper",
    )
    other = Client()
    refused = log_in(other, digid, dorst, "bewoner")
    assert refused.status_code == 403
    assert "Je hebt al op papier gestemd." in text(refused)
    assert not has_pass(other, dorst)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "state=not-ours&code=abc",
            "Dit inloggen hoort (niet meer) bij een stemming in deze browser.",
        ),
        (
            "state=not-ours&error=server_error&error_description=stuk",
            "Het inloggen met DigiD kon niet worden gecontroleerd. Log opnieuw in.",
        ),
        ("code=abc", "Dit inloggen hoort (niet meer) bij een stemming in deze browser."),
    ],
)
def test_a_forged_or_broken_way_back_is_refused(
    client: Client, digid: Provider, dorst: BudgetProcess, query: str, message: str
) -> None:
    start(client, dorst)  # a login begun in this browser, with its own state
    response = client.get(f"{reverse('budgeting:digid_return')}?{query}")
    assert response.status_code == 400
    assert message in text(response)
    assert not has_pass(client, dorst)


def test_a_broker_that_passes_on_an_age_instead_of_a_birth_date(
    client: Client, digid: Provider, dorst: BudgetProcess, cast: Any
) -> None:
    assert log_in(client, digid, dorst, "leeftijd-40").status_code == 302
    vote(client, dorst)
    participation = Participation.objects.get()
    assert participation.age_band == "30-44"
    key = f"bsn:{bsn_hash(cast.municipality.pk, '999990056')}"
    assert participation.voter_key == voter_key(dorst.pk, key)
