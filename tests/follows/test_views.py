"""The follow buttons, the settings page and the one-click unsubscribe link (RFC 8058)."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.budgeting.factories import make_round
from wijkwerk.core.models import AuditEvent
from wijkwerk.follows import tokens
from wijkwerk.follows.models import DigestItem, Follow, Frequency

from .factories import follow, item

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _toggle_url(target: Any) -> str:
    return reverse("follows:toggle", kwargs={"kind": target._meta.label_lower, "pk": target.pk})


def test_follow_an_area_from_its_page_and_stop_again(cast: Any) -> None:
    client = client_for(cast.neighbour)
    page = cast.neighbourhood.get_absolute_url()
    html = client.get(page).content.decode()
    assert 'action="' + _toggle_url(cast.neighbourhood) + '"' in html
    assert "Krijg berichten over “Dorst-Zuid”." in html

    response = client.post(
        _toggle_url(cast.neighbourhood),
        {"action": "follow", "frequency": "immediate", "next": page},
    )
    assert response.status_code == 302 and response["Location"] == page
    followed = Follow.objects.get(user=cast.neighbour)
    assert (followed.target, followed.frequency) == (cast.neighbourhood, Frequency.IMMEDIATE)
    assert followed.municipality == cast.municipality
    html = client.get(page).content.decode()
    assert "Je volgt “Dorst-Zuid”." in html and "Je krijgt meteen een e-mail." in html

    client.post(_toggle_url(cast.neighbourhood), {"action": "unfollow", "next": page})
    assert not Follow.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="follows.follow")
        .order_by("id")
        .values_list("action", "actor_id", "municipality_id")
    )
    assert actions == [
        ("follow.create", cast.neighbour.pk, cast.municipality.pk),
        ("follow.delete", cast.neighbour.pk, cast.municipality.pk),
    ]


def test_following_twice_keeps_one_follow_and_changes_the_frequency(cast: Any) -> None:
    client = client_for(cast.neighbour)
    url = _toggle_url(cast.district)
    client.post(url, {"action": "follow", "frequency": "weekly"})
    client.post(url, {"action": "follow", "frequency": "immediate"})
    assert list(Follow.objects.values_list("frequency", flat=True)) == ["immediate"]


def test_a_bad_frequency_or_a_foreign_next_is_refused(cast: Any) -> None:
    client = client_for(cast.neighbour)
    response = client.post(
        _toggle_url(cast.district),
        {"action": "follow", "frequency": "hourly", "next": "https://evil.example/"},
    )
    assert response["Location"] == cast.district.get_absolute_url()
    assert not Follow.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Kies hoe vaak je berichten wilt krijgen."]


def test_a_draft_initiative_cannot_be_followed_by_others(cast: Any) -> None:
    draft = cast.draft(title="Nog geheim")
    response = client_for(cast.neighbour).post(_toggle_url(draft), {"frequency": "weekly"})
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_following_is_rate_limited(cast: Any, settings: Any) -> None:
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "follow": "2/m"}
    client = client_for(cast.neighbour)
    url = _toggle_url(cast.district)
    client.post(url, {"action": "follow", "frequency": "weekly"})
    client.post(url, {"action": "unfollow"})
    response = client.post(url, {"action": "follow", "frequency": "weekly"}, follow=True)
    assert not Follow.objects.exists()
    assert "Je hebt dit te vaak kort na elkaar gedaan" in response.content.decode()


def test_the_settings_page_lists_changes_and_removes(cast: Any) -> None:
    mine = follow(cast.neighbour, cast.neighbourhood)
    follow(cast.neighbour, cast.district, Frequency.IMMEDIATE)
    follow(cast.applicant, cast.district)
    client = client_for(cast.neighbour)
    html = client.get(reverse("follows:settings")).content.decode()
    assert html.count('class="card"') == 2
    assert ">Dorst-Zuid</a>" in html and ">Dorst</a>" in html
    client.post(reverse("follows:change", args=[mine.pk]), {f"{mine.pk}-frequency": "immediate"})
    mine.refresh_from_db()
    assert mine.frequency == Frequency.IMMEDIATE
    client.post(reverse("follows:change", args=[mine.pk]), {"remove": "1"})
    assert list(Follow.objects.filter(user=cast.neighbour).values_list("object_id", flat=True)) == [
        cast.district.pk
    ]
    # someone else's follow: as if it did not exist
    other = Follow.objects.get(user=cast.applicant)
    response = client.post(reverse("follows:change", args=[other.pk]), {"remove": "1"})
    assert response.status_code == 404
    assert Follow.objects.filter(pk=other.pk).exists()


def _unsubscribe_url(token: str) -> str:
    return reverse("follows:unsubscribe", kwargs={"token": token})


def test_one_click_unsubscribe_without_a_session_or_csrf_token(cast: Any) -> None:
    followed = follow(cast.neighbour, cast.neighbourhood)
    item(followed, "Een bericht")
    url = _unsubscribe_url(tokens.for_follow(user_id=cast.neighbour.pk, follow_id=followed.pk))
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert "Wil je “Dorst-Zuid” niet meer volgen?" in page.content.decode()
    assert Follow.objects.exists()  # a GET (a link preview) changes nothing
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "Je volgt “Dorst-Zuid” niet meer" in response.content.decode()
    assert not Follow.objects.exists() and not DigestItem.objects.exists()
    [event] = AuditEvent.objects.filter(action="follow.unsubscribe")
    assert event.actor_id is None  # the link works without a login
    # a second POST (mail clients retry) still answers 200
    assert (
        client.post(
            url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert "Je bent al afgemeld" in client.get(url).content.decode()


def test_the_digest_link_stops_every_weekly_follow_only(cast: Any) -> None:
    follow(cast.neighbour, cast.neighbourhood)
    follow(cast.neighbour, cast.district, Frequency.IMMEDIATE)
    url = _unsubscribe_url(tokens.for_digests(user_id=cast.neighbour.pk))
    assert Client().post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert list(Follow.objects.values_list("frequency", flat=True)) == ["immediate"]


@pytest.mark.parametrize(
    "make",
    [
        lambda user, pk: "not-a-token",
        lambda user, pk: signing.dumps({"u": user, "f": pk}, salt="another.salt"),
        lambda user, pk: tokens.for_follow(user_id=user, follow_id=pk)[:-2] + "xx",
    ],
    ids=["garbage", "other salt", "tampered"],
)
def test_a_forged_token_is_a_clear_400(cast: Any, make: Any) -> None:
    followed = follow(cast.neighbour, cast.neighbourhood)
    url = _unsubscribe_url(make(cast.neighbour.pk, followed.pk))
    for response in (Client().get(url), Client().post(url, {"List-Unsubscribe": "One-Click"})):
        assert response.status_code == 400
        assert "Deze afmeldlink klopt niet" in response.content.decode()
    assert Follow.objects.exists()


def test_an_expired_token_is_a_clear_400(cast: Any) -> None:
    followed = follow(cast.neighbour, cast.neighbourhood)
    token = tokens.for_follow(user_id=cast.neighbour.pk, follow_id=followed.pk)
    later = signing.time.time() + tokens.MAX_AGE + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = Client().post(_unsubscribe_url(token), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 400
    assert "meer dan een jaar oud" in response.content.decode()
    assert Follow.objects.exists()


def test_another_persons_follow_id_in_my_token_removes_nothing(cast: Any) -> None:
    theirs = follow(cast.applicant, cast.neighbourhood)
    token = tokens.for_follow(user_id=cast.neighbour.pk, follow_id=theirs.pk)
    Client().post(_unsubscribe_url(token), {"List-Unsubscribe": "One-Click"})
    assert Follow.objects.filter(pk=theirs.pk).exists()


def test_people_with_items_keep_other_peoples_items(cast: Any) -> None:
    mine = follow(cast.neighbour, cast.neighbourhood)
    theirs = follow(UserFactory(), cast.neighbourhood)
    item(mine, "Voor mij")
    item(theirs, "Voor een ander")
    Client().post(
        _unsubscribe_url(tokens.for_digests(user_id=cast.neighbour.pk)),
        {"List-Unsubscribe": "One-Click"},
    )
    assert list(DigestItem.objects.values_list("line", flat=True)) == ["Voor een ander"]


def test_the_settings_page_links_a_followed_council_and_round(cast: Any) -> None:
    """A council and a round have no get_absolute_url (their pages are in apps above follows):
    the registry names their pages, so every followed thing on the settings page is a link."""
    process = make_round(cast)
    follow(cast.neighbour, cast.council)
    follow(cast.neighbour, process)
    html = client_for(cast.neighbour).get(reverse("follows:settings")).content.decode()
    council_url = reverse("councils:detail", args=[cast.council.pk])
    round_url = reverse("budgeting:round_detail", args=[process.pk])
    assert f'<a class="utrecht-link" href="{council_url}">Dorpsraad Dorst</a>' in html
    assert f'<a class="utrecht-link" href="{round_url}">Buurtbudget Dorst</a>' in html
