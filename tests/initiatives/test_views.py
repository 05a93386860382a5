"""The pages: submitting through the form, bad input, lists, detail, support, conversation."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wijkwerk.funds.selectors import fund_figures
from wijkwerk.initiatives import selectors, services
from wijkwerk.initiatives.models import Initiative, Message, Status, Support

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(cast: Any, **overrides: Any) -> dict[str, Any]:
    start = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "title": "Bankjes op het plein",
        "summary": "Twee bankjes voor het dorpsplein.",
        "description": "Zodat ouderen even kunnen zitten.",
        "area": cast.neighbourhood.pk,
        "category": cast.category.pk,
        "scheme": cast.scheme.pk,
        "applicant_kind": "person",
        "applicant_age": "67",
        "address": "Dorpsplein",
        "planned_start": start.isoformat(),
        "planned_end": (start + datetime.timedelta(days=2)).isoformat(),
        "own_contribution": "50,00",
        "own_contribution_hours": "10",
        "consent_to_publish": "on",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-description": "Bankje",
        "lines-0-amount": "450,00",
        "lines-1-description": "Plaatsing",
        "lines-1-amount": "1.250",
        "lines-2-description": "",
        "lines-2-amount": "",
        "co-TOTAL_FORMS": "2",
        "co-INITIAL_FORMS": "0",
        "co-0-name": "Piet",
        "co-0-age": "70",
        "co-0-lives_in_area": "on",
    }
    data.update(overrides)
    return data


def test_create_draft_computes_the_total_on_the_server(cast):
    client = client_for(cast.applicant)
    response = client.post(reverse("initiatives:create"), form_data(cast))
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.status == Status.DRAFT
    assert initiative.requested_cents == 45_000 + 125_000
    assert initiative.own_contribution_cents == 5_000
    assert [c.name for c in initiative.co_applicants.all()] == ["Piet"]
    assert client.get(reverse("initiatives:edit", args=[initiative.pk])).status_code == 200


def test_save_and_submit_through_the_pages(cast, django_capture_on_commit_callbacks):
    client = client_for(cast.applicant)
    response = client.post(reverse("initiatives:create"), form_data(cast, to_submit="1"))
    initiative = Initiative.objects.get()
    assert response["Location"] == reverse("initiatives:submit", args=[initiative.pk])
    assert client.get(response["Location"]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("initiatives:submit", args=[initiative.pk]))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Status.UNDER_REVIEW


@pytest.mark.parametrize(
    "amount",
    ["-10", "0", "0,00", "99999999999999", "tien euro", "1,234", "12.34.56", "1e5", "NaN"],
)
def test_bad_amounts_give_form_errors_and_save_nothing(cast, amount):
    client = client_for(cast.applicant)
    response = client.post(
        reverse("initiatives:create"), form_data(cast, **{"lines-0-amount": amount})
    )
    assert response.status_code == 400
    assert not Initiative.objects.exists()
    assert "lines-0-amount_error" in response.content.decode()


def test_dates_in_the_wrong_order(cast):
    start = timezone.localdate() + datetime.timedelta(days=30)
    response = client_for(cast.applicant).post(
        reverse("initiatives:create"),
        form_data(
            cast,
            planned_start=start.isoformat(),
            planned_end=(start - datetime.timedelta(days=1)).isoformat(),
        ),
    )
    assert response.status_code == 400
    assert "id_planned_end_error" in response.content.decode()
    assert not Initiative.objects.exists()


def test_script_in_texts_is_escaped(cast):
    script = "<script>alert('x')</script>"
    initiative = cast.submitted(title=f"Plein {script}", summary=f"Zomaar {script}")
    services.message_post(actor=cast.applicant, initiative=initiative, body=script, internal=False)
    for user in (cast.applicant, cast.broker):
        html = client_for(user).get(initiative.get_absolute_url()).content.decode()
        assert script not in html
        assert "&lt;script&gt;" in html
    listing = Client().get(reverse("initiatives:list")).content.decode()
    assert script not in listing


def test_public_list_hides_drafts_and_non_consented(cast):
    cast.submitted(title="Zichtbaar plan")
    cast.draft(title="Nog een concept")
    cast.submitted(title="Niet publiek", consent_to_publish=False)
    html = Client().get(reverse("initiatives:list")).content.decode()
    assert "Zichtbaar plan" in html
    assert "Nog een concept" not in html
    assert "Niet publiek" not in html


def test_list_filters_and_search(cast):
    cast.submitted(title="Moestuin bij de school", summary="Groente kweken met kinderen.")
    cast.submitted(title="Speeltoestel", summary="Een schommel voor het plein.")
    client = Client()
    html = client.get(reverse("initiatives:list"), {"q": "moestuin"}).content.decode()
    assert "Moestuin bij de school" in html and "Speeltoestel" not in html
    html = client.get(
        reverse("initiatives:list"), {"area": cast.district.pk, "status": "under_review"}
    ).content.decode()
    assert "Moestuin" in html and "Speeltoestel" in html
    html = client.get(
        reverse("initiatives:list"), {"area": cast.other_district.pk}
    ).content.decode()
    assert "Moestuin" not in html
    for sort in ("newest", "oldest", "support", "amount", "title", "relevance"):
        assert client.get(reverse("initiatives:list"), {"sort": sort}).status_code == 200
    bad = client.get(reverse("initiatives:list"), {"year": "abc", "area": "x", "page": "999"})
    assert bad.status_code == 200


def test_support_once_and_withdraw(cast):
    initiative = cast.submitted()
    client = client_for(cast.neighbour)
    url = reverse("initiatives:support", args=[initiative.pk])
    client.post(url)
    initiative.refresh_from_db()
    assert initiative.support_count == 1
    assert Support.objects.filter(initiative=initiative).count() == 1
    client.post(url)
    initiative.refresh_from_db()
    assert initiative.support_count == 0
    assert client_for(cast.applicant).post(url).status_code == 403


def test_internal_notes_stay_internal(cast):
    initiative = cast.submitted()
    client_for(cast.broker).post(
        reverse("initiatives:message", args=[initiative.pk]),
        {"body": "Intern: budget is krap", "is_internal": "on"},
    )
    client_for(cast.applicant).post(
        reverse("initiatives:message", args=[initiative.pk]),
        {"body": "Mag het ook later?", "is_internal": "on"},
    )
    assert Message.objects.filter(is_internal=True).count() == 1
    applicant_page = client_for(cast.applicant).get(initiative.get_absolute_url()).content.decode()
    broker_page = client_for(cast.broker).get(initiative.get_absolute_url()).content.decode()
    assert "budget is krap" not in applicant_page and "Mag het ook later?" in applicant_page
    assert "budget is krap" in broker_page


def test_transition_page_approves_and_refuses_bad_amounts(cast):
    initiative = cast.submitted()
    client = client_for(cast.broker)
    url = reverse("initiatives:transition", args=[initiative.pk, "approve"])
    assert client.get(url).status_code == 200
    for amount in ("-5", "0", "abc", "99999999999"):
        response = client.post(url, {"amount": amount, "fund": cast.fund.pk})
        assert response.status_code == 400
    response = client.post(url, {"amount": "2.000,00", "fund": cast.fund.pk})
    assert response.status_code == 400, "more than requested"
    assert fund_figures(cast.fund).committed == 0
    response = client.post(
        url, {"amount": "1.250,00", "fund": cast.fund.pk, "conditions": "Foto's"}
    )
    assert response.status_code == 302
    assert fund_figures(cast.fund).committed == 125_000
    assert client_for(cast.applicant).get(url).status_code == 403
    reject = reverse("initiatives:transition", args=[initiative.pk, "reject"])
    response = client.get(reject)
    assert response.status_code == 302, "not possible while approved"


def test_dashboard_and_bulk_actions(cast):
    first = cast.submitted(title="Eerste")
    second = cast.approved(title="Tweede")
    client = client_for(cast.broker)
    html = client.get(reverse("initiatives:dashboard")).content.decode()
    assert "Eerste" in html and "Tweede" in html
    bulk = reverse("initiatives:dashboard_bulk")
    response = client.post(bulk, {"action": "mark_paid", "initiatives": [second.pk]}, follow=True)
    assert fund_figures(cast.fund).paid == 0, "the broker approved it: a second official pays"
    assert "Tweede" in response.content.decode()
    admin = client_for(cast.admin)
    response = admin.post(bulk, {"action": "mark_paid", "initiatives": [second.pk]})
    assert response.status_code == 302
    assert fund_figures(cast.fund).paid == 125_000
    response = admin.post(bulk, {"action": "mark_paid", "initiatives": [first.pk, second.pk]})
    assert fund_figures(cast.fund).paid == 125_000, "all or nothing: first is not approved"
    other = client_for(cast.other_broker).post(
        reverse("initiatives:dashboard_bulk"), {"action": "assign_to_me", "initiatives": [first.pk]}
    )
    assert other.status_code == 404
    assert client_for(cast.neighbour).get(reverse("initiatives:dashboard")).status_code == 403


def test_list_counts_up_to_a_limit_and_still_reaches_every_page(cast, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 2)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    for n in range(4):
        cast.submitted(title=f"Plan {n}")
    client = Client()
    client.cookies["django_language"] = "en"  # the language switch's choice
    url = reverse("initiatives:list")
    first = client.get(url).content.decode()
    assert "More than 2 initiatives" in first and "Page 1<" in first and 'rel="next"' in first
    last = client.get(url, {"page": 4}).content.decode()
    assert "4 initiatives" in last and "Page 4 of 4" in last and 'rel="next"' not in last
    assert ">Plan 0<" in last, "oldest last"
    beyond = client.get(url, {"page": 9}).content.decode()
    assert "Page 4 of 4" in beyond
    assert "1 initiative<" in client.get(url, {"q": "Plan 3"}).content.decode()


def test_dashboard_sections_show_the_most_urgent_and_link_to_all(cast, monkeypatch):
    monkeypatch.setattr(selectors, "DASHBOARD_ROWS", 1)
    monkeypatch.setattr(selectors, "DASHBOARD_PAGE_SIZE", 2)
    plans = [cast.submitted(title=f"Plan {n}") for n in range(3)]
    client = client_for(cast.broker)
    url = reverse("initiatives:dashboard")
    html = client.get(url).content.decode()
    assert html.count(">Plan ") == 1
    assert "(3)</h2>" in html, "the section's size, not the rows shown"
    assert 'href="?section=new"' in html
    assert f'href="{plans[0].get_absolute_url()}"' in html
    first = client.get(url, {"section": "new"}).content.decode()
    second = client.get(url, {"section": "new", "page": 2}).content.decode()
    assert first.count(">Plan ") == 2 and second.count(">Plan ") == 1
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert client.get(url, {"section": "nonsense"}).status_code == 404
    assert client_for(cast.neighbour).get(url, {"section": "new"}).status_code == 403


def test_similar_initiatives_are_shown_before_submitting(cast):
    cast.submitted(title="Geveltuinen Kerkstraat", summary="Geveltuinen voor iedereen.")
    draft = cast.draft(title="Nog meer geveltuinen", summary="Geveltuinen in de Molenstraat.")
    html = (
        client_for(cast.applicant)
        .get(reverse("initiatives:submit", args=[draft.pk]))
        .content.decode()
    )
    assert "Geveltuinen Kerkstraat" in html


def test_area_and_home_pages_include_activity(cast):
    initiative = cast.submitted(title="Dorpsfeest")
    html = Client().get(cast.district.get_absolute_url()).content.decode()
    assert "Dorpsfeest" in html
    assert initiative.get_absolute_url() in html


def test_completed_initiative_with_photo_is_a_good_example(cast):
    from wijkwerk.initiatives.models import AttachmentPurpose

    from .conftest import png_upload

    done = cast.approved(title="Buurtmoestuin")
    services.attachment_add(
        actor=cast.applicant,
        initiative=done,
        upload=png_upload(),
        purpose=AttachmentPurpose.RESULT_PHOTO,
    )
    cast.submitted(title="Nog open plan")
    Initiative.objects.filter(pk=done.pk).update(status=Status.COMPLETED)
    area_html = Client().get(cast.district.get_absolute_url()).content.decode()
    assert "Buurtmoestuin" in area_html and "Nog open plan" in area_html
    assert 'class="example-photo"' in area_html
    home_html = Client().get(reverse("site:home")).content.decode()
    assert "Buurtmoestuin" in home_html
    assert "Nog open plan" not in home_html
    other = Client().get(cast.other_district.get_absolute_url()).content.decode()
    assert "Buurtmoestuin" not in other


def test_the_timeline_names_a_payment_instead_of_repeating_the_status(cast):
    """A payment leaves the status as it was; the timeline says it was paid, not the status again
    (the demo showed "toegekend" twice)."""
    import itertools
    import re

    initiative = cast.advance_paid()
    html = client_for(cast.applicant).get(initiative.get_absolute_url()).content.decode()
    timeline = html[
        html.index('<ol class="timeline">') : html.index("</ol>", html.index("timeline"))
    ]
    steps = [
        re.sub(r"<[^>]+>", "", item).split("—", 1)[1].split(":")[0].strip()
        for item in re.findall(r"<li>(.*?)</li>", timeline, re.S)
    ]
    assert "betaling gedaan" in steps
    assert all(a != b for a, b in itertools.pairwise(steps)), steps
