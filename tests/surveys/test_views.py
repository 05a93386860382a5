"""Survey pages: the builder grows its options with a button and keeps what was typed, the
answering page refuses wrong answers per question with a 4xx and saves nothing, a second
response is refused, the results show exact figures to the holders and suppress small numbers
for the public, and the exports carry personal data only with consent."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from wijkwerk.surveys import services
from wijkwerk.surveys.models import Access, Response, Survey
from wijkwerk.surveys.services import Contact

from .factories import every_kind, good_answers, ids, publish

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def flat(raw: dict) -> dict:
    return {key: values if len(values) > 1 else values[0] for key, values in raw.items()}


def test_the_poll_form_grows_by_one_option_and_keeps_what_was_typed(cast) -> None:
    client = client_for(cast.broker)
    url = reverse("surveys:create_poll") + f"?area={cast.district.pk}"
    page = client.get(url)
    assert page.status_code == 200 and 'name="option_2"' in page.text
    data = {
        "area": cast.district.pk,
        "title": "Kermis",
        "question": "Juni of september?",
        "option_0": "Juni",
        "option_1": "September",
        "option_rows": "3",
        "access": "open",
        "results_shown": "live",
        "more_options": "1",
    }
    grown = client.post(reverse("surveys:create_poll"), data)
    assert grown.status_code == 200
    assert 'name="option_3"' in grown.text and 'value="September"' in grown.text
    assert '<input type="hidden" name="option_rows" value="4">' in grown.text
    assert Survey.objects.count() == 0
    del data["more_options"]
    data["option_rows"] = "4"
    made = client.post(reverse("surveys:create_poll"), data)
    survey = Survey.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse(
        "surveys:manage", args=[survey.pk]
    )
    assert [o.text for o in survey.questions.get().options.all()] == ["Juni", "September"]


def test_publishing_an_empty_survey_says_why(cast) -> None:
    survey = services.create_survey(
        actor=cast.broker, area=cast.district, values=services.SurveySettings(title="Leeg")
    )
    page = client_for(cast.broker).post(reverse("surveys:publish", args=[survey.pk]))
    assert page.status_code == 409
    assert "Voeg minstens één vraag toe voordat je de enquête publiceert." in page.text


def test_the_answering_page_has_a_fieldset_per_choice_and_a_select_per_ranked_item(cast) -> None:
    survey = publish(cast, every_kind(cast))
    page = client_for().get(reverse("surveys:detail", args=[survey.pk]))
    assert page.status_code == 200
    assert page.text.count("<legend") == 4  # one choice, several, scale, ranking
    ranking, items = ids(survey)["ranking"]
    for item in items:
        assert f'name="q{ranking.pk}_{item.pk}"' in page.text


def test_wrong_answers_are_refused_per_question_and_nothing_is_saved(cast) -> None:
    survey = publish(cast, every_kind(cast))
    q = ids(survey)
    raw = good_answers(survey)
    raw[f"q{q['scale'][0].pk}"] = ["9"]
    raw[f"q{q['number'][0].pk}"] = ["veel"]
    page = client_for().post(reverse("surveys:detail", args=[survey.pk]), flat(raw))
    assert page.status_code == 400
    assert "Geef een getal van 1 tot en met 5." in page.text
    assert "Geef een heel getal, zoals 12." in page.text
    assert 'value="Meer bankjes bij de kerk."' not in page.text  # a textarea keeps it as text
    assert "Meer bankjes bij de kerk." in page.text
    assert Response.objects.count() == 0


def test_one_response_per_browser_and_a_closed_survey_refuses(cast) -> None:
    survey = publish(cast, every_kind(cast))
    client = client_for()
    url = reverse("surveys:detail", args=[survey.pk])
    assert client.post(url, flat(good_answers(survey))).status_code == 302
    again = client.post(url, flat(good_answers(survey)))
    assert again.status_code == 409 and "Je hebt deze enquête al ingevuld." in again.text
    services.close(actor=cast.broker, survey=survey)
    closed = client_for().post(url, flat(good_answers(survey)))
    assert closed.status_code == 403
    assert "Deze enquête is niet open voor antwoorden." in closed.text
    assert Response.objects.count() == 1


def test_a_wrong_voting_code_is_refused(cast) -> None:
    from ..budgeting.factories import make_round

    process = make_round(cast, phase="voting", vote_with_code=True)
    survey = publish(cast, every_kind(cast, access=Access.CODE, process=process))
    page = client_for().post(
        reverse("surveys:detail", args=[survey.pk]),
        {**flat(good_answers(survey)), "code": "AAAA-BBBB-CCCC-DDDD"},
    )
    assert page.status_code == 400
    assert "De stemcode klopt niet" in page.text
    assert Response.objects.count() == 0


def test_results_exact_for_the_holder_suppressed_for_the_public(cast) -> None:
    survey = publish(cast, every_kind(cast))
    for _ in range(6):
        services.respond(
            actor=None, survey=survey, raw=good_answers(survey), session_key=uuid.uuid4().hex
        )
    other = good_answers(survey)
    q = ids(survey)
    other[f"q{q['single'][0].pk}"] = [str(q["single"][1][1].pk)]
    services.respond(actor=None, survey=survey, raw=other, session_key="x")
    survey.refresh_from_db()
    url = reverse("surveys:results", args=[survey.pk])
    holder = client_for(cast.broker).get(url)
    assert holder.status_code == 200
    assert "<svg" in holder.text and holder.text.count('class="utrecht-table result-table"') == 4
    # one choice: 6 of 7 "Elke week" (85,7%), 1 "Elke maand" (14,3%); exact for the holder
    assert ">6</td>" in holder.text and "85,7%" in holder.text and "14,3%" in holder.text
    assert "Meer bankjes bij de kerk." in holder.text  # the open answers, for the holder
    public = client_for().get(url)
    assert public.status_code == 200
    assert "minder dan 5" in public.text and "14,3%" not in public.text
    assert "Meer bankjes bij de kerk." not in public.text


def test_exports_carry_contact_details_only_with_consent(cast) -> None:
    survey = publish(cast, every_kind(cast, ask_contact=True))
    services.respond(
        actor=None,
        survey=survey,
        raw=good_answers(survey),
        session_key="a",
        contact=Contact(True, "Anna Aanvrager", "anna@example.nl"),
    )
    services.respond(
        actor=None,
        survey=survey,
        raw=good_answers(survey),
        session_key="b",
        contact=Contact(False, "Niels Buur", "niels@example.nl"),
    )
    client = client_for(cast.broker)
    text = client.get(reverse("surveys:export_csv", args=[survey.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == [
        "Antwoord",
        "Datum",
        "Naam (met toestemming)",
        "E-mailadres (met toestemming)",
    ]
    assert len(rows) == 3
    assert rows[1][2:4] == ["Anna Aanvrager", "anna@example.nl"]
    assert rows[2][2:4] == ["", ""]
    assert "Niels" not in text and "niels@example.nl" not in text
    assert rows[1][4:] == [
        "Elke week",
        "Speelplek; Groen",
        "4",
        "1. Stoepen; 2. Verlichting; 3. Bomen",
        "42",
        "Meer bankjes bij de kerk.",
    ]
    book = load_workbook(
        io.BytesIO(client.get(reverse("surveys:export_xlsx", args=[survey.pk])).content)
    )
    cells = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert cells[1][2:5] == ["Anna Aanvrager", "anna@example.nl", "Elke week"]
    assert cells[2][2:4] == [None, None]
    assert not any("Niels" in str(cell) for row in cells for cell in row)


def test_answering_without_an_account_is_rate_limited_per_address(cast, settings) -> None:
    settings.WIJKWERK_RATE_LIMITS = {**settings.WIJKWERK_RATE_LIMITS, "survey_answer": "2/m"}
    survey = publish(cast, every_kind(cast))
    url = reverse("surveys:detail", args=[survey.pk])
    for _ in range(2):
        assert client_for().post(url, flat(good_answers(survey))).status_code == 302
    limited = client_for().post(url, flat(good_answers(survey)))
    assert limited.status_code == 429
    assert "Je hebt dit te vaak kort na elkaar gedaan." in limited.text
    assert Response.objects.count() == 2


def test_an_open_survey_tells_a_logged_in_resident_too_that_no_account_is_needed(cast) -> None:
    survey = publish(cast, every_kind(cast))
    url = reverse("surveys:detail", args=[survey.pk])
    for client in (client_for(), client_for(cast.neighbour)):
        page = client.get(url).text
        assert "Je hebt geen account nodig om te antwoorden." in page
        assert "Je antwoordt zonder account" not in page
