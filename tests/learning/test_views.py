"""The pages: the pilot page with its lessons side by side, the lists and their filters, the
forms with bad input (clear message, 4xx, nothing saved), script shown as text, moderation,
the quarterly report's selector and the area panel, with queries constant in the rows."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wijkwerk.areas.models import Area
from wijkwerk.core import panels
from wijkwerk.core.quarters import Quarter
from wijkwerk.learning import selectors
from wijkwerk.learning.models import Lesson, LessonStatus, Perspective, Pilot, PilotStatus

from . import factories

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def pilot_post(cast: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Bewoners beheren het groen",
        "goal": "Bewoners beheren zelf het groen.",
        "areas": [cast.neighbourhood.pk],
        "starts_on": "2026-03-01",
        "ends_on": "2026-09-30",
        "officials": [cast.broker.pk],
        "people": "Bewoners van de Vijf Eikenweg",
        "status": "planned",
    }
    data.update(overrides)
    return data


def create_url(cast: Any) -> str:
    return reverse("learning:pilot_create", kwargs={"municipality": cast.municipality.slug})


def test_an_official_starts_a_pilot(cast):
    response = client_for(cast.broker).post(create_url(cast), pilot_post(cast))
    pilot = Pilot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:pilot", kwargs={"pk": pilot.pk})
    assert (pilot.starts_on, pilot.ends_on) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 9, 30),
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": "2026-02-01"}, "De pilot moet eindigen na de start."),
        ({"ends_on": "2026-03-01"}, "De pilot moet eindigen na de start."),
        ({"goal": "<script>alert(1)</script>"}, "Schrijf gewone tekst, zonder HTML"),
        ({"title": "x" * 151}, "niet meer dan 150 tekens bevat (het zijn er nu 151)"),
        ({"goal": "x" * 3001}, "niet meer dan 3000 tekens bevat (het zijn er nu 3001)"),
        ({"areas": []}, "Kies minstens één gebied."),
        ({"areas": ["999999"]}, "Kies gebieden van Oosterhout."),
        ({"areas": ["lith"]}, "Kies gebieden van Oosterhout."),
        ({"areas": ["other_district"]}, "Kies minstens één gebied waar je voor werkt."),
        ({"officials": ["oss_admin"]}, "Noem alleen medewerkers die voor Oosterhout werken."),
        ({"starts_on": "31-02-2026"}, "Voer een geldige datum in."),
    ],
)
def test_a_bad_pilot_is_refused_with_a_clear_message(cast, overrides, message):
    for key in ("areas", "officials"):
        if key in overrides:
            overrides[key] = [
                getattr(cast, value).pk if hasattr(cast, str(value)) else value
                for value in overrides[key]
            ]
    response = client_for(cast.broker).post(create_url(cast), pilot_post(cast, **overrides))
    assert response.status_code == 400
    assert message in text_of(response)
    assert Pilot.objects.count() == 0


def test_the_pilot_page_shows_both_perspectives_side_by_side_and_text_escaped(cast):
    pilot = factories.pilot(cast.broker, areas=[cast.neighbourhood], officials=[cast.broker])
    factories.lesson(cast.broker, pilot=pilot, title="Plan met de buren")
    factories.lesson(
        cast.community_worker,
        pilot=pilot,
        perspective=Perspective.RESIDENTS,
        title="Zaterdag werkt beter",
        text="Op zaterdag komen 12 < 20 buren & hun kinderen niet.",
        on_behalf=True,
    )
    waiting = factories.resident_lesson(cast.applicant, pilot=pilot, title="Nog niet openbaar")
    response = Client().get(reverse("learning:pilot", kwargs={"pk": pilot.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    columns = html.split('id="municipality-heading"')[1].split('id="residents-heading"')
    assert "Plan met de buren" in columns[0] and "Zaterdag werkt beter" not in columns[0]
    assert "Zaterdag werkt beter" in columns[1] and "Plan met de buren" not in columns[1]
    assert ">Gemeente</h3>" in html and ">Bewoners</h3>" in html
    assert "vastgelegd namens bewoners" in html
    assert "12 &lt; 20 buren &amp;" in html
    assert waiting.title not in html
    assert "Bram Makelaar" in html  # the official in the pilot
    assert "Bewoners van de Vijf Eikenweg" in html


def test_the_pilot_page_reads_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    pilot = factories.pilot(cast.broker, areas=[cast.neighbourhood, cast.district])
    url = reverse("learning:pilot", kwargs={"pk": pilot.pk})
    factories.lesson(cast.broker, pilot=pilot, title="Eerste")
    Client().get(url)
    with CaptureQueriesContext(connection) as few:
        Client().get(url)
    for n in range(6):
        factories.lesson(cast.broker, pilot=pilot, title=f"Les {n}", tags=(f"tag{n}", "groen"))
        factories.lesson(
            cast.broker, pilot=pilot, title=f"B {n}", perspective=Perspective.RESIDENTS
        )
    with CaptureQueriesContext(connection) as many:
        Client().get(url)
    assert len(many) == len(few)


def test_the_lists_filter_by_area_status_tag_and_perspective(cast):
    running = factories.pilot(cast.broker, areas=[cast.neighbourhood], title="Groen Dorst-Zuid")
    factories.pilot(
        cast.other_broker,
        areas=[cast.other_district],
        title="Slotjes praat mee",
        status=PilotStatus.PLANNED,
    )
    factories.pilot(cast.oss_admin, areas=[cast.lith], title="Lith leert")
    factories.lesson(cast.broker, pilot=running, title="Over geld", tags=("geld",))
    factories.lesson(
        cast.broker,
        area=cast.district,
        title="Over buren",
        tags=("buren",),
        perspective=Perspective.RESIDENTS,
    )
    client = Client()
    url = reverse("learning:pilots")
    page = text_of(client.get(url, {"gemeente": "oosterhout", "gebied": cast.district.pk}))
    assert "1 pilot" in page and "Groen Dorst-Zuid" in page and "Slotjes praat mee" not in page
    page = text_of(client.get(url, {"status": "planned"}))
    assert "Slotjes praat mee" in page and "Groen Dorst-Zuid" not in page
    page = text_of(client.get(url))
    assert "3 pilots" in page
    assert client.get(url, {"gebied": "999999"}).status_code == 400
    lessons = reverse("learning:lessons")
    page = text_of(client.get(lessons, {"tag": "geld"}))
    assert "1 leerpunt" in page and "Over geld" in page and "Over buren" not in page
    page = text_of(client.get(lessons, {"perspectief": "residents"}))
    assert "Over buren" in page and "Over geld" not in page
    page = text_of(client.get(lessons, {"gebied": cast.neighbourhood.pk}))
    # the pilot lies in Dorst-Zuid; the area lesson is about Dorst, around it
    assert "Over geld" in page and "Over buren" not in page
    page = text_of(client.get(lessons, {"gebied": cast.district.pk}))
    assert "2 leerpunten" in page
    assert client.get(lessons, {"tag": "onbekend"}).status_code == 400


def test_an_official_records_a_lesson_from_the_pilot_page(cast):
    pilot = factories.pilot(cast.broker, areas=[cast.neighbourhood])
    url = reverse("learning:lesson_record", kwargs={"municipality": "oosterhout"})
    broker = client_for(cast.broker)
    form = broker.get(url, {"pilot": pilot.pk}).content.decode()
    assert f'<option value="{pilot.pk}" selected>' in form
    response = broker.post(
        url,
        {
            "pilot": pilot.pk,
            "perspective": "residents",
            "on_behalf": "on",
            "title": "Bewoners willen vaker bijpraten",
            "text": "Eens per maand een inloop.",
            "tags": "bijeenkomsten, Inloop",
            "learned_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.perspective, lesson.on_behalf, lesson.status) == ("residents", True, "published")
    assert sorted(t.name for t in lesson.tags.all()) == ["bijeenkomsten", "inloop"]


@pytest.mark.parametrize(
    ("overrides", "message", "status"),
    [
        ({"pilot": ""}, "Kies de pilot of het gebied waar het leerpunt over gaat.", 400),
        ({"text": "<script>alert(1)</script>"}, "Schrijf gewone tekst, zonder HTML", 400),
        ({"text": "x" * 3001}, "niet meer dan 3000 tekens bevat (het zijn er nu 3001)", 400),
        (
            {"perspective": "municipality", "on_behalf": "on"},
            "Alleen een leerpunt van bewoners leg je namens hen vast.",
            400,
        ),
        ({"learned_on": "2999-01-01"}, "Een leerpunt is vandaag of eerder geleerd", 400),
        ({"tags": "a" * 41}, "Het trefwoord", 400),
    ],
)
def test_a_bad_lesson_is_refused_with_a_clear_message(cast, overrides, message, status):
    pilot = factories.pilot(cast.broker, areas=[cast.neighbourhood])
    data = {
        "pilot": pilot.pk,
        "perspective": "residents",
        "title": "Les",
        "text": "Tekst",
        "tags": "",
        "learned_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    response = client_for(cast.broker).post(
        reverse("learning:lesson_record", kwargs={"municipality": "oosterhout"}), data
    )
    assert response.status_code == status
    assert message in text_of(response)
    assert Lesson.objects.count() == 0


def test_a_resident_sends_a_lesson_and_the_official_approves_it(cast):
    pilot = factories.pilot(cast.broker, areas=[cast.neighbourhood])
    url = reverse("learning:lesson_send", kwargs={"municipality": "oosterhout"})
    resident = client_for(cast.applicant)
    response = resident.post(
        url, {"pilot": pilot.pk, "title": "Samen snoeien", "text": "Twaalf buren kwamen."}
    )
    lesson = Lesson.objects.get()
    assert response.status_code == 302
    assert lesson.status == LessonStatus.PENDING
    assert "wacht tot een medewerker" in text_of(resident.get(response["Location"]))
    # not public yet
    assert Client().get(response["Location"]).status_code == 404
    broker = client_for(cast.broker)
    queue = text_of(broker.get(reverse("learning:moderation")))
    assert "1 leerpunt wacht" in queue and "Samen snoeien" in queue
    assert "Er wachten geen leerpunten." in text_of(
        client_for(cast.other_broker).get(reverse("learning:moderation"))
    )
    moderate = reverse("learning:lesson_moderate", kwargs={"pk": lesson.pk})
    response = broker.post(moderate, {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Geef de reden waarom het leerpunt niet wordt gepubliceerd" in text_of(response)
    response = broker.post(moderate, {"decision": "approve"})
    assert response.status_code == 302
    page = Client().get(reverse("learning:pilot", kwargs={"pk": pilot.pk})).content.decode()
    assert "Samen snoeien" in page.split('id="residents-heading"')[1]


def test_too_many_lessons_answer_429(cast):
    url = reverse("learning:lesson_send", kwargs={"municipality": "oosterhout"})
    resident = client_for(cast.applicant)
    for n in range(3):
        data = {"area": cast.neighbourhood.pk, "title": f"Les {n}", "text": "Tekst"}
        assert resident.post(url, data).status_code == 302
    response = resident.post(url, {"area": cast.neighbourhood.pk, "title": "4", "text": "T"})
    assert response.status_code == 429
    assert Lesson.objects.count() == 3


def test_a_follow_up_through_the_page(cast):
    lesson = factories.lesson(cast.broker, area=cast.district)
    url = reverse("learning:lesson_follow_up", kwargs={"pk": lesson.pk})
    broker = client_for(cast.broker)
    response = broker.post(url, {"follow_up": "<b>x</b>", "follow_up_on": "2026-01-01"})
    assert response.status_code == 400
    response = broker.post(
        url,
        {"follow_up": "Elk kwartaal een schouw.", "follow_up_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    page = text_of(Client().get(reverse("learning:lesson", kwargs={"pk": lesson.pk})))
    assert "Elk kwartaal een schouw." in page


# --- the quarterly report's selector ----------------------------------------------------------


def test_pilots_for_report_splits_the_quarters_lessons_by_perspective(cast):
    quarter = Quarter(2026, 2)
    in_q = datetime.date(2026, 5, 10)
    pilot = factories.pilot(
        cast.broker,
        areas=[cast.neighbourhood],
        starts_on=datetime.date(2026, 1, 15),
        ends_on=datetime.date(2026, 12, 31),
    )
    later = factories.pilot(
        cast.broker,
        areas=[cast.district],
        title="Later",
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31),
        status=PilotStatus.PLANNED,
    )
    factories.pilot(cast.oss_admin, areas=[cast.lith], title="Oss")
    ours = factories.lesson(cast.broker, pilot=pilot, title="G", learned_on=in_q)
    theirs = factories.lesson(
        cast.broker, pilot=pilot, title="B", perspective=Perspective.RESIDENTS, learned_on=in_q
    )
    factories.lesson(
        cast.broker, pilot=pilot, title="Vorig kwartaal", learned_on=datetime.date(2026, 3, 31)
    )
    factories.resident_lesson(cast.applicant, pilot=pilot, title="Wacht nog")
    area_lesson = factories.lesson(cast.broker, area=cast.district, title="A", learned_on=in_q)
    with CaptureQueriesContext(connection) as queries:
        report = selectors.pilots_for_report(cast.municipality, quarter)
        [entry] = report
        assert [lesson.title for lesson in entry.municipality] == ["G"]
        assert [lesson.title for lesson in entry.residents] == ["B"]
        assert [area.name for area in entry.areas] == ["Dorst-Zuid"]
        assert [tag.name for tag in entry.municipality[0].tags.all()] == ["groen"]
    assert len(queries) == 4
    assert entry.pilot == pilot and entry.lessons == [ours, theirs]
    assert later not in [e.pilot for e in report]
    # the third quarter has the later pilot too, without lessons
    third = selectors.pilots_for_report(cast.municipality, Quarter(2026, 3))
    assert [(e.pilot.title, len(e.lessons)) for e in third] == [
        ("Bewoners beheren het groen", 0),
        ("Later", 0),
    ]
    assert selectors.area_lessons_for_report(cast.municipality, quarter) == [area_lesson]
    assert selectors.pilots_for_report(cast.municipality, Quarter(2020, 1)) == []


def test_a_pilot_with_a_lesson_in_the_quarter_is_reported_after_it_ended(cast):
    pilot = factories.pilot(
        cast.broker,
        areas=[cast.neighbourhood],
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 30),
        status=PilotStatus.EVALUATED,
    )
    factories.lesson(cast.broker, pilot=pilot, learned_on=datetime.date(2025, 11, 1))
    [entry] = selectors.pilots_for_report(cast.municipality, Quarter(2025, 4))
    assert entry.pilot == pilot and len(entry.municipality) == 1


# --- the area panel ----------------------------------------------------------------------------


def test_the_area_panel_lists_running_pilots_within_its_budget(cast):
    factories.pilot(cast.broker, areas=[cast.neighbourhood], title="Groen Dorst-Zuid")
    factories.pilot(cast.broker, areas=[cast.district], title="Gepland", status=PilotStatus.PLANNED)
    area = Area.objects.select_related("municipality", "parent__parent").get(pk=cast.district.pk)
    [panel] = [p for p in panels.panels("area") if p.name == "learning_pilots"]
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        data = panel.context(request, area=area)
        assert data is not None
        html = render_to_string(panel.template, {"area": area, **data}, request=request)
    assert len(queries) <= panel.max_queries
    assert "Groen Dorst-Zuid" in html and "Gepland" not in html
    assert "Lopende pilots" in html or "Running pilots" in html
