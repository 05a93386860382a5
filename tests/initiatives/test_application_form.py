"""The application in three pages: the scheme and what it asks first, then one form that asks
what that scheme needs (rows added without JavaScript, files saved with the rest, nothing typed
lost), then the check page whose submit button is only there when submitting can succeed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.funds.factories import SchemeFactory
from wijkwerk.initiatives.models import Attachment, Initiative

from .conftest import png_upload
from .test_views import client_for, form_data

pytestmark = pytest.mark.django_db

CREATE = reverse("initiatives:create")


def label_of(html: str, field_id: str) -> str:
    match = re.search(rf'<label[^>]*for="{field_id}"[^>]*>(.*?)</label>', html, re.S)
    assert match, f"no label for {field_id}"
    return match.group(1)


def test_first_page_shows_each_scheme_with_what_it_asks(cast: Any) -> None:
    cast.scheme.required_cosigners = 3
    cast.scheme.save()
    SchemeFactory(municipality=cast.oss, name="Regeling van Oss")
    html = client_for(cast.applicant).get(CREATE).content.decode()
    assert "Stap 1 van 3" in html
    assert "Regeling bewonersinitiatieven" in html
    assert "Je vraagt ten hoogste € 5.000,00." in html
    assert "3 buren van 12 jaar of ouder ondertekenen met je" in html
    assert "minstens 14 dagen nadat je aanvraagt" in html
    assert "Regeling van Oss" not in html  # not the applicant's municipality
    assert 'name="scheme"' not in html  # the form comes on the next page


def test_an_unknown_scheme_is_refused_with_a_message(cast: Any) -> None:
    response = client_for(cast.applicant).get(CREATE, {"regeling": "999999"})
    assert response.status_code == 400
    assert "Kies een van de regelingen hieronder." in response.content.decode()


def test_the_form_asks_only_what_the_scheme_needs_and_says_what_is_optional(cast: Any) -> None:
    client = client_for(cast.applicant)
    html = client.get(CREATE, {"regeling": cast.scheme.pk}).content.decode()
    assert "Stap 2 van 3" in html
    assert "Wat Regeling bewonersinitiatieven vraagt" in html
    # Needed to submit: never "(niet verplicht)", though a draft may leave them empty.
    for field_id in ("id_description", "id_planned_start", "id_planned_end", "id_applicant_age"):
        assert "niet verplicht" not in label_of(html, field_id), field_id
    assert "niet verplicht" in label_of(html, "id_own_contribution_hours")
    # The cast's scheme asks no co-signers and never a legal entity; the applicant is in no
    # group or council: none of those questions.
    for absent in ('name="co-TOTAL_FORMS"', 'name="legal_entity"', 'name="applicant_kind"'):
        assert absent not in html
    # The place: an address, the coordinates only hidden (filled by the map).
    assert 'name="address"' in html
    assert re.search(r'<input type="hidden" name="latitude"', html)
    assert 'type="number" name="latitude"' not in html

    cast.scheme.required_cosigners = 2
    cast.scheme.legal_entity_above_cents = 100_000
    cast.scheme.save()
    html = client.get(CREATE, {"regeling": cast.scheme.pk}).content.decode()
    assert html.count('class="co-applicant"') == 2
    assert 'name="legal_entity"' in html
    assert "niet verplicht" not in label_of(html, "id_legal_entity")


def test_add_another_co_signer_keeps_everything_typed(cast: Any) -> None:
    cast.scheme.required_cosigners = 1
    cast.scheme.save()
    client = client_for(cast.applicant)
    data = form_data(cast, **{"co-TOTAL_FORMS": "1", "add_cosigner": "1"})
    data.pop("lines-2-description"), data.pop("lines-2-amount")
    data["lines-TOTAL_FORMS"] = "2"
    response = client.post(CREATE, data)
    initiative = Initiative.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("initiatives:edit", args=[initiative.pk]) + "?mede=2#co-2"
    )
    assert initiative.title == "Bankjes op het plein"  # saved on the way
    assert [c.name for c in initiative.co_applicants.all()] == ["Piet"]
    html = client.get(response["Location"]).content.decode()
    assert html.count('class="co-applicant"') == 2
    assert 'value="Piet"' in html
    assert 'id="co-2"' in html

    # With an error elsewhere the form comes back at once with the new row and the input.
    data = form_data(
        cast, title="", **{"co-TOTAL_FORMS": "1", "add_cosigner": "1", "co-0-name": "Kees"}
    )
    response = client.post(reverse("initiatives:edit", args=[initiative.pk]), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count('class="co-applicant"') == 2
    assert 'value="Kees"' in html and "Twee bankjes voor het dorpsplein." in html


def test_add_another_budget_line(cast: Any) -> None:
    draft = cast.draft()
    client = client_for(cast.applicant)
    html = client.get(reverse("initiatives:edit", args=[draft.pk])).content.decode()
    assert html.count('class="budget-line"') == 3  # two lines and an empty one
    data = form_data(cast, add_line="1")
    response = client.post(reverse("initiatives:edit", args=[draft.pk]), data)
    assert response["Location"].endswith("?regels=4#line-4")
    html = client.get(response["Location"]).content.decode()
    assert html.count('class="budget-line"') == 4
    assert 'value="Plaatsing"' in html


def test_files_chosen_on_the_form_are_saved_with_the_edits(cast: Any, settings: Any, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = cast.draft()
    client = client_for(cast.applicant)
    url = reverse("initiatives:edit", args=[draft.pk])
    response = client.post(url, {**form_data(cast, title="Nieuwe titel"), "uploads": png_upload()})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Nieuwe titel"
    assert Attachment.objects.filter(initiative=draft).count() == 1

    # A file chosen while something else is wrong is kept all the same, and so is the input.
    response = client.post(
        url,
        {**form_data(cast, title="Nog een titel", planned_end="gisteren"), "uploads": png_upload()},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert Attachment.objects.filter(initiative=draft).count() == 2
    assert 'value="Nog een titel"' in html
    assert html.count('class="attachment-thumb"') == 2
    assert 'href="#id_planned_end"' in html  # the error summary links to the field
    assert "Je bestanden zijn bewaard." in html

    # Removing a file is a button of the same form: the edits go along.
    photo = Attachment.objects.filter(initiative=draft).first()
    assert photo is not None
    response = client.post(
        url, {**form_data(cast, title="Derde titel"), "remove_attachment": str(photo.pk)}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Derde titel"
    assert Attachment.objects.filter(initiative=draft).count() == 1


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_on_the_form(cast: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = cast.draft()
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 10, content_type="image/png")
    response = client_for(cast.applicant).post(
        reverse("initiatives:edit", args=[draft.pk]), {**form_data(cast), "uploads": upload}
    )
    assert response.status_code == 400
    assert "virus.exe" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_check_page_offers_submit_only_when_it_can_succeed(cast: Any) -> None:
    client = client_for(cast.applicant)
    draft = cast.draft(description="", planned_start=None)
    url = reverse("initiatives:submit", args=[draft.pk])
    html = client.get(url).content.decode()
    assert "Stap 3 van 3" in html
    assert "Initiatief indienen" not in html and 'method="post"' not in html.split("<main")[1]
    edit = reverse("initiatives:edit", args=[draft.pk])
    assert f'href="{edit}#id_description"' in html
    assert f'href="{edit}#id_planned_start"' in html

    complete = cast.draft(title="Compleet plan")
    html = client.get(reverse("initiatives:submit", args=[complete.pk])).content.decode()
    assert "Voordat je kunt indienen" not in html
    assert "Post 1: € 800,00" in re.sub(r"<[^>]+>", "", html)
    assert re.search(r'<form method="post" class="inline-form">', html)


def test_the_error_summary_links_to_each_field(cast: Any) -> None:
    response = client_for(cast.applicant).post(
        CREATE, form_data(cast, title="", **{"lines-0-amount": "tien euro"})
    )
    html = response.content.decode()
    assert response.status_code == 400
    summary = html[html.index('id="form-errors"') :]
    summary = summary[: summary.index("</div>")]
    assert 'href="#id_title"' in summary
    assert 'href="#id_lines-0-amount"' in summary
    assert not Initiative.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(cast: Any) -> None:
    assert Client().get(CREATE).status_code == 302


def test_the_scheme_chosen_on_the_first_page_is_chosen_on_the_form(cast: Any) -> None:
    html = client_for(cast.applicant).get(CREATE, {"regeling": cast.scheme.pk}).content.decode()
    assert re.search(rf'<option value="{cast.scheme.pk}" selected>', html)


def test_accountability_files_are_added_on_the_form_keeping_the_report(
    cast: Any, settings: Any, tmp_path: Any
) -> None:
    from .conftest import pdf_upload

    settings.MEDIA_ROOT = tmp_path
    initiative = cast.approved()
    lines = list(initiative.budget_lines.all())
    client = client_for(cast.applicant)
    url = reverse("initiatives:accountability", args=[initiative.pk])
    typed = {"report": "Twaalf buren hebben geholpen.", "took_place": "on", "participants": ""}
    response = client.post(url, {**typed, "receipts": pdf_upload(), "add_files": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Twaalf buren hebben geholpen." in html
    assert 'id="form-errors"' not in html  # the report is not judged yet
    assert [a.purpose for a in initiative.attachments.all()] == ["receipt"]

    actual = {f"actual_{line.pk}": "600,00" for line in lines}
    response = client.post(
        url, {**typed, "participants": "40", **actual, "photos": png_upload("klaar.png")}
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "accounted"
    assert sorted(a.purpose for a in initiative.attachments.all()) == ["receipt", "result_photo"]
