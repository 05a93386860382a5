"""Who reads which part of an initiative (docs/adr/001-who-reads-an-initiative.md).

A draft is the resident's own until it is submitted. After that, the area's aldermen and
community workers read the application, while only the officials who handle it (broker, area
coordinator, the municipality's admin) read the conversation, internal notes and private files.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from wijkwerk.accounts.models import Role
from wijkwerk.initiatives import services

from ..accounts.factories import official
from .conftest import pdf_upload, png_upload

pytestmark = pytest.mark.django_db


def get(user, url: str):
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(user)
    return client.get(url)


@pytest.fixture
def officials(place):
    return {
        "alderman": official(Role.ALDERMAN, area=place.district),
        "community_worker": official(Role.COMMUNITY_WORKER, area=place.district),
        "coordinator": official(Role.AREA_COORDINATOR, area=place.district),
    }


def test_a_draft_and_its_files_are_the_applicants_alone(place, officials):
    draft = place.draft()
    photo = services.attachment_add(
        actor=place.applicant, initiative=draft, upload=png_upload(), purpose="application"
    )
    everyone_else = [*officials.values(), place.broker, place.admin, place.neighbour]
    for user in everyone_else:
        assert get(user, draft.get_absolute_url()).status_code == 404, user
        assert get(user, photo.get_absolute_url()).status_code == 404, user
    assert get(place.applicant, draft.get_absolute_url()).status_code == 200


def test_after_submission_aldermen_and_community_workers_read_the_application_only(
    place, officials
):
    draft = place.draft(consent_to_publish=False)
    receipt = services.attachment_add(
        actor=place.applicant, initiative=draft, upload=pdf_upload(), purpose="application"
    )
    initiative = services.initiative_submit(actor=place.applicant, initiative=draft)
    services.message_post(
        actor=place.broker, initiative=initiative, body="Interne notitie: bellen", internal=True
    )
    services.message_post(
        actor=place.applicant, initiative=initiative, body="Vraag van Anna", internal=False
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
    for user in (officials["coordinator"], place.broker, place.admin):
        html = get(user, url).content.decode()
        assert "Interne notitie" in html and "Vraag van Anna" in html, user
        assert get(user, receipt.get_absolute_url()).status_code == 200, user
