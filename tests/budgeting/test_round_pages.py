"""The rounds' pages: the administrator sets a round up through the form (with its areas'
rows) and publishes it; bad input gives the form's messages and saves nothing; others are kept
out; residents read the list and the round page in Dutch, and never a draft."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijkwerk.budgeting.models import BudgetProcess
from wijkwerk.budgeting.states import ProcessStatus

from ..cast import Cast
from .factories import make_round

pytestmark = pytest.mark.django_db

KINDS = ["ideas", "likes", "feasibility", "voting", "result", "execution"]


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form_data(cast: Cast, **overrides: Any) -> dict[str, Any]:
    """A complete round for Dorst (€ 30.000) and Slotjes (€ 20.000): six weekly phases from
    tomorrow, approval of 1 to 5 plans, equal shares."""
    start = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=1)
    data: dict[str, Any] = {
        "title": "Buurtbudget Dorst en Slotjes",
        "description": "Wat wil jij in je buurt?",
        "fund": str(cast.fund.pk),
        "budget_cents": "50.000,00",
        "minimum_age": "16",
        "maximum_age": "",
        "reference_date": "",
        "residents_vote": "on",
        "likes_threshold": "10",
        "ballot_type": "approval",
        "min_choices": "1",
        "max_choices": "5",
        "points": "",
        "rule": "mes",
        "completion": "add1",
        "tie_break": "min-cost,max-votes,file-order",
        "may_change_ballot": "on",
        "vote_with_account": "on",
        "register_retention_days": "30",
        "paper_share": "",
        "help_routes": "",
        "areas-TOTAL_FORMS": "3",
        "areas-INITIAL_FORMS": "0",
        "areas-MIN_NUM_FORMS": "0",
        "areas-MAX_NUM_FORMS": "40",
        "areas-0-area": str(cast.district.pk),
        "areas-0-budget": "30.000,00",
        "areas-1-area": str(cast.other_district.pk),
        "areas-1-budget": "20.000,00",
        "areas-2-area": "",
        "areas-2-budget": "",
    }
    for number, kind in enumerate(KINDS):
        data[f"phases-{kind}_starts_at"] = _local(start + datetime.timedelta(days=7 * number))
        data[f"phases-{kind}_ends_at"] = _local(start + datetime.timedelta(days=7 * number + 7))
    data.update(overrides)
    return data


def admin_client(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.admin)
    return client


def create_url(cast: Cast) -> str:
    return reverse("budgeting:manage_create", args=[cast.municipality.slug])


def errors_of(response: Any) -> str:
    return response.content.decode()


def test_the_admin_sets_up_a_round_through_the_form_and_publishes_it(cast: Cast) -> None:
    client = admin_client(cast)
    assert client.get(create_url(cast)).status_code == 200
    response = client.post(create_url(cast), form_data(cast))
    process = BudgetProcess.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("budgeting:manage_edit", args=[process.pk])
    assert process.status == ProcessStatus.DRAFT
    assert process.municipality == cast.municipality
    assert process.budget_cents == 5_000_000
    assert process.likes_threshold == 10
    assert (process.min_choices, process.max_choices) == (1, 5)
    assert sorted((a.area.name, a.budget_cents) for a in process.process_areas.all()) == [
        ("Dorst", 3_000_000),
        ("Slotjes", 2_000_000),
    ]
    assert [p.kind for p in process.phases.order_by("starts_at")] == KINDS
    assert process.created_by == cast.admin

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Publiceren…" in page.content.decode()
    # the confirmation, then publishing
    confirm = client.get(reverse("budgeting:manage_publish", args=[process.pk]))
    assert "Buurtbudget Dorst en Slotjes publiceren?" in confirm.content.decode()
    done = client.post(reverse("budgeting:manage_publish", args=[process.pk]))
    assert done.status_code == 302
    process.refresh_from_db()
    assert process.status == ProcessStatus.PUBLISHED
    assert process.ballot_key is not None


def test_one_row_more_keeps_what_was_typed_and_saves_nothing(cast: Cast) -> None:
    client = admin_client(cast)
    response = client.post(create_url(cast), {**form_data(cast), "add_area": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="areas-TOTAL_FORMS" value="4"' in html
    assert 'name="areas-3-area"' in html
    assert 'value="Buurtbudget Dorst en Slotjes"' in html
    assert "Niet opgeslagen" not in html
    assert not BudgetProcess.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"areas-1-budget": "15.000,00"},
            "De budgetten van de gebieden tellen op tot € 45.000,00, maar het budget van de "
            "ronde is € 50.000,00 (€ 5.000,00 verschil).",
        ),
        ({"likes_threshold": "-1"}, "Het aantal likes kan niet onder 0 liggen."),
        (
            {"phases-voting_starts_at": "", "phases-voting_ends_at": ""},
            "Een ronde heeft een stemfase nodig.",
        ),
        ({"areas-1-area": str(-1)}, "Selecteer een geldige keuze."),
    ],
)
def test_bad_input_gives_the_forms_message_and_saves_nothing(
    cast: Cast, overrides: dict[str, str], message: str
) -> None:
    response = admin_client(cast).post(create_url(cast), form_data(cast, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Niet opgeslagen" in html
    assert message in html
    assert not BudgetProcess.objects.exists()


def test_reversed_and_overlapping_phases_are_refused_in_words(cast: Cast) -> None:
    data = form_data(cast)
    # voting ends before it starts; the result starts before the voting's start
    data["phases-voting_ends_at"], data["phases-voting_starts_at"] = (
        data["phases-voting_starts_at"],
        data["phases-voting_ends_at"],
    )
    response = admin_client(cast).post(create_url(cast), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "De fase Stemmen eindigt (" in html
    assert ") voordat hij begint (" in html
    assert not BudgetProcess.objects.exists()


def test_another_municipalitys_area_or_fund_cannot_be_chosen(cast: Cast) -> None:
    response = admin_client(cast).post(
        create_url(cast), form_data(cast, **{"areas-1-area": str(cast.lith.pk)})
    )
    assert response.status_code == 400
    assert not BudgetProcess.objects.exists()


def test_a_published_round_is_edited_until_the_voting_starts(cast: Cast) -> None:
    client = admin_client(cast)
    process = make_round(cast, phase="ideas")
    url = reverse("budgeting:manage_edit", args=[process.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(cast, title="Buurtbudget Dorst 2027")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    process.refresh_from_db()
    assert process.title == "Buurtbudget Dorst 2027"
    assert process.status == ProcessStatus.PUBLISHED

    voting = make_round(cast, phase="voting", title="Stemronde")
    url = reverse("budgeting:manage_edit", args=[voting.pk])
    assert "De stemming in deze ronde is begonnen" in client.get(url).content.decode()
    response = client.post(url, form_data(cast, title="Iets anders"))
    assert response.status_code == 400
    voting.refresh_from_db()
    assert voting.title == "Stemronde"


@pytest.mark.parametrize("who", ["applicant", "broker", "clerk"])
def test_others_may_not_set_up_rounds(cast: Cast, who: str) -> None:
    client = Client()
    client.force_login(getattr(cast, who))
    assert client.get(reverse("budgeting:manage_list", args=["oosterhout"])).status_code == 403
    assert client.get(create_url(cast)).status_code == 403
    assert client.post(create_url(cast), form_data(cast)).status_code == 403
    draft = make_round(cast, publish=False)
    public = make_round(cast, phase="ideas", title="Openbaar")
    assert client.get(reverse("budgeting:manage_edit", args=[draft.pk])).status_code == 404
    assert client.get(reverse("budgeting:manage_edit", args=[public.pk])).status_code == 403
    assert client.post(reverse("budgeting:manage_publish", args=[draft.pk])).status_code == 404
    assert client.post(reverse("budgeting:manage_close", args=[public.pk])).status_code == 403
    draft.refresh_from_db()
    public.refresh_from_db()
    assert (draft.status, public.status) == (ProcessStatus.DRAFT, ProcessStatus.PUBLISHED)


def test_another_municipalitys_admin_gets_404(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.oss_admin)
    assert client.get(reverse("budgeting:manage_list", args=["oosterhout"])).status_code == 404
    draft = make_round(cast, publish=False)
    assert client.get(reverse("budgeting:manage_edit", args=[draft.pk])).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(cast: Cast) -> None:
    response = Client().get(create_url(cast))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "inloggen" in response["Location"]


def test_the_public_list_and_page_in_dutch(cast: Cast) -> None:
    make_round(cast, phase="voting")
    make_round(cast, publish=False, title="Concept voor later")
    client = Client()
    listing = client.get(reverse("budgeting:round_list")).content.decode()
    assert "Buurtbudget Dorst" in listing
    assert "Concept voor later" not in listing
    assert "€ 50.000,00" in listing
    assert "Nu: Stemmen" in listing

    process = BudgetProcess.objects.get(title="Buurtbudget Dorst")
    page = client.get(reverse("budgeting:round_detail", args=[process.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Iedereen van 16 jaar of ouder die in Dorst woont, mag stemmen." in html
    assert reverse("budgeting:ballot", args=[process.pk]) in html
    assert "Stemmen</h3>" not in html or "nu</span>" in html
    assert "Methode van Gelijke Delen" in html


def test_a_draft_is_the_admins_only(cast: Cast) -> None:
    draft = make_round(cast, publish=False)
    url = reverse("budgeting:round_detail", args=[draft.pk])
    assert Client().get(url).status_code == 404
    resident = Client()
    resident.force_login(cast.applicant)
    assert resident.get(url).status_code == 404
    page = admin_client(cast).get(url)
    assert page.status_code == 200
    assert "nog niet gepubliceerd" in page.content.decode()


def test_the_admin_closes_the_voting(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    queued: list[int] = []
    monkeypatch.setattr(
        "wijkwerk.budgeting.services.results.enqueue_count",
        lambda process: queued.append(process.pk),
    )
    process = make_round(cast, phase="voting")
    client = admin_client(cast)
    url = reverse("budgeting:manage_close", args=[process.pk])
    assert "nu sluiten beëindigt hem eerder" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    process.refresh_from_db()
    assert process.status == ProcessStatus.CLOSED
    assert queued == [process.pk]
    # closing twice says so
    again = client.post(url)
    assert again.status_code == 400


@pytest.mark.parametrize(
    "overrides",
    [
        {"areas-TOTAL_FORMS": "99999"},
        {"areas-TOTAL_FORMS": "x", "add_area": "1"},
        {"areas-TOTAL_FORMS": "", "areas-INITIAL_FORMS": ""},
        {"phases-voting_starts_at": "2026-13-45T99:99"},
        {"budget_cents": "1" * 40},
        {"title": "Twee\nregels"},
    ],
)
def test_hostile_input_is_a_form_error_never_a_500(cast: Cast, overrides: dict[str, str]) -> None:
    response = admin_client(cast).post(create_url(cast), form_data(cast, **overrides))
    assert response.status_code in (200, 400)
    assert not BudgetProcess.objects.exists()


def test_the_round_page_reads_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    small = make_round(cast, phase="ideas")
    large = make_round(
        cast,
        phase="ideas",
        title="Groot",
        areas=[(cast.district, 1_000_000), (cast.other_district, 1_000_000)],
    )
    client = Client()
    counts = []
    for process in (small, large):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("budgeting:round_detail", args=[process.pk]))
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8
    with django_assert_max_num_queries(8):
        client.get(reverse("budgeting:round_list"))


def test_the_set_up_page_warns_of_a_plan_the_fund_cannot_pay(cast: Cast) -> None:
    from .factories import PlanFactory

    process = make_round(cast, phase="feasibility")
    PlanFactory(process=process, title="Skatebaan", estimated_cost_cents=600_000)
    PlanFactory(process=process, title="Bankje", estimated_cost_cents=40_000)
    response = admin_client(cast).get(reverse("budgeting:manage_edit", args=[process.pk]))
    text = response.content.decode()
    assert "Wat het fonds niet kan betalen als het gekozen wordt:" in text
    assert "Skatebaan" in text and "€ 6.000,00" in text and "€ 5.000,00" in text
    assert "Bankje" not in text
