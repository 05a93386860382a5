"""The ballot pages: choose, check, confirm, receipt, and the public receipt check.

Every bad ballot comes back with its own message and a 4xx status, and nothing is saved; the
receipt code is shown once, in the response that cast the ballot, and kept nowhere else.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.factories import UserFactory
from wijkwerk.budgeting.models import Ballot, BallotType, BudgetProcess, Participation
from wijkwerk.budgeting.services import voting
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.core.models import AuditEvent

from .factories import PlanFactory, make_round

pytestmark = pytest.mark.django_db

RECEIPT = re.compile(r'id="receipt-code">([2-9A-Z]{4}(?:-[2-9A-Z]{4}){3})<')


def ballot_url(process: BudgetProcess) -> str:
    return reverse("budgeting:ballot", args=[process.pk])


def confirm_url(process: BudgetProcess) -> str:
    return reverse("budgeting:ballot_confirm", args=[process.pk])


def text(response: Any) -> str:
    """The page's text with its tags and extra white space gone."""
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    html = re.sub(r"</?(span|strong)\b[^>]*>", "", html)  # inline: no space
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def receipt_code(response: Any) -> str:
    found = RECEIPT.search(response.content.decode())
    assert found, text(response)
    return found.group(1)


def assert_nothing_saved() -> None:
    assert Ballot.objects.count() == 0
    assert Participation.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="ballot.").exists()


# ----- happy paths ------------------------------------------------------------------------------


def test_approval_ballot_from_choice_to_receipt(client: Client, cast: Any) -> None:
    process = make_round(cast, min_choices=1, max_choices=2)
    speeltuin = PlanFactory(process=process, title="Speeltuin", estimated_cost_cents=1_200_000)
    bankjes = PlanFactory(process=process, title="Bankjes", estimated_cost_cents=300_050)
    PlanFactory(process=process, title="Bloembakken")
    client.force_login(cast.applicant)

    page = client.get(ballot_url(process))
    assert page.status_code == 200
    words = text(page)
    assert "Stem op de plannen voor Dorst" in words
    assert "Kies 1 tot en met 2 plannen." in words
    assert "Kost € 12.000,00" in words and "Kost € 3.000,50" in words
    assert "Kies “Speeltuin”" in words
    assert "Bedrag bijwerken" not in words  # no budget meter on an approval ballot
    plan_link = reverse("budgeting:plan_detail", args=[speeltuin.pk])
    assert f'href="{plan_link}"' in page.content.decode()

    check = client.post(ballot_url(process), {"plan": [speeltuin.pk, bankjes.pk], "next": "1"})
    assert check.status_code == 200
    words = text(check)
    assert "Controleer je stem" in words
    assert "Je stemt op deze 2 plannen voor Dorst:" in words
    assert "Bevestig je stem" in words and "Terug" in words
    html = check.content.decode()
    assert f'<input type="hidden" name="plan" value="{speeltuin.pk}">' in html
    assert f'<input type="hidden" name="plan" value="{bankjes.pk}">' in html
    assert_nothing_saved()

    # "Terug" shows the ballot again with the same choices
    back = client.post(ballot_url(process), {"plan": [speeltuin.pk, bankjes.pk], "back": "1"})
    assert back.status_code == 200
    assert (
        len(
            re.findall(
                r'name="plan" value="\d+" id="plan-\d+" data-cost="\d+" checked',
                back.content.decode(),
            )
        )
        == 2
    )

    receipt = client.post(confirm_url(process), {"plan": [speeltuin.pk, bankjes.pk]})
    assert receipt.status_code == 200
    code = receipt_code(receipt)
    assert "Je stem is ontvangen" in text(receipt)
    assert reverse("budgeting:receipt_check") in receipt.content.decode()
    assert "no-store" in receipt["Cache-Control"]
    ballot = Ballot.objects.get()
    assert ballot.choices == sorted([[speeltuin.pk, 1], [bankjes.pk, 1]])
    assert ballot.area == cast.district
    assert voting.receipt_status(code) == (process, False)
    participation = Participation.objects.get()
    assert (participation.user, participation.area) == (cast.applicant, cast.district)
    event = AuditEvent.objects.get(action="ballot.cast")
    assert str(speeltuin.pk) not in str(event.after) and "Speeltuin" not in str(event.after)


def test_knapsack_meter_is_counted_by_the_server_and_the_ballot_is_cast(
    client: Client, cast: Any
) -> None:
    process = make_round(cast, ballot_type=BallotType.KNAPSACK)  # € 50.000,00 for Dorst
    a = PlanFactory(process=process, title="Speeltuin", estimated_cost_cents=1_200_000)
    b = PlanFactory(process=process, title="Moestuin", estimated_cost_cents=2_000_000)
    c = PlanFactory(process=process, title="Skatebaan", estimated_cost_cents=3_000_000)
    client.force_login(cast.applicant)

    words = text(client.get(ballot_url(process)))
    assert "Gekozen: € 0,00 van € 50.000,00 — nog € 50.000,00 over" in words
    assert "Bedrag bijwerken" in words

    update = client.post(ballot_url(process), {"plan": [a.pk, b.pk], "recalculate": "1"})
    assert update.status_code == 200
    words = text(update)
    assert "Gekozen: € 32.000,00 van € 50.000,00 — nog € 18.000,00 over" in words
    assert "Te veel:" not in words
    assert "ballot-meter--over" not in update.content.decode()

    over = client.post(ballot_url(process), {"plan": [a.pk, b.pk, c.pk], "recalculate": "1"})
    assert over.status_code == 200  # recalculating is not sending: no error yet
    words = text(over)
    assert "Te veel: Gekozen: € 62.000,00 van € 50.000,00 — € 12.000,00 boven het budget" in words
    assert "ballot-meter--over" in over.content.decode()
    assert "Je stem is nog niet verstuurd" not in words

    check = client.post(ballot_url(process), {"plan": [b.pk, c.pk], "next": "1"})
    assert check.status_code == 200
    assert "Samen: € 50.000,00 van het budget van € 50.000,00." in text(check)
    receipt = client.post(confirm_url(process), {"plan": [b.pk, c.pk]})
    assert receipt.status_code == 200
    receipt_code(receipt)
    assert Ballot.objects.get().choices == [[b.pk, 1], [c.pk, 1]]


def test_points_ballot_gives_points(client: Client, cast: Any) -> None:
    process = make_round(cast, ballot_type=BallotType.CUMULATIVE, points=10, max_choices=None)
    a = PlanFactory(process=process, title="Speeltuin")
    b = PlanFactory(process=process, title="Moestuin")
    PlanFactory(process=process, title="Skatebaan")
    client.force_login(cast.applicant)

    words = text(client.get(ballot_url(process)))
    assert "Verdeel 10 punten over de plannen" in words
    assert "Punten voor “Speeltuin”" in words
    assert "Verdeeld: 0 van 10 punten — nog 10 over" in words

    update = client.post(
        ballot_url(process), {f"points-{a.pk}": "6", f"points-{b.pk}": "3", "recalculate": "1"}
    )
    assert "Verdeeld: 9 van 10 punten — nog 1 over" in text(update)
    assert f'name="points-{a.pk}" id="points-{a.pk}" value="6"' in update.content.decode()

    check = client.post(
        ballot_url(process), {f"points-{a.pk}": "6", f"points-{b.pk}": "4", "next": "1"}
    )
    assert check.status_code == 200
    assert "Samen: 10 punten." in text(check)
    receipt = client.post(confirm_url(process), {f"points-{a.pk}": "6", f"points-{b.pk}": "4"})
    assert receipt.status_code == 200
    receipt_code(receipt)
    assert Ballot.objects.get().choices == sorted([[a.pk, 6], [b.pk, 4]])


def test_an_entrepreneur_votes_in_the_area_of_the_business(client: Client, cast: Any) -> None:
    process = make_round(cast, entrepreneurs_vote=True)
    plan = PlanFactory(process=process)
    client.force_login(cast.outsider)  # lives in Slotjes, has a business in Dorst
    refused = client.get(ballot_url(process))
    assert refused.status_code == 403
    assert "Stem als ondernemer" in text(refused)
    data = {"capacity": "entrepreneur", "area": str(cast.district.pk)}
    page = client.get(ballot_url(process), data)
    assert page.status_code == 200
    assert 'name="capacity" value="entrepreneur"' in page.content.decode()
    receipt = client.post(confirm_url(process), {**data, "plan": plan.pk})
    assert receipt.status_code == 200
    assert Participation.objects.get().user == cast.outsider


# ----- bad ballots: a message, 4xx, nothing saved ------------------------------------------------


@pytest.mark.parametrize("url", [ballot_url, confirm_url])
def test_too_many_plans(client: Client, cast: Any, url: Any) -> None:
    process = make_round(cast, max_choices=2)
    plans = PlanFactory.create_batch(3, process=process)
    client.force_login(cast.applicant)
    response = client.post(url(process), {"plan": [p.pk for p in plans], "next": "1"})
    assert response.status_code == 400
    words = text(response)
    assert "Je hebt 3 plannen gekozen; kies er hoogstens 2." in words
    assert "Je stem is nog niet verstuurd: verbeter het volgende." in words
    assert_nothing_saved()


@pytest.mark.parametrize("url", [ballot_url, confirm_url])
def test_empty_ballot_where_a_minimum_applies(client: Client, cast: Any, url: Any) -> None:
    process = make_round(cast, min_choices=1)
    PlanFactory(process=process)
    client.force_login(cast.applicant)
    response = client.post(url(process), {"next": "1"})
    assert response.status_code == 400
    assert "Kies minstens één plan." in text(response)
    assert_nothing_saved()


def test_over_the_budget(client: Client, cast: Any) -> None:
    process = make_round(cast, ballot_type=BallotType.KNAPSACK)
    plans = [PlanFactory(process=process, estimated_cost_cents=2_000_000) for _ in range(3)]
    client.force_login(cast.applicant)
    response = client.post(confirm_url(process), {"plan": [p.pk for p in plans]})
    assert response.status_code == 400
    words = text(response)
    assert (
        "Je plannen kosten € 60.000,00: € 10.000,00 meer dan het budget van € 50.000,00." in words
    )
    # the ballot again, the choices kept, the meter marked
    assert "Te veel: Gekozen: € 60.000,00 van € 50.000,00" in words
    assert_nothing_saved()


def test_too_many_points_and_points_that_are_no_number(client: Client, cast: Any) -> None:
    process = make_round(cast, ballot_type=BallotType.CUMULATIVE, points=10, max_choices=None)
    a = PlanFactory(process=process, title="Speeltuin")
    b = PlanFactory(process=process)
    client.force_login(cast.applicant)
    response = client.post(confirm_url(process), {f"points-{a.pk}": "8", f"points-{b.pk}": "3"})
    assert response.status_code == 400
    assert "Je hebt 11 punten gegeven; je hebt er 10." in text(response)
    response = client.post(confirm_url(process), {f"points-{a.pk}": "-2"})
    assert response.status_code == 400
    assert "Geef de punten voor “Speeltuin” als heel getal, 0 of meer." in text(response)
    response = client.post(confirm_url(process), {f"points-{a.pk}": "9" * 5000})
    assert response.status_code == 400
    assert_nothing_saved()


@pytest.mark.parametrize("forged", ["999999", "abc", "1e3", "9" * 5000, "\x00"])
def test_a_forged_plan_id(client: Client, cast: Any, forged: str) -> None:
    process = make_round(cast)
    plan = PlanFactory(process=process)
    client.force_login(cast.applicant)
    response = client.post(confirm_url(process), {"plan": [plan.pk, forged]})
    assert response.status_code == 400
    words = text(response)
    assert (
        "Het stembiljet bevat een plan dat niet op het stembiljet van Dorst staat." in words
        or "Het stembiljet bevat een plan dat er niet op staat." in words
    )
    assert_nothing_saved()


def test_a_plan_of_another_area(client: Client, cast: Any) -> None:
    process = make_round(cast, areas=[(cast.district, 5_000_000), (cast.other_district, 3_000_000)])
    PlanFactory(process=process, area=cast.district)
    slotjes = PlanFactory(process=process, area=cast.other_district, title="Slotjes speelt")
    client.force_login(cast.applicant)
    page = client.get(ballot_url(process))
    assert "Slotjes speelt" not in text(page)
    response = client.post(confirm_url(process), {"plan": [slotjes.pk]})
    assert response.status_code == 400
    assert "Het stembiljet bevat een plan dat niet op het stembiljet van Dorst staat." in text(
        response
    )
    assert_nothing_saved()


def test_a_plan_not_on_the_ballot_is_refused(client: Client, cast: Any) -> None:
    process = make_round(cast, likes_threshold=5)
    liked = PlanFactory(process=process, like_count=5)
    unliked = PlanFactory(process=process, like_count=4, title="Te weinig likes")
    client.force_login(cast.applicant)
    assert "Te weinig likes" not in text(client.get(ballot_url(process)))
    response = client.post(confirm_url(process), {"plan": [liked.pk, unliked.pk]})
    assert response.status_code == 400
    assert_nothing_saved()


@pytest.mark.parametrize("phase", ["likes", "result"])
def test_a_round_whose_voting_is_not_open(client: Client, cast: Any, phase: str) -> None:
    process = make_round(cast, phase=phase)
    plan = PlanFactory(process=process)
    client.force_login(cast.applicant)
    page = client.get(ballot_url(process))
    assert page.status_code == 403
    expected = (
        "Het stemmen in Buurtbudget Dorst is nog niet begonnen."
        if phase == "likes"
        else "Het stemmen in Buurtbudget Dorst is gesloten."
    )
    assert expected in text(page)
    response = client.post(confirm_url(process), {"plan": [plan.pk]})
    assert response.status_code == 403
    assert expected in text(response)
    assert_nothing_saved()


def test_a_round_closed_while_the_voter_was_choosing(client: Client, cast: Any) -> None:
    process = make_round(cast)
    plan = PlanFactory(process=process)
    client.force_login(cast.applicant)
    client.post(ballot_url(process), {"plan": [plan.pk], "next": "1"})
    voting.voting_close(actor=cast.admin, process=process)
    response = client.post(confirm_url(process), {"plan": [plan.pk]})
    assert response.status_code == 403
    assert "Het stemmen in Buurtbudget Dorst is gesloten." in text(response)
    assert Ballot.objects.count() == Participation.objects.count() == 0


def test_an_outsider_gets_no_ballot(client: Client, cast: Any) -> None:
    process = make_round(cast)
    plan = PlanFactory(process=process)
    client.force_login(cast.outsider)
    page = client.get(ballot_url(process))
    assert page.status_code == 403
    words = text(page)
    assert "Je kunt in deze ronde niet stemmen" in words
    assert "Je woont niet in een gebied van deze ronde (Slotjes is je woongebied)." in words
    assert reverse("accounts:profile") in page.content.decode()
    response = client.post(confirm_url(process), {"plan": [plan.pk]})
    assert response.status_code == 403
    assert_nothing_saved()


def test_without_a_date_of_birth_the_page_says_where_to_fill_it_in(
    client: Client, cast: Any
) -> None:
    process = make_round(cast)
    PlanFactory(process=process)
    person = UserFactory(home_area=cast.neighbourhood, birth_date=None)
    client.force_login(person)
    page = client.get(ballot_url(process))
    assert page.status_code == 403
    assert "Vul je geboortedatum in je profiel in: deze ronde heeft een leeftijdsgrens." in text(
        page
    )
    assert f'href="{reverse("accounts:profile")}#details-heading"' in page.content.decode()


def test_a_draft_round_is_not_found_and_anonymous_visitors_are_shown_the_ways_in(
    client: Client, cast: Any
) -> None:
    draft = make_round(cast, publish=False)
    assert client.get(ballot_url(draft)).status_code == 404
    process = make_round(cast)
    page = client.get(ballot_url(process))
    assert page.status_code == 200
    assert f"Zo stem je in {process.title}" in text(page)
    login = reverse("account_login") + "?next=" + ballot_url(process).replace("/", "%2F")
    assert f'href="{login}"' in page.content.decode()
    client.force_login(cast.applicant)
    assert client.get(ballot_url(draft)).status_code == 404
    assert client.get(reverse("budgeting:ballot", args=[999999])).status_code == 404
    assert client.get(confirm_url(draft)).status_code == 405


def test_a_second_ballot_where_changes_are_not_allowed(client: Client, cast: Any) -> None:
    process = make_round(cast, may_change_ballot=False)
    plan = PlanFactory(process=process)
    client.force_login(cast.applicant)
    assert client.post(confirm_url(process), {"plan": [plan.pk]}).status_code == 200
    page = client.get(ballot_url(process))
    assert page.status_code == 200
    words = text(page)
    assert "Je hebt al gestemd" in words and "In deze ronde kun je je stem niet wijzigen." in words
    again = client.post(confirm_url(process), {"plan": [plan.pk]})
    assert again.status_code == 409
    assert "Je hebt al gestemd" in text(again)
    assert Ballot.objects.count() == Participation.objects.count() == 1


def test_a_changed_ballot_replaces_the_first_and_its_receipt(client: Client, cast: Any) -> None:
    process = make_round(cast)  # voters may change their ballot
    a, b = PlanFactory.create_batch(2, process=process)
    client.force_login(cast.applicant)
    first = receipt_code(client.post(confirm_url(process), {"plan": [a.pk]}))
    page = client.get(ballot_url(process))
    words = text(page)
    assert "Je hebt al gestemd" in words
    assert "we weten niet wat je hebt gekozen, dus het stembiljet hieronder is leeg" in words
    assert " checked" not in page.content.decode()
    receipt = client.post(confirm_url(process), {"plan": [b.pk]})
    assert "Je nieuwe stem is ontvangen" in text(receipt)
    second = receipt_code(receipt)
    assert Ballot.objects.get().choices == [[b.pk, 1]]
    assert voting.receipt_status(first) is None
    assert voting.receipt_status(second) == (process, False)
    assert AuditEvent.objects.filter(action="ballot.change").count() == 1


def test_casting_is_rate_limited(client: Client, cast: Any, settings: Any) -> None:
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "vote": "2/m"}
    process = make_round(cast)
    plan = PlanFactory(process=process)
    client.force_login(cast.applicant)
    # the first ballot is not counted (one per person anyway), the two changes are
    for _ in range(3):
        assert client.post(confirm_url(process), {"plan": [plan.pk]}).status_code == 200
    limited = client.post(confirm_url(process), {"plan": [plan.pk]})
    assert limited.status_code == 429
    assert "Je hebt dit te vaak kort na elkaar gedaan." in text(limited)
    assert Ballot.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="ballot.").count() == 3


# ----- the receipt code: shown once, kept nowhere -----------------------------------------------


def test_the_receipt_code_is_kept_nowhere(client: Client, cast: Any) -> None:
    process = make_round(cast)
    plan = PlanFactory(process=process)
    client.force_login(cast.applicant)
    receipt = client.post(confirm_url(process), {"plan": [plan.pk]})
    code = receipt_code(receipt)
    for session in Session.objects.all():
        decoded = str(session.get_decoded())
        assert code not in decoded and code.replace("-", "") not in decoded
        assert code not in session.session_data
    assert all(code not in morsel.value for morsel in receipt.cookies.values())
    for url in [ballot_url(process), reverse("budgeting:receipt_check"), "/"]:
        later = client.get(url, follow=True)
        assert code not in later.content.decode()
    assert not Ballot.objects.filter(receipt_hash__contains=code).exists()
    assert not AuditEvent.objects.filter(after__icontains=code).exists()


def test_the_receipt_check_answers_received_counting_counted_and_unknown(
    client: Client, cast: Any
) -> None:
    process = make_round(cast)
    plan = PlanFactory(process=process)
    client.force_login(cast.applicant)
    code = receipt_code(client.post(confirm_url(process), {"plan": [plan.pk]}))
    visitor = Client()  # anyone, no login
    url = reverse("budgeting:receipt_check")
    assert visitor.get(url).status_code == 200

    def answer(typed: str) -> str:
        response = visitor.post(url, {"code": typed})
        assert response.status_code == 200, text(response)
        words = text(response)
        assert plan.title not in words and "Anna" not in words
        return words

    assert (
        "Je stem in Buurtbudget Dorst is ontvangen en wordt geteld na de sluiting van het stemmen."
        in answer(code)
    )
    assert "ontvangen" in answer(code.lower().replace("-", " "))  # typed as it comes
    assert "We kennen deze code niet." in answer("ABCD-EFGH-JKLM-NPQR")
    BudgetProcess.objects.filter(pk=process.pk).update(status=ProcessStatus.CLOSED)
    assert "De stemming is gesloten; de stemmen worden nu geteld." in answer(code)
    BudgetProcess.objects.filter(pk=process.pk).update(status=ProcessStatus.COUNTED)
    assert "Je stem in Buurtbudget Dorst is geteld." in answer(code)

    short = visitor.post(url, {"code": "ABCD"})
    assert short.status_code == 400
    assert "Een stembewijscode heeft 16 letters en cijfers; je typte er 4." in text(short)
    empty = visitor.post(url, {"code": ""})
    assert empty.status_code == 400
    assert "Typ de stembewijscode die je hebt gekregen." in text(empty)


def test_the_receipt_check_is_rate_limited_per_address(cast: Any, settings: Any) -> None:
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "receipt_check": "3/m"}
    url = reverse("budgeting:receipt_check")
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert guesser.post(url, {"code": "ABCD-EFGH-JKLM-NPQR"}).status_code == 200
    limited = guesser.post(url, {"code": "ABCD-EFGH-JKLM-NPQR"})
    assert limited.status_code == 429
    words = text(limited)
    assert "Je hebt dit te vaak kort na elkaar gedaan." in words
    assert "We kennen deze code niet" not in words  # no answer while limited
    other = Client(REMOTE_ADDR="203.0.113.8")
    assert other.post(url, {"code": "ABCD-EFGH-JKLM-NPQR"}).status_code == 200


def test_the_ballot_page_takes_the_same_queries_for_3_or_30_plans(cast: Any) -> None:
    process = make_round(cast, ballot_type=BallotType.KNAPSACK)
    client = Client()
    client.force_login(cast.applicant)
    counts = []
    for batch in (3, 27):
        PlanFactory.create_batch(batch, process=process)
        client.get(ballot_url(process))  # the session and the like, warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ballot_url(process))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # session, user with her roles, round, its areas with their areas, phases, the home area,
    # the plans, voted?
    assert counts == [8, 8], [q["sql"] for q in queries.captured_queries]


def test_the_administrator_of_a_draft_round_is_told_the_voting_has_not_started(
    client: Client, cast: Any
) -> None:
    draft = make_round(cast, publish=False)
    client.force_login(cast.admin)
    page = client.get(ballot_url(draft))
    assert page.status_code == 403
    words = text(page)
    assert "Het stemmen is nog niet begonnen" in words
    assert "Het stemmen in Buurtbudget Dorst is nog niet begonnen." in words


def test_a_first_ballot_takes_a_fixed_number_of_queries(cast: Any) -> None:
    """The busiest request of a round: no look-up of an earlier ballot, no rate limit (the
    register takes one ballot per person), the plans' costs only."""
    process = make_round(cast)
    plans = PlanFactory.create_batch(12, process=process)
    client = Client()
    client.force_login(cast.applicant)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(confirm_url(process), {"plan": [plans[0].pk, plans[5].pk]})
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # session, user with her roles, round, its areas, phases, home area, plans; under the ballot
    # box (on PostgreSQL its advisory lock, one query more): the round's status, the register,
    # the ballot, the audit event
    assert len(sql) == (12 if connection.vendor == "postgresql" else 11), sql
    assert not any("budgeting_participation" in q and q.startswith("SELECT") for q in sql)
    assert not any("wijkwerk_cache" in q for q in sql)
