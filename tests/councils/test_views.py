"""The council's pages: what residents and members see, and the forms that run the meetings."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from wijkwerk.councils import services
from wijkwerk.councils.models import CouncilDecision, MeetingDocument
from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives.models import Initiative

from .factories import Council

pytestmark = pytest.mark.django_db


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text(response: Any) -> str:
    """The page's text without tags, its white space collapsed."""
    return " ".join(strip_tags(response.content.decode()).split())


def decided(world: Council) -> Any:
    item = world.on_agenda()
    votes = world.votes("for", "for", "against")
    return services.council_decide(
        actor=world.chair,
        item=item,
        present=set(votes),
        choices=votes,
        reasons="Goed voor de buurt.",
        amount_cents=45_000,
    )


def test_the_council_page_shows_budget_members_and_decisions_in_few_queries(
    world: Council,
) -> None:
    decided(world)
    url = reverse("councils:detail", kwargs={"pk": world.council.pk})
    client = client_for(world.cast.neighbour)
    client.get(url)  # the session and the user's roles once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "Henk van Gils, voorzitter" in page
    assert "€ 5.000,00" in page and "€ 450,00" in page and "€ 4.550,00" in page
    assert "goedgekeurd, € 450,00 toegekend" in page
    assert "Stemmen: 2 voor, 1 tegen, 0 onthouding (3 van de 5 leden aanwezig)." in page
    assert "Goed voor de buurt." in page
    assert "Plan een vergadering" not in page
    assert len(queries) <= 16, [q["sql"] for q in queries]


def test_a_closed_meetings_documents_and_draft_minutes_are_for_members(world: Council) -> None:
    meeting = world.meeting(is_public=False)
    services.document_add(
        actor=world.chair,
        meeting=meeting,
        title="Voorstel speeltuin",
        upload=SimpleUploadedFile("v.pdf", b"%PDF-1.4\n00", "application/pdf"),
    )
    services.minutes_save(
        actor=world.secretary, meeting=meeting, text="Concepttekst van de notulen."
    )
    url = meeting.get_absolute_url()
    resident = text(client_for(world.cast.neighbour).get(url))
    assert "Voorstel speeltuin" not in resident
    assert "Concepttekst van de notulen." not in resident
    assert "De stukken van een besloten vergadering zijn voor de leden van de raad." in resident
    member = text(client_for(world.cast.council_member).get(url))
    assert "Voorstel speeltuin" in member and "Concepttekst van de notulen." in member
    services.minutes_approve(actor=world.chair, meeting=meeting, approved_on=timezone.localdate())
    services.minutes_publish(actor=world.chair, meeting=meeting)
    resident = text(client_for(world.cast.neighbour).get(url))
    assert "Concepttekst van de notulen." in resident


def test_the_decision_form_records_votes_and_books_the_money(world: Council) -> None:
    item = world.on_agenda()
    url = reverse("councils:decide", kwargs={"pk": item.pk})
    chair = client_for(world.chair)
    form = chair.get(url)
    assert form.status_code == 200
    assert "Quorum3 van de 5 leden (meer dan de helft)" in text(form)
    members = world.members
    data = {f"vote_{m.pk}": "absent" for m in members}
    data.update({f"vote_{members[0].pk}": "for", f"vote_{members[1].pk}": "for"})
    data.update({"amount": "450,00", "reasons": "Mooi plan."})
    response = chair.post(url, data)
    assert response.status_code == 400
    assert "Geen quorum: 2 van de 5 leden zijn aanwezig" in text(response)
    assert CouncilDecision.objects.count() == 0
    data[f"vote_{members[2].pk}"] = "abstain"
    response = chair.post(url, data)
    assert response.status_code == 302
    record = CouncilDecision.objects.get()
    assert (record.votes_for, record.abstentions, record.amount_cents) == (2, 1, 45_000)
    assert fund_figures(world.fund).committed == 45_000
    assert Initiative.objects.get(pk=item.initiative_id).status == "approved"


def test_the_decision_form_refuses_more_than_the_fund_has(cast: Any) -> None:
    from .factories import council_world

    world = council_world(cast, fund_cents=10_000)
    item = world.on_agenda()
    data = {f"vote_{m.pk}": "for" for m in world.members}
    data.update({"amount": "450,00", "reasons": "Mooi plan."})
    response = client_for(world.secretary).post(
        reverse("councils:decide", kwargs={"pk": item.pk}), data
    )
    assert response.status_code == 400
    assert "Niet genoeg geld in fonds Leefbaarheidsbudget Dorpsraad Dorst" in text(response)
    assert CouncilDecision.objects.count() == 0


def test_a_document_of_the_wrong_type_is_refused_on_the_form(world: Council) -> None:
    meeting = world.meeting()
    response = client_for(world.secretary).post(
        reverse("councils:document_add", kwargs={"pk": meeting.pk}),
        {"title": "Stukken", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00", "application/pdf")},
    )
    assert response.status_code == 400
    assert "Alleen PDF-, ODT- (OpenDocument) en DOCX-bestanden (Word) zijn toegestaan." in text(
        response
    )
    assert MeetingDocument.objects.count() == 0


def test_the_broker_hands_an_initiative_over_from_its_page(world: Council) -> None:
    initiative = world.cast.submitted()
    broker = client_for(world.cast.broker)
    page = text(broker.get(initiative.get_absolute_url()))
    assert "Draag het over aan de raad" in page
    response = broker.post(
        reverse("councils:hand_to_council", kwargs={"pk": initiative.pk}),
        {"council": world.council.pk},
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.deciding_council == world.council
    page = text(client_for(world.cast.neighbour).get(initiative.get_absolute_url()))
    assert "Dit initiatief is gericht aan Dorpsraad Dorst" in page


def test_the_area_page_shows_the_council_with_its_decisions(world: Council) -> None:
    decided(world)
    world.meeting(starts_in=datetime.timedelta(days=7), title="Najaarsvergadering")
    response = client_for().get(world.cast.neighbourhood.get_absolute_url())
    page = text(response)
    assert "Raad van het gebied" in page
    # a block under the page's “What is going on” (h2), after the coming events
    html = response.content.decode()
    heading = 'id="area-councils-heading">Raad van het gebied</h3>'
    assert heading in html
    assert html.index('id="activity-heading"') < html.index('id="area-councils-heading"')
    assert "Recente besluiten van de raad" in page
    assert "goedgekeurd, € 450,00 toegekend" in page


def test_a_meetings_event_page_leads_to_the_meeting_and_the_council(world: Council) -> None:
    meeting = world.meeting(starts_in=datetime.timedelta(days=7), title="Najaarsvergadering")
    html = client_for().get(reverse("events:detail", args=[meeting.event_id])).content.decode()
    assert (
        f'<a class="utrecht-link" href="{meeting.get_absolute_url()}">De agenda, de stukken, '
        "de besluiten en de notulen van deze vergadering</a>"
    ) in html
    council_url = reverse("councils:detail", args=[world.council.pk])
    assert f'href="{council_url}">Alle vergaderingen en besluiten van Dorpsraad Dorst</a>' in html


def test_a_meeting_that_is_over_offers_no_sign_up(world: Council) -> None:
    coming = world.meeting(starts_in=datetime.timedelta(days=7))
    over = world.meeting(starts_in=-datetime.timedelta(days=7))
    coming_page = text(client_for().get(coming.get_absolute_url()))
    assert "Meld je aan of zet het in je agenda" in coming_page
    page = text(client_for().get(over.get_absolute_url()))
    assert "Meld je aan" not in page and "De vergadering in de agenda" in page
