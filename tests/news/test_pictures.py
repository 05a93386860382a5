"""A news post's picture: checked by content, alt text required, re-encoded without EXIF/GPS,
scaled, shown with width and height; bad files refused with a clear message and nothing saved."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from wijkwerk.core.models import AuditEvent
from wijkwerk.news import services
from wijkwerk.news.models import NewsPost
from wijkwerk.news.refusals import NewsRefused
from wijkwerk.news.services import PictureChange

from .images import image_bytes, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

ALT = "Kinderen planten bomen op het Dorpsplein"


def create(cast: Any, picture: PictureChange | None) -> NewsPost:
    post = services.post_create(
        actor=cast.broker,
        area=cast.district,
        title="Bomen geplant",
        lead="Dertig kinderen plantten zaterdag bomen.",
        body="Het was een mooie ochtend.",
        picture=picture,
    )
    return services.post_publish(actor=cast.broker, post=post)


def stored(post: NewsPost) -> bytes:
    with post.picture.open("rb") as handle:
        return handle.read()


def test_a_phone_photo_loses_its_location_and_is_scaled(cast: Any) -> None:
    post = create(cast, PictureChange(upload=upload(jpeg_with_gps()), alt=ALT))
    content = stored(post)
    assert b"Exif" not in content and b"PhoneMaker" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG"
        assert image.size == (1600, 800)
        assert dict(image.getexif()) == {}
    assert (post.picture_width, post.picture_height, post.picture_alt) == (1600, 800, ALT)
    assert str(post.picture.name).startswith(f"news/{cast.district.municipality_id}/")
    audit = AuditEvent.objects.get(action="post.create")
    assert (audit.after["picture"], audit.after["picture_width"], audit.after["picture_alt"]) == (
        "JPG",
        1600,
        ALT,
    )
    from django.utils import translation

    from wijkwerk.core import auditlog

    with translation.override("nl"):
        (view,) = auditlog.describe([audit])
    assert "Afbeelding: JPG" in view.lines and "Breedte in pixels: 1600" in view.lines, view.lines


def test_a_sideways_photo_is_turned_upright(cast: Any) -> None:
    # orientation 6: the camera was turned; the stored picture is upright and has no tag
    post = create(
        cast, PictureChange(upload=upload(jpeg_with_gps(400, 300, orientation=6)), alt=ALT)
    )
    assert (post.picture_width, post.picture_height) == (300, 400)


@pytest.mark.parametrize(
    ("content", "name", "code", "message"),
    [
        (b"", "leeg.png", "empty", "De afbeelding is leeg."),
        (
            b"<script>alert(1)</script>" * 10,
            "foto.png",
            "wrong_type",
            "Alleen afbeeldingen in JPEG, PNG of WebP zijn toegestaan.",
        ),
        (
            b"%PDF-1.4\n" + b"0" * 100,
            "foto.jpg",
            "wrong_type",
            "Alleen afbeeldingen in JPEG, PNG of WebP zijn toegestaan.",
        ),
        (
            image_bytes("GIF"),
            "foto.gif",
            "wrong_type",
            "Alleen afbeeldingen in JPEG, PNG of WebP zijn toegestaan.",
        ),
        (
            image_bytes("PNG")[:200],
            "kapot.png",
            "bad_image",
            "De afbeelding is beschadigd of geen echte afbeelding.",
        ),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(
    cast: Any, content: bytes, name: str, code: str, message: str
) -> None:
    with pytest.raises(NewsRefused) as info:
        create(cast, PictureChange(upload=upload(content, name), alt=ALT))
    assert (info.value.code, info.value.messages) == (code, [message])
    assert NewsPost.objects.count() == 0


def test_too_large_a_file_is_refused(cast: Any, settings: Any) -> None:
    big = upload(image_bytes("PNG"), "groot.png", "image/png")
    big.size = 9 * 1024 * 1024
    with pytest.raises(NewsRefused) as info:
        create(cast, PictureChange(upload=big, alt=ALT))
    assert info.value.messages == ["De afbeelding is te groot: hoogstens 8 MB is toegestaan."]


def test_a_picture_needs_a_description(cast: Any) -> None:
    with pytest.raises(NewsRefused) as info:
        create(cast, PictureChange(upload=upload(image_bytes("PNG"), "a.png"), alt="  "))
    assert info.value.code == "picture_alt"
    assert info.value.messages == [
        "Beschrijf de afbeelding in een paar woorden, voor wie haar niet kan zien (bijvoorbeeld: "
        "“Kinderen planten bomen op het plein”)."
    ]
    assert NewsPost.objects.count() == 0


def test_replacing_and_removing_deletes_the_old_file(
    cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    post = create(cast, PictureChange(upload=upload(image_bytes("PNG"), "a.png"), alt=ALT))
    first = str(post.picture.name)
    storage = post.picture.storage
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_change(
            actor=cast.broker,
            post=post,
            title=post.title,
            lead=post.lead,
            body=post.body,
            picture=PictureChange(upload=upload(image_bytes("WEBP"), "b.webp"), alt="Nieuw"),
        )
    assert not storage.exists(first) and storage.exists(str(post.picture.name))
    assert str(post.picture.name).endswith(".webp")
    second = str(post.picture.name)
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_change(
            actor=cast.broker,
            post=post,
            title=post.title,
            lead=post.lead,
            body=post.body,
            picture=PictureChange(remove=True),
        )
    assert not storage.exists(second)
    post.refresh_from_db()
    assert (post.picture.name, post.picture_alt, post.picture_width) == ("", "", None)


def test_the_pages_show_the_picture_with_its_size_and_the_form_refuses_clearly(
    cast: Any,
) -> None:
    post = create(cast, PictureChange(upload=upload(jpeg_with_gps(800, 400)), alt=ALT))
    page = Client().get(post.get_absolute_url()).content.decode()
    assert (
        f'<img class="news-picture" src="{post.picture_url}" alt="{ALT}" width="800" '
        'height="400">' in page
    )
    listing = (
        Client()
        .get(reverse("news:area", args=[cast.district.municipality.slug, cast.district.slug]))
        .content.decode()
    )
    assert 'width="800" height="400" loading="lazy"' in listing
    served = Client().get(post.picture_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"Exif" not in b"".join(served.streaming_content)
    broker = Client()
    broker.force_login(cast.broker)
    url = reverse("news:create", args=[cast.district.municipality.slug, cast.district.slug])
    response = broker.post(
        url,
        {
            "publisher": "area",
            "title": "Titel",
            "lead": "Inleiding",
            "body": "Tekst",
            "picture": upload(b"GIF89a" + b"0" * 50, "x.gif", "image/gif"),
            "picture_alt": "Iets",
            "publish": "1",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Alleen afbeeldingen in JPEG, PNG of WebP zijn toegestaan." in html
    assert 'id="id_picture"' in html and 'aria-invalid="true"' in html
    assert NewsPost.objects.count() == 1
