"""The plan pages with Django's test client: Dutch, field errors on bad input (400, nothing
saved), 403 for a step the policy does not allow, 404 for what a visitor may not see."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from wijkwerk.budgeting.models import Like, Plan
from wijkwerk.budgeting.states import FeasibilityVerdict, PlanStatus

from ..dutch import problems
from .factories import PlanFactory, make_round

pytestmark = pytest.mark.django_db


def url(name: str, pk: int) -> str:
    return reverse(f"budgeting:{name}", kwargs={"pk": pk})


def page(response) -> str:
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's text, without tags (for phrases that markup interrupts)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def field_error(html: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', html, re.S)
    assert match, f"no error on {field}"
    return text_of(match.group(1)).strip()


@pytest.fixture
def ideas(cast):
    process = make_round(cast, phase="ideas", likes_threshold=3)
    plan = PlanFactory(
        process=process,
        author=cast.applicant,
        title="Bankjes op het Dorpsplein",
        feasibility=FeasibilityVerdict.PENDING,
        like_count=0,
    )
    return process, plan


# --- the list --------------------------------------------------------------------------------


def test_the_list_says_for_each_plan_whether_it_is_on_the_ballot_and_why_not(cast, client) -> None:
    process = make_round(cast, phase="likes", likes_threshold=3)
    waiting = PlanFactory(
        process=process, title="Bankjes", feasibility=FeasibilityVerdict.PENDING, like_count=0
    )
    PlanFactory(process=process, title="Speeltuin", like_count=5)
    PlanFactory(
        process=process,
        title="Parkeergarage",
        feasibility=FeasibilityVerdict.INFEASIBLE,
        feasibility_reason="Past niet in het budget",
        like_count=9,
    )
    PlanFactory(
        process=process,
        title="Bankjes bij de kerk",
        status=PlanStatus.MERGED,
        merged_into=waiting,
        like_count=0,
    )
    PlanFactory(
        process=process,
        title="Scheldpartij",
        status=PlanStatus.HIDDEN,
        hidden_reason="Noemt een buurman bij naam",
    )
    response = client.get(url("plan_list", process.pk))
    assert response.status_code == 200
    html = page(response)
    text = text_of(html)
    assert "Plannen in Buurtbudget Dorst" in text
    assert "5 plannen" in text
    assert "nog 3 likes nodig · de gemeente heeft het nog niet beoordeeld" in text
    assert "Op het stembiljet" in text
    assert "niet haalbaar: Past niet in het budget" in text
    assert "samengevoegd met “Bankjes”" in text
    assert "verborgen: Noemt een buurman bij naam" in text
    assert "Scheldpartij" not in html  # a hidden plan's title is not shown to the public
    assert "Verborgen plan (nummer" in text
    assert "kost € 10.000,00" in text
    assert "Log in om plannen te liken." in text
    assert problems(html) == []
    # most likes first; hidden and merged plans last
    order = re.findall(r"(Speeltuin|Parkeergarage|Bankjes bij de kerk|Bankjes)", text)
    assert order[:3] == ["Parkeergarage", "Speeltuin", "Bankjes"]


def test_the_list_filters_by_area_and_sorts_by_newest(cast, client) -> None:
    process = make_round(
        cast,
        phase="likes",
        areas=[(cast.district, 3_000_000), (cast.other_district, 2_000_000)],
    )
    PlanFactory(process=process, area=cast.district, title="Dorpsplein", like_count=4)
    PlanFactory(process=process, area=cast.other_district, title="Slotjesveld", like_count=1)
    text = text_of(page(client.get(url("plan_list", process.pk), {"area": cast.other_district.pk})))
    assert "Slotjesveld" in text and "Dorpsplein" not in text
    assert "1 plan" in text
    newest = text_of(page(client.get(url("plan_list", process.pk), {"sort": "newest"})))
    assert newest.index("Slotjesveld") < newest.index("Dorpsplein")
    # a value that is no choice: the whole list, never an error
    response = client.get(url("plan_list", process.pk), {"area": "x", "sort": "'"})
    assert response.status_code == 200


def test_a_draft_rounds_plans_are_not_found_except_by_its_administrator(cast, client) -> None:
    draft = make_round(cast, phase="ideas", publish=False)
    plan = PlanFactory(process=draft)
    client.force_login(cast.neighbour)
    assert client.get(url("plan_list", draft.pk)).status_code == 404
    assert client.get(url("plan_detail", plan.pk)).status_code == 404
    assert client.get(url("plan_create", draft.pk)).status_code == 404
    client.force_login(cast.admin)
    assert client.get(url("plan_list", draft.pk)).status_code == 200
    assert client.get(url("plan_create", draft.pk)).status_code == 403


# --- submitting --------------------------------------------------------------------------------


def test_the_form_is_dutch_and_bad_input_gives_field_errors(cast, client, ideas) -> None:
    process, _plan = ideas
    create = url("plan_create", process.pk)
    assert client.get(create).status_code == 302  # to the login page
    client.force_login(cast.neighbour)
    html = page(client.get(create))
    assert "Dien een plan in voor Buurtbudget Dorst" in html
    assert 'name="latitude"' in html and 'id="location-map"' in html
    assert "Geschatte kosten" in html
    assert problems(html) == []
    response = client.post(
        create,
        {"title": "", "summary": "Kort", "area": cast.district.pk, "estimated_cost": "twaalf"},
    )
    assert response.status_code == 400
    html = page(response)
    assert field_error(html, "title") == "Dit veld is verplicht."
    assert (
        field_error(html, "estimated_cost") == "Vul een bedrag in euro's in, bijvoorbeeld 1.250,00."
    )
    response = client.post(
        create,
        {
            "title": "Jeu-de-boulesbaan",
            "summary": "Een baan achter het dorpshuis.",
            "area": cast.district.pk,
            "estimated_cost": "0",
            "picture": SimpleUploadedFile("baan.png", b"geen plaatje", "image/png"),
        },
    )
    assert response.status_code == 400
    html = page(response)
    assert field_error(html, "estimated_cost") == "Het bedrag moet groter zijn dan nul."
    assert field_error(html, "picture") == "Kies als afbeelding een PNG-, JPEG- of WebP-bestand."
    response = client.post(
        create,
        {
            "title": "Jeu-de-boulesbaan",
            "summary": "Een baan achter het dorpshuis.",
            "area": cast.other_district.pk,  # not one of the round's areas
            "estimated_cost": "1.250,50",
        },
    )
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in field_error(page(response), "area")
    assert Plan.objects.count() == 1


def test_a_plan_is_submitted_with_its_picture(cast, client, ideas) -> None:
    process, _plan = ideas
    client.force_login(cast.neighbour)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), "blue").save(buffer, format="PNG")
    response = client.post(
        url("plan_create", process.pk),
        {
            "title": "Jeu-de-boulesbaan",
            "summary": "Een baan achter het dorpshuis.",
            "area": cast.district.pk,
            "estimated_cost": "1.250,50",
            "address": "Dorpshuis, Dorst",
            "latitude": "51.590000",
            "longitude": "4.860000",
            "picture": SimpleUploadedFile("baan.png", buffer.getvalue(), "image/png"),
        },
    )
    plan = Plan.objects.get(title="Jeu-de-boulesbaan")
    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", plan.pk)
    assert plan.estimated_cost_cents == 125_050
    assert plan.author == cast.neighbour
    assert str(plan.latitude) == "51.590000"
    picture = client.get(reverse("budgeting:plan_picture", kwargs={"pk": plan.pk}))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"
    text = text_of(page(client.get(response["Location"])))
    assert "Bedankt! Je plan is gepubliceerd" in text
    assert "€ 1.250,50" in text


def test_an_initiative_fills_in_the_form(cast, client, ideas) -> None:
    process, _plan = ideas
    initiative = cast.draft()
    client.force_login(cast.applicant)
    html = page(
        client.post(url("plan_create", process.pk), {"initiative": initiative.pk, "prefill": "1"})
    )
    assert 'value="Geveltuinen in de Kerkstraat"' in html
    assert 'value="1.500,00"' in html
    assert "Samen geveltuinen aanleggen" in html
    assert Plan.objects.count() == 1  # nothing saved yet


def test_outside_the_ideas_phase_the_form_says_when(cast, client) -> None:
    process = make_round(cast, phase="likes")
    client.force_login(cast.neighbour)
    response = client.get(url("plan_create", process.pk))
    assert response.status_code == 200
    text = text_of(page(response))
    assert "Deze ronde neemt nu geen plannen aan." in text
    assert "Dat kan in de fase Plannen:" in text
    assert 'name="title"' not in page(response)


# --- a plan's page, liking -------------------------------------------------------------------


def test_the_plan_page_shows_the_verdict_and_likes_without_javascript(cast, client) -> None:
    process = make_round(cast, phase="likes", likes_threshold=1)
    plan = PlanFactory(
        process=process,
        author=cast.applicant,
        title="Speeltuin",
        municipal_cost_cents=1_750_000,
        feasibility_reason="Kan, met een valondergrond.",
        like_count=0,
    )
    client.force_login(cast.neighbour)
    html = page(client.get(url("plan_detail", plan.pk)))
    text = text_of(html)
    assert "Oordeel van de gemeente Haalbaar" in text
    assert "Kostenraming van de gemeente € 17.500,00 (de kosten op het stembiljet)" in text
    assert "Kan, met een valondergrond." in text
    assert "nog 1 like nodig" in text
    assert problems(html) == []
    assert f'action="{url("plan_like", plan.pk)}"' in html
    response = client.post(url("plan_like", plan.pk), {"next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", plan.pk)
    plan.refresh_from_db()
    assert plan.like_count == 1
    text = text_of(page(client.get(url("plan_detail", plan.pk))))
    assert "Je liket dit plan." in text
    assert "Op het stembiljet" in text
    assert client.get(url("plan_like", plan.pk)).status_code == 405
    client.force_login(cast.applicant)
    assert client.post(url("plan_like", plan.pk)).status_code == 403  # one's own plan
    assert "Dit is jouw plan: anderen kunnen het liken." in text_of(
        page(client.get(url("plan_detail", plan.pk)))
    )
    assert Like.objects.count() == 1


def test_a_like_outside_the_likes_phases_is_refused_with_a_message(cast, client) -> None:
    process = make_round(cast, phase="feasibility")
    plan = PlanFactory(process=process)
    client.force_login(cast.neighbour)
    response = client.post(url("plan_like", plan.pk), follow=True)
    assert "Plannen liken kan alleen zolang de ronde likes verzamelt." in text_of(page(response))
    assert Like.objects.count() == 0


def test_a_hidden_plan_shows_its_reason_and_hides_its_content(cast, client, ideas) -> None:
    _process, plan = ideas
    plan.status, plan.hidden_reason = PlanStatus.HIDDEN, "Noemt een buurman bij naam."
    plan.save()
    html = page(client.get(url("plan_detail", plan.pk)))
    assert "Een moderator heeft dit plan verborgen. De reden:" in html
    assert "Noemt een buurman bij naam." in html
    assert "Bankjes op het Dorpsplein" not in html
    client.force_login(cast.applicant)
    assert "Bankjes op het Dorpsplein" in page(client.get(url("plan_detail", plan.pk)))
    assert client.get(url("plan_edit", plan.pk)).status_code == 403


# --- changing ----------------------------------------------------------------------------------


def test_the_author_changes_the_plan(cast, client, ideas) -> None:
    _process, plan = ideas
    client.force_login(cast.neighbour)
    assert client.get(url("plan_edit", plan.pk)).status_code == 403
    client.force_login(cast.applicant)
    html = page(client.get(url("plan_edit", plan.pk)))
    assert "“Bankjes op het Dorpsplein” wijzigen" in html
    assert 'value="10.000,00"' in html
    data = {
        "title": "Vier bankjes",
        "summary": "Vier bankjes.",
        "area": cast.district.pk,
        "estimated_cost": "-5",
    }
    response = client.post(url("plan_edit", plan.pk), data)
    assert response.status_code == 400
    assert field_error(page(response), "estimated_cost") == "Het bedrag kan niet negatief zijn."
    response = client.post(url("plan_edit", plan.pk), {**data, "estimated_cost": "12.000"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.estimated_cost_cents) == ("Vier bankjes", 1_200_000)


# --- moderation and feasibility ----------------------------------------------------------------


def test_merging_from_the_page(cast, client, ideas) -> None:
    process, plan = ideas
    other = PlanFactory(process=process, author=cast.neighbour, title="Banken bij het plein")
    client.force_login(cast.neighbour)
    assert client.get(url("plan_merge", plan.pk)).status_code == 403
    client.force_login(cast.broker)
    html = page(client.get(url("plan_merge", plan.pk)))
    assert "“Bankjes op het Dorpsplein” samenvoegen met een ander plan" in html
    assert problems(html) == []
    response = client.post(url("plan_merge", plan.pk), {"into": ""})
    assert response.status_code == 400
    assert field_error(page(response), "into") == "Dit veld is verplicht."
    response = client.post(url("plan_merge", plan.pk), {"into": other.pk, "reason": "Dubbel."})
    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", other.pk)
    plan.refresh_from_db()
    assert plan.merged_into == other
    text = text_of(page(client.get(url("plan_detail", plan.pk))))
    assert "Dit plan is samengevoegd met “Banken bij het plein”" in text
    # again: refused with the service's message
    response = client.post(url("plan_merge", plan.pk), {"into": other.pk})
    assert response.status_code == 400
    assert "Een verborgen of al samengevoegd plan kan niet worden samengevoegd." in page(response)


def test_hiding_needs_a_reason_and_showing_brings_the_plan_back(cast, client, ideas) -> None:
    _process, plan = ideas
    client.force_login(cast.broker)
    response = client.post(url("plan_hide", plan.pk), {"reason": " "})
    assert response.status_code == 400
    assert field_error(page(response), "reason") == "Dit veld is verplicht."
    response = client.post(url("plan_hide", plan.pk), {"reason": "Reclame."})
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.HIDDEN
    assert client.get(url("plan_show", plan.pk)).status_code == 405
    assert client.post(url("plan_show", plan.pk)).status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.PUBLISHED
    response = client.post(url("plan_show", plan.pk))
    assert response.status_code == 400
    assert "Alleen een verborgen plan kan weer getoond worden." in page(response)
    client.force_login(cast.neighbour)
    assert client.post(url("plan_hide", plan.pk), {"reason": "Weg"}).status_code == 403


def test_recording_feasibility_from_the_reviewers_list(cast, client) -> None:
    process = make_round(cast, phase="feasibility")
    plan = PlanFactory(process=process, title="Speeltuin", feasibility=FeasibilityVerdict.PENDING)
    manage = url("manage_plans", process.pk)
    assert client.get(manage).status_code == 302
    client.force_login(cast.neighbour)
    assert client.get(manage).status_code == 403
    assert client.get(url("plan_feasibility", plan.pk)).status_code == 403
    client.force_login(cast.other_broker)  # the broker of Slotjes
    assert client.get(manage).status_code == 403
    client.force_login(cast.broker)
    html = page(client.get(manage))
    text = text_of(html)
    assert "Plannen beoordelen in Buurtbudget Dorst" in text
    assert "Nog te beoordelen: 1 · haalbaar: 0 · niet haalbaar: 0" in text
    assert problems(html) == []
    form = url("plan_feasibility", plan.pk)
    html = page(client.get(form))
    assert problems(html) == []
    response = client.post(form, {"feasibility": "feasible", "municipal_cost": ""})
    assert response.status_code == 400
    assert field_error(page(response), "municipal_cost") == (
        "Geef de kostenraming van de gemeente voor een haalbaar plan."
    )
    response = client.post(form, {"feasibility": "infeasible", "feasibility_reason": ""})
    assert response.status_code == 400
    assert field_error(page(response), "feasibility_reason") == (
        "Zeg waarom het plan niet haalbaar is."
    )
    response = client.post(form, {"feasibility": "pending"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in field_error(page(response), "feasibility")
    response = client.post(
        form,
        {
            "feasibility": "feasible",
            "municipal_cost": "12.500,00",
            "feasibility_reason": "De gemeente plaatst het speeltoestel.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == manage
    plan.refresh_from_db()
    assert (plan.feasibility, plan.municipal_cost_cents) == ("feasible", 1_250_000)
    text = text_of(page(client.get(manage)))
    assert "Nog te beoordelen: 0 · haalbaar: 1 · niet haalbaar: 0" in text
    assert "€ 12.500,00" in text


def test_no_verdicts_once_voting_began(cast, client) -> None:
    process = make_round(cast, phase="voting")
    plan = PlanFactory(process=process, feasibility=FeasibilityVerdict.PENDING)
    client.force_login(cast.broker)
    response = client.post(
        url("plan_feasibility", plan.pk), {"feasibility": "feasible", "municipal_cost": "100"}
    )
    assert response.status_code == 400
    assert "Het stemmen is begonnen" in page(response)
    assert Plan.objects.get(pk=plan.pk).feasibility == FeasibilityVerdict.PENDING


def test_the_list_and_the_reviewers_list_cost_the_same_queries_for_more_plans(cast, client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    process = make_round(cast, phase="likes")
    client.force_login(cast.broker)

    def queries(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(name, process.pk)).status_code == 200
        return len(captured)

    def more(count: int) -> None:
        for n in range(count):
            PlanFactory(process=process, like_count=n, status=PlanStatus.PUBLISHED)
        PlanFactory(process=process, status=PlanStatus.HIDDEN, hidden_reason="Reclame")
        first = Plan.objects.filter(process=process).first()
        PlanFactory(process=process, status=PlanStatus.MERGED, merged_into=first)

    more(2)
    few = (queries("plan_list"), queries("manage_plans"))
    more(20)
    assert (queries("plan_list"), queries("manage_plans")) == few


def test_a_picture_chosen_on_a_form_with_errors_is_kept_until_the_plan_is_saved(
    cast, client, ideas
) -> None:
    from wijkwerk.initiatives.models import PendingUpload

    process, _plan = ideas
    client.force_login(cast.neighbour)
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "red").save(buffer, format="PNG")
    data = {"summary": "Een baan.", "area": cast.district.pk, "estimated_cost": "4.750"}
    response = client.post(
        url("plan_create", process.pk),
        {**data, "picture": SimpleUploadedFile("baan.png", buffer.getvalue(), "image/png")},
    )
    assert response.status_code == 400
    kept = PendingUpload.objects.get(owner=cast.neighbour)
    html = page(response)
    assert "Gekozen: baan.png — wordt bewaard bij opslaan" in text_of(html)
    assert f'name="kept_picture" value="{kept.pk}"' in html
    # somebody else's kept file is never taken
    client.force_login(cast.outsider)
    client.post(
        url("plan_create", process.pk), {**data, "title": "Van een ander", "kept_picture": kept.pk}
    )
    assert not Plan.objects.get(title="Van een ander").picture
    client.force_login(cast.neighbour)
    response = client.post(
        url("plan_create", process.pk),
        {**data, "title": "Jeu-de-boulesbaan", "kept_picture": kept.pk},
    )
    assert response.status_code == 302
    plan = Plan.objects.get(title="Jeu-de-boulesbaan")
    assert plan.picture.name.endswith(".jpg")
    assert not PendingUpload.objects.exists()
