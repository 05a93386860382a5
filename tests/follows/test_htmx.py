"""The follow panel with htmx: the toggle answers the panel alone (swapped in place, its message
in it), and the same forms keep working without JavaScript (a redirect back)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wijkwerk.follows.models import Follow, Frequency

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def toggle_url(target: Any) -> str:
    return reverse("follows:toggle", kwargs={"kind": target._meta.label_lower, "pk": target.pk})


def test_the_panel_posts_with_htmx_and_keeps_its_plain_form(cast: Any) -> None:
    client = Client()
    client.force_login(cast.neighbour)
    html = client.get(cast.neighbourhood.get_absolute_url()).content.decode()
    url = toggle_url(cast.neighbourhood)
    key = f"areas-area-{cast.neighbourhood.pk}"
    assert (
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="#follow-{key}" '
        'hx-swap="outerHTML">' in html
    )
    assert f'<aside class="follow-panel" id="follow-{key}"' in html


def test_htmx_gets_the_panel_swapped_in_place(cast: Any) -> None:
    client = Client()
    client.force_login(cast.neighbour)
    page = cast.neighbourhood.get_absolute_url()
    url = toggle_url(cast.neighbourhood)
    response = client.post(url, {"action": "follow", "frequency": "weekly", "next": page}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<aside class="follow-panel"' in html
    assert "<html" not in html
    assert "Je volgt “Dorst-Zuid”." in html and "Je krijgt een wekelijks overzicht." in html
    assert (
        '<div class="utrecht-alert utrecht-alert--ok"><p class="utrecht-paragraph">Je volgt' in html
    )
    assert f'name="next" value="{page}"' in html  # the page, not the toggle's address
    assert Follow.objects.get().frequency == Frequency.WEEKLY
    # the message is in the panel, not waiting for the next page as well
    assert "Je volgt “Dorst-Zuid”." not in client.get(reverse("follows:settings")).content.decode()
    response = client.post(url, {"action": "unfollow", "next": page}, **HTMX)
    assert "Je volgt “Dorst-Zuid” niet meer." in response.content.decode()
    assert not Follow.objects.exists()


def test_a_refusal_comes_back_in_the_panel(cast: Any) -> None:
    client = Client()
    client.force_login(cast.neighbour)
    response = client.post(
        toggle_url(cast.neighbourhood), {"action": "follow", "frequency": "yearly"}, **HTMX
    )
    assert response.status_code == 200
    assert "utrecht-alert--error" in response.content.decode()
    assert "Kies hoe vaak je berichten wilt krijgen." in response.content.decode()
    assert not Follow.objects.exists()


def test_without_javascript_it_still_redirects(cast: Any) -> None:
    client = Client()
    client.force_login(cast.neighbour)
    page = cast.neighbourhood.get_absolute_url()
    response = client.post(
        toggle_url(cast.neighbourhood), {"action": "follow", "frequency": "weekly", "next": page}
    )
    assert (response.status_code, response["Location"]) == (302, page)
