"""The report pages: the public list, the report as a page and a PDF, the clerk's drafts, edit
form, regeneration and publication; bad input gives a clear 4xx, never a 500; a published
report refuses every change through the views."""

from __future__ import annotations

import hashlib
from unittest import mock

import pytest
from django.test import Client

from wijkwerk.core.quarters import Quarter
from wijkwerk.reports import services
from wijkwerk.reports.models import QuarterlyReport

from ..permissions.expectations.reports import PDF

PUBLISHED = "Dit rapport is gepubliceerd en verandert niet meer."


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(quarter: Quarter, suffix: str = "") -> str:
    return f"/rapportages/oosterhout/{quarter.slug}/{suffix}"


@pytest.fixture
def last() -> Quarter:
    return Quarter.current().previous()


def published(cast, quarter: Quarter) -> QuarterlyReport:
    report = services.generate(cast.clerk, cast.municipality, quarter)
    services.edit(cast.clerk, report, introduction="Een goed kwartaal.", notes={})
    with mock.patch("wijkwerk.reports.rendering.render_pdf", return_value=PDF):
        return services.publish(cast.clerk, report)


def test_the_list_shows_published_reports_per_municipality(cast, last) -> None:
    published(cast, last)
    services.generate(cast.clerk, cast.municipality, Quarter.current())  # a draft: not listed
    page = client_for().get("/rapportages/").content.decode()
    assert "<h2" in page and ">Oosterhout</h2>" in page
    assert f'href="{url(last)}"' in page
    assert f'href="{url(last, "pdf/")}"' in page
    assert url(Quarter.current()) not in page


def test_a_published_report_shows_its_sha256_checked_now(cast, last) -> None:
    report = published(cast, last)
    response = client_for().get(url(last))
    assert response.status_code == 200
    page = response.content.decode()
    assert report.pdf_sha256 in page
    assert hashlib.sha256(PDF).hexdigest() == report.pdf_sha256
    assert "Het bewaarde bestand is zojuist gecontroleerd: de SHA-256 is dezelfde." in page
    assert "Een goed kwartaal." in page
    assert f"Kwartaalrapportage aan de raad van Oosterhout: {last}" in page


def test_a_changed_file_is_shown_as_not_matching(cast, last) -> None:
    report = published(cast, last)
    with open(report.pdf.path, "ab") as handle:
        handle.write(b"tampered")
    page = client_for().get(url(last)).content.decode()
    assert "Het bewaarde bestand klopt niet meer met de SHA-256" in page


def test_the_pdf_is_the_stored_file(cast, last) -> None:
    report = published(cast, last)
    response = client_for().get(url(last, "pdf/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == report.pdf_sha256
    assert response["X-Content-SHA256"] == report.pdf_sha256


def test_a_quarter_without_data_says_so_per_section(cast) -> None:
    quarter = Quarter(2021, 2)
    report = services.generate(cast.clerk, cast.municipality, quarter)
    page = client_for(cast.clerk).get(report.get_absolute_url()).content.decode()
    for text in (
        "In dit kwartaal liep geen pilot en is geen les vastgelegd.",
        "In dit kwartaal is geen initiatief ingediend.",
        "De gemeente heeft geen fonds voor dit jaar.",
        "In dit kwartaal is geen bewoner bereikt, of er is niets vastgelegd.",
        "In dit kwartaal liep geen budgetronde.",
        "In dit kwartaal liep geen uitdaging.",
    ):
        assert text in page


@pytest.mark.parametrize("text", ["2026-K9", "kwartaal", "2026-K0", "99999-K1"])
def test_an_unreadable_quarter_is_a_404_with_the_reason(cast, text) -> None:
    response = client_for().get(f"/rapportages/oosterhout/{text}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Rapportage niet gevonden" in page
    assert "2026-K3" in page or "kwartaal" in page  # how to write a quarter, or why not


def test_an_unknown_report_is_a_404_with_the_reason(cast, last) -> None:
    response = client_for().get(url(last))
    assert response.status_code == 404
    assert f"Hier is geen gepubliceerde rapportage over het {last}." in response.content.decode()
    response = client_for().get(f"/rapportages/nergens/{last.slug}/")
    assert response.status_code == 404


def test_the_clerk_generates_edits_and_publishes(cast, last) -> None:
    clerk = client_for(cast.clerk)
    response = clerk.post(
        "/rapportages/concepten/", {"municipality": cast.municipality.pk, "quarter": last.slug}
    )
    assert response.status_code == 302
    assert response["Location"] == url(last, "bewerken/")
    report = QuarterlyReport.objects.get()
    figures = report.figures
    response = clerk.post(
        url(last, "bewerken/"),
        {"introduction": "Inleiding van de griffie.", "note_rounds": "Twee rondes."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.introduction == "Inleiding van de griffie."
    assert report.notes == {"rounds": "Twee rondes."}
    assert report.figures == figures
    preview = clerk.get(url(last)).content.decode()
    assert "Concept: alleen de griffie en de beheerders zien dit voorbeeld." in preview
    assert "Twee rondes." in preview
    assert clerk.post(url(last, "opnieuw/")).status_code == 302
    with mock.patch("wijkwerk.reports.rendering.render_pdf", return_value=PDF):
        response = clerk.post(url(last, "publiceren/"))
    assert response.status_code == 302
    assert response["Location"] == url(last)
    report.refresh_from_db()
    assert report.states.published


def test_a_published_report_cannot_change_through_the_views(cast, last) -> None:
    report = published(cast, last)
    clerk = client_for(cast.clerk)
    for path, data in (
        (url(last, "bewerken/"), {"introduction": "Anders."}),
        (url(last, "opnieuw/"), {}),
        (url(last, "publiceren/"), {}),
    ):
        response = clerk.post(path, data)
        assert response.status_code == 409, path
        assert PUBLISHED in response.content.decode()
    response = clerk.post(
        "/rapportages/concepten/", {"municipality": cast.municipality.pk, "quarter": last.slug}
    )
    assert response.status_code == 400
    assert PUBLISHED in response.content.decode()
    stored = QuarterlyReport.objects.get(pk=report.pk)
    assert stored.introduction == "Een goed kwartaal."
    assert stored.figures == report.figures
    assert stored.pdf_sha256 == report.pdf_sha256


def test_bad_input_is_refused_with_a_message_and_nothing_saved(cast, last) -> None:
    clerk = client_for(cast.clerk)
    response = clerk.post(
        "/rapportages/concepten/", {"municipality": cast.municipality.pk, "quarter": "2026-K9"}
    )
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    response = clerk.post(
        "/rapportages/concepten/", {"municipality": cast.oss.pk, "quarter": last.slug}
    )
    assert response.status_code == 400  # not the clerk's municipality
    assert not QuarterlyReport.objects.exists()
    services.generate(cast.clerk, cast.municipality, last)
    response = clerk.post(url(last, "bewerken/"), {"introduction": "x" * 10_001})
    assert response.status_code == 400
    assert "10000" in response.content.decode() or "10.000" in response.content.decode()
    assert QuarterlyReport.objects.get().introduction == ""
    response = clerk.post(
        "/rapportages/concepten/", {"municipality": cast.municipality.pk, "quarter": last.slug}
    )
    assert response.status_code == 400
    assert f"Er is al een concept voor het {last}" in response.content.decode()


def test_the_report_page_reads_a_fixed_number_of_queries(
    cast, last, django_assert_max_num_queries
) -> None:
    published(cast, last)
    with django_assert_max_num_queries(12):
        assert client_for().get(url(last)).status_code == 200
