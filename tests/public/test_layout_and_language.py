"""The shared layout, the language switch, the about page and the error pages."""

from __future__ import annotations

import re

import pytest
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def dorst(cast: Cast):
    return cast.district


def landmarks(html: str) -> dict[str, int]:
    return {tag: len(re.findall(rf"<{tag}[\s>]", html)) for tag in ("header", "main", "footer")}


@pytest.mark.parametrize("url_name", ["site:home", "site:about"])
def test_layout_has_skip_link_landmarks_and_one_h1(client: Client, url_name: str) -> None:
    html = client.get(reverse(url_name)).content.decode()
    assert '<html lang="nl"' in html
    assert 'class="utrecht-document wijkwerk-theme"' in html
    assert '<a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#main">' in html
    assert 'id="main"' in html
    assert landmarks(html) == {"header": 1, "main": 1, "footer": 1}
    assert html.count("<h1") == 1
    assert 'aria-current="page"' in html
    assert "wijkwerk/theme-neutral.css" in html
    assert 'style="' not in html
    # No inline script without the nonce.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "nonce=" in tag or 'type="application/json"' in tag


def test_theme_is_configurable(client: Client, settings) -> None:
    settings.WIJKWERK_THEME_CSS = "gemeente-voorbeeld/theme.css"
    html = client.get(reverse("site:home")).content.decode()
    assert "/static/gemeente-voorbeeld/theme.css" in html
    assert "theme-neutral.css" not in html


def test_navigation_for_logged_in_resident_and_admin(client: Client, cast: Cast) -> None:
    client.force_login(cast.applicant)
    html = client.get(reverse("site:home")).content.decode()
    assert "Mijn profiel" in html and "Uitloggen" in html and "Inloggen" not in html
    assert "Beheer" not in html
    client.force_login(cast.admin)
    assert "Beheer" in client.get(reverse("site:home")).content.decode()


def test_language_switch_keeps_the_page(client: Client, dorst) -> None:
    url = dorst.get_absolute_url()
    html = client.get(url).content.decode()
    assert f'<input name="next" type="hidden" value="{url}">' in html
    assert 'value="en" lang="en">English</button>' in html

    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url

    html = client.get(url).content.decode()
    assert '<html lang="en"' in html
    assert "Who is who" in html and "Wie is wie" not in html
    assert 'value="nl" lang="nl">Nederlands</button>' in html

    client.post(reverse("set_language"), {"language": "nl", "next": url})
    assert '<html lang="nl"' in client.get(url).content.decode()


def test_language_switch_keeps_the_query_string(client: Client, dorst) -> None:
    html = client.get(reverse("site:home"), {"q": "Dorst"}).content.decode()
    assert '<input name="next" type="hidden" value="/?q=Dorst">' in html


def test_language_switch_refuses_to_redirect_elsewhere(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_english_is_complete_on_the_public_pages(client: Client, cast: Cast) -> None:
    client.post(reverse("set_language"), {"language": "en"})
    home = client.get(reverse("site:home")).content.decode()
    assert "Working together on your neighbourhood" in home and "Find your area" in home
    assert "Municipality of Oosterhout" in home
    about = client.get(reverse("site:about")).content.decode()
    assert "neighbourhood-led working" in about
    area = client.get(cast.district.get_absolute_url()).content.decode()
    assert "<dd>Village (kerkdorp)</dd>" in area and "Councils" in area
    assert "District council (wijkraad)" in area
    district = client.get(cast.other_district.get_absolute_url()).content.decode()
    assert "<dd>District (wijk)</dd>" in district


def test_about_page_explains_the_roles_in_dutch(client: Client) -> None:
    html = client.get(reverse("site:about")).content.decode()
    for term in (
        "Wijkgericht werken",
        "buurtgestuurd werken",
        "Wijkwethouder",
        "Wijkmakelaar",
        "Wijkwerker",
        "Wijkcoördinator",
        "Wijkraad of dorpsraad",
        "Bewonersgroep",
        "Zo doe je mee",
    ):
        assert term in html, term
    # Every in-page link points at a heading that exists.
    for anchor in re.findall(r'href="#([\w-]+)"', html):
        assert f'id="{anchor}"' in html


def test_404_page_in_the_layout(client: Client) -> None:
    response = client.get("/bestaat-niet/ook-niet/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html
    assert html.count("<h1") == 1
    assert landmarks(html) == {"header": 1, "main": 1, "footer": 1}
    assert 'href="/"' in html


def test_403_page_in_the_layout() -> None:
    with translation.override("nl"):
        html = get_template("403.html").render({})
    assert "Geen toegang" in html
    assert 'href="/accounts/login/"' in html


def test_500_page_renders_without_request_or_database(django_assert_num_queries) -> None:
    with translation.override("nl"), django_assert_num_queries(0):
        html = get_template("500.html").render()
    assert "Er ging iets mis" in html
    assert html.count("<h1") == 1
    # Without the context processors the neutral theme and the default site name are used.
    assert "/static/wijkwerk/theme-neutral.css" in html
    assert "<title>Er ging iets mis · wijkwerk</title>" in html
    assert "Uitloggen" not in html and "set_language" not in html


def test_500_response_uses_the_municipality_theme_without_database(
    client, settings, django_assert_num_queries
) -> None:
    settings.ROOT_URLCONF = "tests.public.failing_urls"
    settings.WIJKWERK_THEME_CSS = "gemeente-oss/theme.css"
    settings.WIJKWERK_SITE_NAME = "Samen Oss"
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/kapot/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Er ging iets mis" in html
    assert 'href="/static/gemeente-oss/theme.css"' in html
    assert "<title>Er ging iets mis · Samen Oss</title>" in html
    assert "Content-Security-Policy" in response.headers


def test_400_page_in_the_layout() -> None:
    with translation.override("nl"):
        html = get_template("400.html").render({})
    assert "Ongeldig verzoek" in html
    assert html.count("<h1") == 1
