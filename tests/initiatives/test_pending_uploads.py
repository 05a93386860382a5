"""Files chosen on a NEW application whose form has errors: no draft exists yet to hold them, so
they wait as the person's pending uploads (checked as any file, in the database and MEDIA_ROOT,
shown by name on the form and carried by it) and are attached when the application is saved;
nobody else's are ever attached, a ticked box drops one, and those left over go after a day."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wijkwerk.initiatives import services
from wijkwerk.initiatives.models import Attachment, Initiative, PendingUpload

from .conftest import pdf_upload, png_upload
from .test_views import client_for, form_data

pytestmark = pytest.mark.django_db

CREATE = reverse("initiatives:create")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def pending_ids(html: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="pending_upload" value="(\d+)">', html)


def test_an_invalid_new_form_keeps_the_chosen_file(cast: Any, media: Path) -> None:
    client = client_for(cast.applicant)
    response = client.post(CREATE, {**form_data(cast, title=""), "uploads": png_upload("foto.png")})
    html = response.content.decode()
    assert response.status_code == 400
    assert not Initiative.objects.exists()  # no draft: the title is missing
    pending = PendingUpload.objects.get()
    assert pending.owner == cast.applicant
    assert (pending.original_name, pending.content_type, pending.is_image) == (
        "foto.png",
        "image/png",
        True,
    )
    assert stored_files(media) == [pending.file.name]
    assert pending.file.name.startswith(f"pending/{cast.applicant.pk}/")
    assert "Gekozen: foto.png — wordt bewaard bij opslaan" in html
    assert pending_ids(html) == [str(pending.pk)]
    assert f'for="discard-pending-{pending.pk}">foto.png verwijderen</label>' in html
    assert "Kies je bestanden opnieuw" not in html
    assert "Twee bankjes voor het dorpsplein.</textarea>" in html  # the input stays too


def test_saving_attaches_the_kept_files_and_the_new_ones(
    cast: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(cast.applicant)
    html = client.post(
        CREATE, {**form_data(cast, title=""), "uploads": png_upload("foto.png")}
    ).content.decode()
    # A second mistake with a second file: both wait now.
    html = client.post(
        CREATE,
        {
            **form_data(cast, title=""),
            "pending_upload": pending_ids(html),
            "uploads": pdf_upload("offerte.pdf"),
        },
    ).content.decode()
    assert len(pending_ids(html)) == 2
    assert "Gekozen: offerte.pdf" in html and "Gekozen: foto.png" in html

    with django_capture_on_commit_callbacks(execute=True):  # the waiting files' copies go
        response = client.post(
            CREATE,
            {
                **form_data(cast),
                "pending_upload": pending_ids(html),
                "uploads": png_upload("nu.png"),
            },
        )
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    attachments = list(initiative.attachments.order_by("id"))
    assert [a.original_name for a in attachments] == ["foto.png", "offerte.pdf", "nu.png"]
    assert all(a.uploaded_by == cast.applicant for a in attachments)
    assert not PendingUpload.objects.exists()
    # The files moved to the initiative's folder; nothing is left waiting.
    assert stored_files(media) == sorted(a.file.name for a in attachments)
    assert all(a.file.name.startswith(f"initiatives/{initiative.pk}/") for a in attachments)
    # The applicant sees the photo through the permission-checked view.
    photo = client.get(attachments[0].get_absolute_url())
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"


def test_someone_elses_pending_upload_is_never_attached(cast: Any) -> None:
    theirs = services.pending_upload_add(
        actor=cast.outsider, upload=png_upload("van-een-ander.png")
    )
    client = client_for(cast.applicant)
    # Not shown on the applicant's form with errors ...
    html = client.post(
        CREATE, {**form_data(cast, title=""), "pending_upload": str(theirs.pk)}
    ).content.decode()
    assert "van-een-ander.png" not in html
    assert pending_ids(html) == []
    # ... not attached when it is saved, and not removed either.
    response = client.post(
        CREATE,
        {**form_data(cast), "pending_upload": str(theirs.pk), "discard_pending": str(theirs.pk)},
    )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert PendingUpload.objects.get() == theirs
    # The service refuses it as well, whoever calls it.
    saved = services.initiative_save_draft(
        actor=cast.applicant,
        initiative=None,
        values={"title": "Ander", "area": cast.neighbourhood},
        budget_lines=[],
        pending_uploads=[theirs.pk],
    )
    assert not saved.attachments.exists()


def test_a_ticked_remove_box_drops_the_kept_file(
    cast: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(cast.applicant)
    html = client.post(
        CREATE,
        {
            **form_data(cast, title=""),
            "uploads": [png_upload("weg.png"), png_upload("blijft.png")],
        },
    ).content.decode()
    ids = pending_ids(html)
    drop = PendingUpload.objects.get(original_name="weg.png")
    # Removed at the next submit, also when the form still has errors.
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(
            CREATE,
            {**form_data(cast, title=""), "pending_upload": ids, "discard_pending": str(drop.pk)},
        ).content.decode()
    assert "weg.png" not in html and "Gekozen: blijft.png" in html
    assert list(PendingUpload.objects.values_list("original_name", flat=True)) == ["blijft.png"]
    assert len(stored_files(media)) == 1
    response = client.post(CREATE, {**form_data(cast), "pending_upload": ids})
    assert response.status_code == 302
    assert [a.original_name for a in Initiative.objects.get().attachments.all()] == ["blijft.png"]


def test_a_wrong_file_on_an_invalid_new_form_is_refused_and_not_kept(cast: Any) -> None:
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 10, content_type="image/png")
    response = client_for(cast.applicant).post(
        CREATE, {**form_data(cast, title=""), "uploads": upload}
    )
    assert response.status_code == 400
    assert "virus.exe" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_at_most_so_many_files_wait_per_person(cast: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "MAX_PENDING_UPLOADS", 1)
    client = client_for(cast.applicant)
    client.post(CREATE, {**form_data(cast, title=""), "uploads": png_upload("een.png")})
    response = client.post(CREATE, {**form_data(cast, title=""), "uploads": png_upload("twee.png")})
    assert response.status_code == 400
    assert "1 bestanden die nog bewaard moeten worden" in response.content.decode()
    assert PendingUpload.objects.count() == 1


def test_cleanup_removes_pending_uploads_older_than_a_day(
    cast: Any, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    old = services.pending_upload_add(actor=cast.applicant, upload=png_upload("oud.png"))
    new = services.pending_upload_add(actor=cast.applicant, upload=png_upload("nieuw.png"))
    PendingUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    with pytest.raises(Exception, match="at least 1"):
        call_command("cleanup_pending_uploads", hours=0)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup_pending_uploads", verbosity=0)
    assert list(PendingUpload.objects.all()) == [new]
    assert stored_files(media) == [new.file.name]


def test_ids_that_are_not_ids_are_left_out(cast: Any) -> None:
    hostile = ["abc", "9" * 5_000, "-1", "1\x00", "", "99999999999999999999"]
    client = client_for(cast.applicant)
    response = client.post(
        CREATE,
        {**form_data(cast, title=""), "pending_upload": hostile, "discard_pending": hostile},
    )
    assert response.status_code == 400
    assert pending_ids(response.content.decode()) == []
    response = client.post(CREATE, {**form_data(cast), "pending_upload": hostile})
    assert response.status_code == 302
    assert not Attachment.objects.exists()
