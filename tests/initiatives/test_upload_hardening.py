"""Uploads and downloads against a hostile uploader: files are served under the checked type's
extension, decompression bombs are refused without an error page, and nothing of an upload is
opened before the uploader is known to be allowed to add files."""

from __future__ import annotations

import struct
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from wijkwerk.initiatives.models import Attachment

from .conftest import pdf_upload, png_bytes
from .test_views import client_for

pytestmark = pytest.mark.django_db


def upload(client: Client, initiative: Any, file: Any, purpose: str = "application") -> Any:
    return client.post(
        reverse("initiatives:attachment_upload", args=[initiative.pk]),
        {"file": file, "purpose": purpose, "back": "edit"},
    )


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A small PNG that declares 900 million pixels: Pillow refuses to open it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "pdf", "served"),
    [
        ("poly.html", True, "poly.pdf"),
        ("run.bat", True, "run.pdf"),
        ("app.hta", True, "app.pdf"),
        ("plan.pdf", True, "plan.pdf"),
        ("foto.png.exe", True, "foto.png.pdf"),
        ("geen-extensie", True, "geen-extensie.pdf"),
        ("page.html", False, "page.png"),
        ("svg.svg", False, "svg.png"),
    ],
)
def test_file_is_served_under_the_checked_types_extension(
    cast: Any, name: str, pdf: bool, served: str
) -> None:
    initiative = cast.draft()
    client = client_for(cast.applicant)
    file = pdf_upload(name) if pdf else SimpleUploadedFile(name, png_bytes())
    assert upload(client, initiative, file).status_code == 302
    attachment = Attachment.objects.get()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment" if pdf else "inline")
    assert f'filename="{served}"' in disposition
    assert response["Content-Type"] == ("application/pdf" if pdf else "image/png")


@pytest.mark.parametrize(
    ("original", "content_type", "extension", "expected"),
    [
        ("poly.html", "application/pdf", "pdf", "poly.pdf"),
        ("a\r\nSet-Cookie: x.hta", "application/pdf", "pdf", "aSet-Cookie: x.pdf"),
        ("rapport\u202efdp.exe", "application/pdf", "pdf", "rapportfdp.pdf"),
        ("C:\\Users\\anna\\foto.jpeg.bat", "image/jpeg", "jpg", "foto.jpeg.jpg"),
        ("../../etc/passwd", "image/png", "png", "passwd.png"),
        ("...", "image/webp", "webp", "upload.webp"),
        ("", "application/pdf", "pdf", "upload.pdf"),
        ("Ωmega plan.PDF", "application/pdf", "pdf", "Ωmega plan.pdf"),
    ],
)
def test_download_name(original: str, content_type: str, extension: str, expected: str) -> None:
    from wijkwerk.initiatives.uploads import download_name

    assert download_name(original, content_type, extension) == expected


def test_decompression_bomb_is_refused_with_a_message(cast: Any) -> None:
    initiative = cast.draft()
    client = client_for(cast.applicant)
    response = upload(client, initiative, SimpleUploadedFile("bom.png", bomb_png()))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "utrecht-alert--error" in page
    assert "De afbeelding is te groot." in page


def test_nothing_is_opened_before_the_permission_check(
    cast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A visitor who may see the initiative but not add files gets 403 before any check of the
    file's content (so a hostile file costs no decoding)."""
    opened: list[object] = []
    real_open = Image.open

    def spy(*args: Any, **kwargs: Any) -> Any:
        opened.append(args)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Image, "open", spy)
    initiative = cast.submitted()
    for visitor in (cast.neighbour, cast.other_broker):
        response = upload(client_for(visitor), initiative, SimpleUploadedFile("b.png", bomb_png()))
        assert response.status_code == 403
    assert not opened
    assert not Attachment.objects.exists()
    # The applicant may: the same kind of file is checked (and refused) for them.
    draft = cast.draft()
    upload(client_for(cast.applicant), draft, SimpleUploadedFile("b.png", bomb_png()))
    assert opened
