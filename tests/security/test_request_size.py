"""Request bodies are capped in the app: an anonymous upload (the probe sent 200 MB) is refused
before anything reads it, instead of being stored in full before the login redirect."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.request import HttpRequest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from ..cast import Cast, build_cast
from ..initiatives.conftest import png_bytes

pytestmark = pytest.mark.django_db

HUGE = str(200 * 1024 * 1024)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths whose request body Django parsed."""
    seen: list[str] = []
    parse = HttpRequest._load_post_and_files

    def spy(request: HttpRequest) -> None:
        seen.append(request.path)
        parse(request)

    monkeypatch.setattr(HttpRequest, "_load_post_and_files", spy)
    return seen


def multipart(size: int) -> bytes:
    return encode_multipart(
        BOUNDARY,
        {"purpose": "application", "file": _named("groot.png", png_bytes() + b"\0" * size)},
    )


def _named(name: str, content: bytes) -> Any:
    return SimpleUploadedFile(name, content, content_type="image/png")


def post(client: Client, url: str, body: bytes, **extra: str) -> Any:
    return client.generic("POST", url, body, content_type=MULTIPART_CONTENT, **extra)


def test_anonymous_upload_is_refused_unread(reads: list[str], cast: Cast) -> None:
    initiative = cast.submitted()
    url = reverse("initiatives:attachment_upload", args=[initiative.pk])
    client = Client(enforce_csrf_checks=True)
    response = post(client, url, multipart(1024 * 1024))
    assert response.status_code == 413
    assert not reads
    # As the probe sent it: 200 MB announced.
    response = post(client, url, multipart(10), CONTENT_LENGTH=HUGE)
    assert response.status_code == 413
    assert not reads
    assert "te groot" in response.content.decode()


def test_logged_in_request_above_the_cap_is_refused_unread(reads: list[str], cast: Cast) -> None:
    initiative = cast.draft()
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.applicant)
    url = reverse("initiatives:attachment_upload", args=[initiative.pk])
    response = post(client, url, multipart(10), CONTENT_LENGTH=HUGE)
    assert response.status_code == 413
    assert not reads


def test_small_anonymous_posts_and_normal_uploads_still_work(reads: list[str]) -> None:
    # A login form is read as before (and refused for its wrong password).
    response = Client().post(reverse("account_login"), {"login": "a@b.nl", "password": "x"})
    assert response.status_code == 200
    assert reads == [reverse("account_login")]
    cast = build_cast()
    initiative = cast.draft()
    client = Client()
    client.force_login(cast.applicant)
    url = reverse("initiatives:attachment_upload", args=[initiative.pk])
    body = multipart(4 * 1024 * 1024)  # a 4 MB photo: allowed
    assert len(body) < settings.WIJKWERK_MAX_REQUEST_BYTES
    assert post(client, url, body).status_code == 302
    assert initiative.attachments.count() == 1
