"""News pages with Django's test client: writing and publishing through the form, plain text
shown escaped, the area page's panel and lists, drafts hidden from readers, bad input answered
with 400 and a Dutch message, nothing saved."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from wijkwerk.news.models import NewsPost
from wijkwerk.news.states import PostStatus

from .factories import post

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def create_url(cast) -> str:
    return reverse("news:create", kwargs={"municipality": "oosterhout", "area": "dorst"})


def test_the_broker_publishes_news_that_shows_on_the_area_page(cast, client) -> None:
    client.force_login(cast.broker)
    form = client.get(create_url(cast))
    assert form.status_code == 200
    assert "Nieuws schrijven voor Dorst" in text_of(form)
    response = client.post(
        create_url(cast),
        {
            "publisher": "area",
            "title": "Dorpsfeest op 12 juni",
            "lead": "Het hele dorp is welkom op het Dorpsplein.",
            "body": "Er is muziek.\n\nEn <script>alert('x')</script> taart.",
            "publish": "1",
        },
    )
    created = NewsPost.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/nieuws/{created.pk}/"
    assert created.status == PostStatus.PUBLISHED
    page = client.get(created.get_absolute_url())
    html = page.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "<p>Er is muziek.</p>" in html  # paragraphs
    assert "Het nieuws is gepubliceerd." in text_of(page)
    area_page = client.get(cast.district.get_absolute_url())
    assert "Laatste nieuws" in text_of(area_page)
    assert "Dorpsfeest op 12 juni" in text_of(area_page)
    # the neighbourhood's page does not show the village's news; the village shows its own
    assert "Dorpsfeest" not in text_of(client.get(cast.neighbourhood.get_absolute_url()))


def test_a_draft_is_only_for_its_writers(cast, client) -> None:
    draft = post(cast.district, published=False, title="Nog geheim")
    client.force_login(cast.neighbour)
    assert client.get(draft.get_absolute_url()).status_code == 404
    area_url = reverse("news:area", kwargs={"municipality": "oosterhout", "area": "dorst"})
    assert "Nog geheim" not in text_of(client.get(area_url))
    client.force_login(cast.coordinator)
    page = text_of(client.get(area_url))
    assert "Niet gepubliceerd (alleen schrijvers zien deze)" in page and "Nog geheim" in page


def test_saving_a_draft_and_publishing_it_later(cast, client) -> None:
    client.force_login(cast.community_worker)
    client.post(
        create_url(cast),
        {"publisher": "area", "title": "Spreekuur", "lead": "Elke dinsdag.", "body": "In De Wis."},
    )
    created = NewsPost.objects.get()
    assert created.status == PostStatus.DRAFT
    response = client.post(reverse("news:publish", kwargs={"pk": created.pk}))
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == PostStatus.PUBLISHED


@pytest.mark.parametrize(
    "data, message",
    [
        ({"title": "", "lead": "x", "body": "y"}, "Dit veld is verplicht."),
        (
            {"title": "x" * 151, "lead": "x", "body": "y"},
            "niet meer dan 150 tekens bevat (het zijn er nu 151)",
        ),
        (
            {"title": "x", "lead": "x", "body": "y" * 10_001},
            "niet meer dan 10000 tekens bevat (het zijn er nu 10001)",
        ),
    ],
)
def test_bad_input_is_refused_in_dutch(cast, client, data, message) -> None:
    client.force_login(cast.broker)
    response = client.post(create_url(cast), {"publisher": "area", **data})
    assert response.status_code == 400
    assert message in text_of(response)
    assert NewsPost.objects.count() == 0


def test_a_forged_publisher_is_refused(cast, client) -> None:
    client.force_login(cast.broker)
    response = client.post(
        create_url(cast), {"publisher": "council:999", "title": "x", "lead": "y", "body": "z"}
    )
    assert response.status_code == 400
    assert NewsPost.objects.count() == 0


def test_the_lists_page_by_ten(cast, client) -> None:
    for number in range(12):
        post(cast.neighbourhood, title=f"Bericht {number}")
    post(cast.other_district, title="Slotjes-nieuws")
    area_url = reverse("news:area", kwargs={"municipality": "oosterhout", "area": "dorst"})
    first = text_of(client.get(area_url))
    assert "Pagina 1 van 2" in first and "Slotjes-nieuws" not in first
    second = text_of(client.get(area_url + "?page=2"))
    assert second.count("Bericht ") == 2
    everything = text_of(
        client.get(reverse("news:municipality", kwargs={"municipality": "oosterhout"}))
    )
    assert "Slotjes-nieuws" in everything
    assert (
        client.get(reverse("news:municipality", kwargs={"municipality": "nergens"})).status_code
        == 404
    )


def test_taking_offline_with_a_reason(cast, client) -> None:
    published = post(cast.district, title="Verkeerde datum")
    client.force_login(cast.admin)
    url = reverse("news:unpublish", kwargs={"pk": published.pk})
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "De datum klopte niet."}).status_code == 302
    client.force_login(cast.neighbour)
    assert client.get(published.get_absolute_url()).status_code == 404
