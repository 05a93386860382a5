"""The pages: forms with bad input (clear message, 4xx, nothing saved), script shown as text,
the search's queries constant in its rows, the accept page and what it shares, questions and
the area page's panel."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijkwerk.core import panels
from wijkwerk.expertise import services
from wijkwerk.expertise.models import Answer, Invitation, Offer, Question
from wijkwerk.initiatives.models import Initiative

from ..accounts.factories import UserFactory
from . import factories

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def offer_post(cast: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "skill",
        "title": "Timmerwerk",
        "description": "Bankjes en kasten.",
        "tags": "timmeren, hout",
        "areas": [cast.neighbourhood.pk],
        "availability": "Zaterdag",
        "available_until": "",
        "visibility": "officials",
    }
    data.update(overrides)
    return data


def test_a_resident_makes_an_offer(cast):
    response = client_for(cast.neighbour).post(reverse("expertise:offer_create"), offer_post(cast))
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("expertise:offer", kwargs={"pk": offer.pk})
    assert offer.tags_text == "timmeren hout"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"title": "<script>alert(1)</script>"},
            "Schrijf gewone tekst, zonder HTML zoals &lt;script&gt; of &lt;b&gt;.",
        ),
        ({"description": "x" * 2001}, "Zorg dat deze waarde niet meer dan 2000 tekens bevat"),
        ({"tags": "timmeren, <b>"}, "kan niet: een trefwoord heeft hoogstens 30 letters"),
        ({"areas": ["999999"]}, "Kies gebieden van je eigen gemeente."),
        ({"areas": []}, "Kies minstens één gebied."),
        ({"visibility": "friends"}, "Selecteer een geldige keuze."),
    ],
)
def test_bad_offers_come_back_with_a_message_and_nothing_saved(cast, overrides, message):
    response = client_for(cast.neighbour).post(
        reverse("expertise:offer_create"), offer_post(cast, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Offer.objects.exists()


def test_areas_of_another_municipality_are_not_offered(cast):
    response = client_for(cast.neighbour).post(
        reverse("expertise:offer_create"), offer_post(cast, areas=[cast.lith.pk])
    )
    assert response.status_code == 400
    assert "Kies gebieden van je eigen gemeente." in response.content.decode()
    assert not Offer.objects.exists()


def test_script_stored_before_is_shown_as_text(cast):
    offer = factories.offer(cast.neighbour)
    Offer.objects.filter(pk=offer.pk).update(description="<script>alert('x')</script>")
    html = client_for(cast.broker).get(reverse("expertise:offer", kwargs={"pk": offer.pk}))
    content = html.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content


def _offers(cast: Any, count: int) -> None:
    owners = [UserFactory(home_area=cast.neighbourhood) for _ in range(3)]
    for n in range(count):
        factories.offer(
            owners[n % 3],
            title=f"Timmerwerk {n}",
            tags=("timmeren", f"tag{n}"),
            visibility=("everyone", "officials", "initiators")[n % 3],
        )


def _search_queries(client: Client, params: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("expertise:search"), params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.sqlite  # words are matched by icontains on SQLite, by full text on PostgreSQL
def test_the_search_costs_the_same_queries_for_3_or_30_offers(cast):
    broker = client_for(cast.broker)
    params = {"q": "timmerwerk", "tag": "Timmeren", "area": cast.district.pk}
    _offers(cast, 3)
    few = _search_queries(broker, params)
    _offers(cast, 27)
    many = _search_queries(broker, params)
    # session, user with roles, the searcher's initiatives (the visibility rule), the area and
    # the areas inside it, the count, the page with its owners, its areas and tags, the choices
    assert few == many == 9
    page = broker.get(reverse("expertise:search"), params).content.decode()
    assert "30 aanbiedingen" in page


@pytest.mark.sqlite
def test_the_search_filters_by_tag_area_and_words(cast):
    factories.offer(cast.neighbour, title="Fietsen maken", tags=("fiets",))
    factories.offer(cast.outsider, title="Timmerwerk Slotjes", tags=("timmeren",))
    factories.offer(cast.applicant, title="Timmerwerk Dorst-Zuid", tags=("timmeren",))
    broker = client_for(cast.broker)

    def titles(**params: Any) -> list[str]:
        response = broker.get(reverse("expertise:search"), params)
        return sorted(o.title for o in response.context["page"].object_list)

    assert titles(tag="TIMMEREN") == ["Timmerwerk Dorst-Zuid", "Timmerwerk Slotjes"]
    assert titles(area=cast.district.pk) == ["Fietsen maken", "Timmerwerk Dorst-Zuid"]
    assert titles(q="fietsen") == ["Fietsen maken"]
    assert titles(tag="onbekend") == []
    bad = broker.get(reverse("expertise:search"), {"area": "999999"})
    assert bad.status_code == 400


def test_accepting_shares_contact_details_with_the_inviter_only(cast):
    owner = cast.neighbour
    owner.phone = "06 12345678"
    owner.save()
    offer = factories.offer(owner, visibility="officials")
    initiative = Initiative.objects.select_related("area__parent__parent").get(
        pk=cast.submitted().pk
    )
    invitation = services.invitation_send(
        actor=cast.broker, offer=offer, target=initiative, message="Doe je mee?"
    )
    url = reverse("expertise:invitation", kwargs={"pk": invitation.pk})
    broker = client_for(cast.broker)
    assert "06 12345678" not in broker.get(url).content.decode()
    resident = client_for(owner)
    page = resident.get(url).content.decode()
    assert "Doe je mee?" in page
    assert resident.post(url, {"answer": "maybe"}).status_code == 400
    assert Invitation.objects.get().status == "pending"
    assert resident.post(url, {"answer": "accept"}).status_code == 302
    page = broker.get(url).content.decode()
    assert "06 12345678" in page
    assert owner.email in page
    # nobody else: another official of the municipality does not see the invitation at all
    assert client_for(cast.admin).get(url).status_code == 404
    assert resident.post(url, {"answer": "decline"}).status_code == 400
    assert Invitation.objects.get().status == "accepted"


def test_inviting_to_something_not_ones_own_is_refused(cast):
    offer = factories.offer(cast.neighbour)
    mine = cast.submitted()
    other = Initiative.objects.create(
        title="Ander plan",
        summary="x",
        area=cast.other_district,
        applicant=cast.outsider,
        status="submitted",
        requested_cents=1,
    )
    client = client_for(cast.applicant)
    url = reverse("expertise:invite", kwargs={"pk": offer.pk})
    form = client.get(url).content.decode()
    assert f"initiative:{mine.pk}" in form
    assert f"initiative:{other.pk}" not in form
    response = client.post(url, {"target": f"initiative:{other.pk}", "message": "Hoi"})
    assert response.status_code == 400
    assert "kies een van je eigen initiatieven, groepen of open vragen" in (
        response.content.decode()
    )
    response = client.post(url, {"target": f"initiative:{mine.pk}", "message": "<b>Hoi</b>"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    response = client.post(url, {"target": f"initiative:{mine.pk}", "message": "Help je mee?"})
    assert response.status_code == 302
    assert Invitation.objects.get().initiative_id == mine.pk


def test_question_pages(cast):
    question = factories.question(cast.broker, [cast.district, cast.other_district])
    url = reverse("expertise:question", kwargs={"pk": question.pk})
    answer = reverse("expertise:question_answer", kwargs={"pk": question.pk})
    neighbour = client_for(cast.neighbour)
    assert neighbour.post(answer, {"kind": "answer", "text": ""}).status_code == 400
    assert neighbour.post(answer, {"kind": "answer", "text": "x" * 2001}).status_code == 400
    assert not Answer.objects.exists()
    neighbour.post(answer, {"kind": "answer", "text": "Publiek antwoord", "show_publicly": "on"})
    client_for(cast.outsider).post(answer, {"kind": "answer", "text": "Alleen voor de gemeente"})
    public = Client().get(url).content.decode()
    assert "Publiek antwoord" in public
    assert "Alleen voor de gemeente" not in public
    assert cast.neighbour.display_name not in public
    official = client_for(cast.alderman).get(url).content.decode()
    assert "Alleen voor de gemeente" in official
    assert cast.outsider.display_name in official
    # closed: no more answers, then the outcome for everyone
    client_for(cast.broker).post(reverse("expertise:question_close", kwargs={"pk": question.pk}))
    late = client_for(cast.applicant).post(answer, {"kind": "help", "text": ""})
    assert late.status_code == 400
    assert "Deze vraag is gesloten: er kunnen geen antwoorden meer bij." in late.content.decode()
    outcome = reverse("expertise:question_outcome", kwargs={"pk": question.pk})
    assert client_for(cast.broker).post(outcome, {"outcome": " "}).status_code == 400
    client_for(cast.broker).post(outcome, {"outcome": "We zetten een werkgroep op."})
    assert "We zetten een werkgroep op." in Client().get(url).content.decode()
    assert Answer.objects.count() == 2


def test_a_closing_date_in_the_past_is_refused(cast):
    response = client_for(cast.broker).post(
        reverse("expertise:question_create"),
        {
            "kind": "knowledge",
            "title": "Wie weet het?",
            "body": "Uitleg",
            "areas": [cast.district.pk],
            "closes_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "De sluitingsdatum is al voorbij: kies vandaag of een latere datum." in (
        response.content.decode()
    )
    assert not Question.objects.exists()


def test_the_area_panel_lists_open_questions_in_one_query(cast):
    factories.question(cast.broker, [cast.district], title="Open vraag aan Dorst")
    closed = factories.question(cast.broker, [cast.district], title="Gesloten vraag")
    services.question_close(actor=cast.broker, question=closed)
    factories.question(cast.broker, [cast.other_district], title="Vraag aan Slotjes")
    area = (
        type(cast.neighbourhood)
        .objects.select_related("parent__parent")
        .get(pk=cast.neighbourhood.pk)
    )
    [panel] = [p for p in panels.panels("area") if p.name == "expertise_questions"]
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        data = panel.context(request, area=area)
        assert data is not None
        html = render_to_string(panel.template, data, request=request)
    assert len(queries) == 1
    assert "Open vraag aan Dorst" in html
    assert "Gesloten vraag" not in html
    assert "Vraag aan Slotjes" not in html
