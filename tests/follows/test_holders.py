"""A news post, an event and a survey are followed through their holder (the council, group or
area whose followers hear of them): their pages offer to follow that one. A council's page offers
to follow the council itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.events.factories import make_event
from tests.news.factories import post
from tests.surveys.factories import every_kind, publish
from wijkwerk.follows import registry

pytestmark = pytest.mark.django_db


def _toggle_url(target: Any) -> str:
    return reverse("follows:toggle", kwargs={"kind": target._meta.label_lower, "pk": target.pk})


def _page(user: Any, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_pages_of_news_events_and_surveys_offer_to_follow_their_holder(cast: Any) -> None:
    news = post(cast.district, council=cast.council)
    event = make_event(cast.district)
    survey = publish(cast, every_kind(cast))
    assert registry.followed_for(news) == cast.council
    assert registry.followed_for(event) == cast.district
    assert registry.followed_for(survey) == cast.district
    assert registry.followed_for(cast.council) == cast.council
    assert registry.followed_for(cast.applicant) is None  # a person is not followed

    for url, holder, name in [
        (news.get_absolute_url(), cast.council, "Dorpsraad Dorst"),
        (event.get_absolute_url(), cast.district, "Dorst"),
        (survey.get_absolute_url(), cast.district, "Dorst"),
        (reverse("councils:detail", args=[cast.council.pk]), cast.council, "Dorpsraad Dorst"),
    ]:
        html = _page(cast.neighbour, url)
        assert f'action="{_toggle_url(holder)}"' in html, url
        assert f"Krijg berichten over “{name}”." in html, url
