"""Attachments: checked by content, size-limited, stored outside the web root, served by a view
that checks permission."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wijkwerk.initiatives.models import Attachment
from wijkwerk.initiatives.uploads import MAX_UPLOAD_BYTES

from .conftest import pdf_upload, png_bytes, png_upload
from .test_views import client_for

pytestmark = pytest.mark.django_db


def upload(client: Client, initiative, file, purpose="application"):
    return client.post(
        reverse("initiatives:attachment_upload", args=[initiative.pk]),
        {"file": file, "purpose": purpose, "back": "edit"},
    )


def test_photo_and_pdf_are_accepted_and_stored_under_media_root(cast):
    initiative = cast.draft()
    client = client_for(cast.applicant)
    assert upload(client, initiative, png_upload()).status_code == 302
    assert upload(client, initiative, pdf_upload()).status_code == 302
    photo, pdf = Attachment.objects.order_by("id")
    assert photo.is_image and photo.content_type == "image/png"
    assert pdf.content_type == "application/pdf" and not pdf.is_image
    stored = Path(photo.file.path)
    assert stored.is_file()
    assert str(stored).startswith(str(settings.MEDIA_ROOT))
    assert "foto" not in stored.name, "the stored name never comes from the uploader"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.png", b"<script>alert(1)</script>" * 10),
        ("foto.jpg", b"#!/bin/sh\nrm -rf /\n"),
        ("bon.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        ("foto.png", b"GIF89a" + b"\x00" * 100),
        ("foto.png", png_bytes()[:40]),
        ("leeg.png", b""),
    ],
)
def test_wrong_or_broken_content_is_refused_whatever_the_name(cast, name, content):
    initiative = cast.draft()
    client = client_for(cast.applicant)
    response = upload(client, initiative, SimpleUploadedFile(name, content))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "utrecht-alert--error" in page


def test_oversize_upload_is_refused(cast):
    initiative = cast.draft()
    big = png_bytes() + b"\x00" * (MAX_UPLOAD_BYTES + 1)
    upload(client_for(cast.applicant), initiative, SimpleUploadedFile("groot.png", big))
    assert not Attachment.objects.exists()


def test_others_cannot_upload(cast):
    initiative = cast.submitted()
    assert upload(client_for(cast.neighbour), initiative, png_upload()).status_code == 403
    draft = cast.draft()
    assert upload(client_for(cast.neighbour), draft, png_upload()).status_code == 404
    assert not Attachment.objects.exists()


def test_download_headers_and_permissions(cast):
    initiative = cast.draft()
    client = client_for(cast.applicant)
    upload(client, initiative, png_upload())
    upload(client, initiative, pdf_upload())
    photo, pdf = Attachment.objects.order_by("id")
    response = client.get(photo.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    response = client.get(pdf.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment")
    # A draft is not public: its files are not either.
    assert Client().get(photo.get_absolute_url()).status_code == 404
    assert client_for(cast.neighbour).get(photo.get_absolute_url()).status_code == 404
    # nor for the broker: a draft is the applicant's alone until it is submitted (ADR 001)
    assert client_for(cast.broker).get(pdf.get_absolute_url()).status_code == 404


def test_public_initiative_shows_photos_but_not_documents(cast):
    initiative = cast.draft()
    client = client_for(cast.applicant)
    upload(client, initiative, png_upload())
    upload(client, initiative, pdf_upload())
    from wijkwerk.initiatives import services

    services.initiative_submit(actor=cast.applicant, initiative=initiative)
    photo, pdf = Attachment.objects.order_by("id")
    assert Client().get(photo.get_absolute_url()).status_code == 200
    assert Client().get(pdf.get_absolute_url()).status_code == 404
