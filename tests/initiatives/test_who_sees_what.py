"""Who reads which part of an initiative (docs/adr/001-who-reads-an-initiative.md).

A draft is the resident's own until it is submitted. After that, the area's aldermen and
community workers read the application, while only the officials who handle it (broker, area
coordinator, the municipality's admin) read the conversation, internal notes and private files.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from wijkwerk.initiatives import services

from .conftest import pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def get(user, url: str):
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(user)
    return client.get(url)


@pytest.fixture
def officials(cast):
    """Dorst's officials who do not decide on the initiative."""
    return {
        "alderman": cast.alderman,
        "community_worker": cast.community_worker,
        "coordinator": cast.coordinator,
    }


def test_a_draft_and_its_files_are_the_applicants_alone(cast, officials):
    draft = cast.draft()
    photo = services.attachment_add(
        actor=cast.applicant, initiative=draft, upload=png_upload(), purpose="application"
    )
    everyone_else = [*officials.values(), cast.broker, cast.admin, cast.neighbour]
    for user in everyone_else:
        assert get(user, draft.get_absolute_url()).status_code == 404, user
        assert get(user, photo.get_absolute_url()).status_code == 404, user
    assert get(cast.applicant, draft.get_absolute_url()).status_code == 200


def test_after_submission_aldermen_and_community_workers_read_the_application_only(cast, officials):
    draft = cast.draft(consent_to_publish=False)
    receipt = services.attachment_add(
        actor=cast.applicant, initiative=draft, upload=pdf_upload(), purpose="application"
    )
    initiative = services.initiative_submit(actor=cast.applicant, initiative=draft)
    services.message_post(
        actor=cast.broker, initiative=initiative, body="Interne notitie: bellen", internal=True
    )
    services.message_post(
        actor=cast.applicant, initiative=initiative, body="Vraag van Anna", internal=False
    )
    url = initiative.get_absolute_url()
    for name in ("alderman", "community_worker"):
        response = get(officials[name], url)
        html = response.content.decode()
        assert response.status_code == 200, name
        assert "Geveltuinen in de Kerkstraat" in html
        assert "Interne notitie" not in html and "Vraag van Anna" not in html, name
        assert get(officials[name], receipt.get_absolute_url()).status_code == 404, name
        message = reverse("initiatives:message", args=[initiative.pk])
        client = Client(HTTP_ACCEPT_LANGUAGE="nl")
        client.force_login(officials[name])
        assert client.post(message, {"body": "Hallo"}).status_code == 403, name
    for user in (officials["coordinator"], cast.broker, cast.admin):
        html = get(user, url).content.decode()
        assert "Interne notitie" in html and "Vraag van Anna" in html, user
        assert get(user, receipt.get_absolute_url()).status_code == 200, user
