"""Pilots and lessons through the services: what is saved, audited and mailed, and what is
refused (with nothing saved)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from wijkwerk.core.models import AuditEvent
from wijkwerk.core.ratelimit import RateLimited
from wijkwerk.follows import services as follows
from wijkwerk.learning import services
from wijkwerk.learning.models import (
    GOAL_MAX,
    LESSON_TEXT_MAX,
    TITLE_MAX,
    Lesson,
    LessonStatus,
    Perspective,
    Pilot,
    PilotStatus,
    Tag,
)
from wijkwerk.learning.refusals import LearningRefused

from . import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def pilot_data(cast: Any, **overrides: Any) -> services.PilotData:
    today = TODAY()
    values: dict[str, Any] = {
        "title": "Bewoners beheren het groen",
        "goal": "Bewoners beheren zelf het groen in hun straat.",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(days=90),
        "areas": [cast.neighbourhood],
        "officials": [cast.broker],
        "people": "Bewoners van de Vijf Eikenweg",
        "status": PilotStatus.PLANNED,
    }
    values.update(overrides)
    return services.PilotData(**values)


def lesson_data(**overrides: Any) -> services.LessonData:
    values: dict[str, Any] = {
        "title": "Vraag eerst de buren",
        "text": "Een plan dat de buren al kennen, loopt beter.",
        "perspective": Perspective.MUNICIPALITY,
        "tags": ["Groen ", "groen", "Buren  spreken"],
    }
    values.update(overrides)
    return services.LessonData(**values)


@pytest.fixture(autouse=True)
def english() -> Any:
    """The refusals' messages are asserted in English (their message ids), whatever language an
    earlier test on the same worker left active."""
    with translation.override("en"):
        yield


def refused(code: str, call: Any) -> LearningRefused:
    with pytest.raises(LearningRefused) as caught:
        call()
    assert caught.value.code == code
    return caught.value


# --- pilots ----------------------------------------------------------------------------------


def test_a_pilot_is_saved_audited_and_told_to_the_areas_followers(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    follows.follow(cast.neighbour, cast.district, frequency="immediate")
    follows.follow(cast.outsider, cast.other_district, frequency="immediate")
    follows.follow(cast.broker, cast.district, frequency="immediate")
    with django_capture_on_commit_callbacks(execute=True):
        pilot = services.pilot_create(
            actor=cast.broker, municipality=cast.municipality, data=pilot_data(cast)
        )
    assert pilot.municipality_id == cast.municipality.pk
    assert [a.name for a in pilot.areas.all()] == ["Dorst-Zuid"]
    assert list(pilot.officials.all()) == [cast.broker]
    assert pilot.created_by == cast.broker
    event = AuditEvent.objects.get(action="pilot.create")
    assert event.municipality_id == cast.municipality.pk
    assert event.after["areas"] == "Dorst-Zuid"
    assert event.after["status"] == "planned"
    # the follower of the village Dorst hears of the pilot in its neighbourhood; the follower of
    # Slotjes does not, nor the broker who started it
    [mail] = smtp_server.to(cast.neighbour.email)
    assert "Bewoners beheren het groen" in mail["Subject"]
    assert "Bewoners beheren zelf het groen in hun straat." in smtp_server.body(mail)
    assert smtp_server.to(cast.outsider.email) == []
    assert smtp_server.to(cast.broker.email) == []


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"ends_on": TODAY()}, "ends_before_start"),
        ({"ends_on": TODAY() - datetime.timedelta(days=1)}, "ends_before_start"),
        ({"title": "<script>alert(1)</script>"}, "markup"),
        ({"goal": "Kijk <b>hier</b>"}, "markup"),
        ({"people": "<img src=x onerror=alert(1)>"}, "markup"),
        ({"title": "x" * (TITLE_MAX + 1)}, "too_long"),
        ({"goal": "x" * (GOAL_MAX + 1)}, "too_long"),
        ({"title": "   "}, "required"),
        ({"areas": []}, "no_areas"),
    ],
)
def test_a_bad_pilot_is_refused_and_nothing_saved(cast, overrides, code):
    refused(
        code,
        lambda: services.pilot_create(
            actor=cast.broker, municipality=cast.municipality, data=pilot_data(cast, **overrides)
        ),
    )
    assert Pilot.objects.count() == 0
    assert AuditEvent.objects.filter(action="pilot.create").count() == 0


def test_a_pilot_ending_before_it_starts_is_refused_with_a_clear_message(cast):
    error = refused(
        "ends_before_start",
        lambda: services.pilot_create(
            actor=cast.broker,
            municipality=cast.municipality,
            data=pilot_data(cast, ends_on=TODAY() - datetime.timedelta(days=3)),
        ),
    )
    assert error.messages == ["The pilot must end after it starts."]


def test_the_database_refuses_a_pilot_ending_before_it_starts(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pilot.objects.create(
            municipality=cast.municipality,
            title="x",
            goal="y",
            starts_on=TODAY(),
            ends_on=TODAY(),
            created_by=cast.broker,
        )


def test_areas_and_officials_must_be_the_municipalitys_and_the_brokers(cast):
    refused(
        "area_elsewhere",
        lambda: services.pilot_create(
            actor=cast.broker,
            municipality=cast.municipality,
            data=pilot_data(cast, areas=[cast.lith]),
        ),
    )
    # the broker of Dorst works not for Slotjes
    refused(
        "area_elsewhere",
        lambda: services.pilot_create(
            actor=cast.broker,
            municipality=cast.municipality,
            data=pilot_data(cast, areas=[cast.other_district]),
        ),
    )
    refused(
        "not_an_official",
        lambda: services.pilot_create(
            actor=cast.broker,
            municipality=cast.municipality,
            data=pilot_data(cast, officials=[cast.oss_admin]),
        ),
    )
    refused(
        "not_an_official",
        lambda: services.pilot_create(
            actor=cast.broker,
            municipality=cast.municipality,
            data=pilot_data(cast, officials=[cast.applicant]),
        ),
    )
    assert Pilot.objects.count() == 0


@pytest.mark.parametrize("who", ["applicant", "alderman", "clerk", "oss_admin"])
def test_only_officials_of_an_area_or_the_administrator_start_a_pilot(cast, who):
    with pytest.raises(PermissionDenied):
        services.pilot_create(
            actor=getattr(cast, who), municipality=cast.municipality, data=pilot_data(cast)
        )
    assert Pilot.objects.count() == 0


@pytest.mark.parametrize("who", ["broker", "coordinator", "community_worker", "admin"])
def test_the_areas_officials_start_a_pilot(cast, who):
    pilot = services.pilot_create(
        actor=getattr(cast, who), municipality=cast.municipality, data=pilot_data(cast)
    )
    assert pilot.created_by == getattr(cast, who)


def test_a_pilot_is_changed_by_its_areas_officials_only(cast):
    pilot = factories.pilot(cast.broker, areas=[cast.neighbourhood], status=PilotStatus.PLANNED)
    pilot = Pilot.objects.get(pk=pilot.pk)
    changed = services.pilot_change(
        actor=cast.coordinator,
        pilot=pilot,
        data=pilot_data(cast, status=PilotStatus.RUNNING, title="Groen in Dorst-Zuid"),
    )
    assert changed.status == PilotStatus.RUNNING
    assert Pilot.objects.get(pk=pilot.pk).title == "Groen in Dorst-Zuid"
    event = AuditEvent.objects.get(action="pilot.change")
    assert event.before["status"] == "planned"
    assert event.after["status"] == "running"
    for outsider in (cast.other_broker, cast.oss_admin, cast.applicant):
        with pytest.raises(PermissionDenied):
            services.pilot_change(actor=outsider, pilot=pilot, data=pilot_data(cast))


# --- lessons ---------------------------------------------------------------------------------


def test_an_official_records_lessons_of_both_perspectives(cast):
    pilot = factories.pilot(cast.broker, areas=[cast.neighbourhood])
    ours = services.lesson_record(
        actor=cast.broker, municipality=cast.municipality, data=lesson_data(pilot=pilot)
    )
    theirs = services.lesson_record(
        actor=cast.community_worker,
        municipality=cast.municipality,
        data=lesson_data(
            pilot=pilot, perspective=Perspective.RESIDENTS, on_behalf=True, tags=["GROEN"]
        ),
    )
    assert ours.status == theirs.status == LessonStatus.PUBLISHED
    assert ours.learned_on == TODAY()
    assert theirs.on_behalf is True
    assert [t.name for t in ours.tags.all()] == ["buren spreken", "groen"]
    assert Tag.objects.count() == 2
    event = AuditEvent.objects.filter(action="lesson.record").order_by("pk").first()
    assert event is not None
    assert event.after["tags"] == "groen, buren spreken"
    assert event.after["perspective"] == "municipality"


def test_an_area_lesson_without_a_pilot(cast):
    lesson = services.lesson_record(
        actor=cast.broker, municipality=cast.municipality, data=lesson_data(area=cast.district)
    )
    assert lesson.pilot is None
    assert lesson.area == cast.district


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({}, "no_pilot_or_area"),
        ({"area": "district", "text": "<script>alert(1)</script>"}, "markup"),
        ({"area": "district", "title": "Lees <a href=x>dit</a>"}, "markup"),
        ({"area": "district", "text": "x" * (LESSON_TEXT_MAX + 1)}, "too_long"),
        ({"area": "district", "title": "x" * (TITLE_MAX + 1)}, "too_long"),
        ({"area": "district", "text": ""}, "required"),
        ({"area": "district", "perspective": "council"}, "bad_perspective"),
        ({"area": "district", "on_behalf": True}, "on_behalf_municipality"),
        ({"area": "district", "tags": ["a" * 41]}, "bad_tag"),
        ({"area": "district", "tags": [f"t{n}" for n in range(9)]}, "too_many_tags"),
        (
            {"area": "district", "learned_on": TODAY() + datetime.timedelta(days=1)},
            "learned_in_future",
        ),
        ({"area": "lith"}, "area_elsewhere"),
    ],
)
def test_a_bad_lesson_is_refused_and_nothing_saved(cast, overrides, code):
    if "area" in overrides:
        overrides["area"] = getattr(cast, overrides["area"])
    refused(
        code,
        lambda: services.lesson_record(
            actor=cast.broker, municipality=cast.municipality, data=lesson_data(**overrides)
        ),
    )
    assert Lesson.objects.count() == 0
    assert Tag.objects.count() == 0
    assert AuditEvent.objects.filter(action="lesson.record").count() == 0


def test_a_lesson_without_pilot_or_area_has_a_clear_message_and_the_database_refuses_it(cast):
    error = refused(
        "no_pilot_or_area",
        lambda: services.lesson_record(
            actor=cast.broker, municipality=cast.municipality, data=lesson_data()
        ),
    )
    assert error.messages == ["Choose the pilot or the area the lesson is about."]
    with pytest.raises(IntegrityError), transaction.atomic():
        Lesson.objects.create(
            municipality=cast.municipality,
            perspective=Perspective.RESIDENTS,
            title="x",
            text="y",
            learned_on=TODAY(),
            author=cast.broker,
        )


def test_a_pilot_of_another_municipality_is_refused(cast):
    oss_pilot = factories.pilot(cast.oss_admin, areas=[cast.lith])
    refused(
        "pilot_elsewhere",
        lambda: services.lesson_record(
            actor=cast.admin, municipality=cast.municipality, data=lesson_data(pilot=oss_pilot)
        ),
    )


def test_officials_of_another_area_record_no_lessons_there(cast):
    pilot = factories.pilot(cast.broker, areas=[cast.neighbourhood])
    for actor, data in (
        (cast.other_broker, lesson_data(pilot=pilot)),
        (cast.other_broker, lesson_data(area=cast.district)),
        (cast.applicant, lesson_data(area=cast.neighbourhood)),
    ):
        with pytest.raises(PermissionDenied):
            services.lesson_record(actor=actor, municipality=cast.municipality, data=data)
    assert Lesson.objects.count() == 0


def test_a_resident_sends_a_lesson_that_waits_for_moderation(cast):
    pilot = factories.pilot(cast.broker, areas=[cast.neighbourhood])
    sent = services.lesson_send(
        actor=cast.applicant,
        municipality=cast.municipality,
        data=lesson_data(pilot=pilot, perspective=Perspective.MUNICIPALITY, on_behalf=True),
    )
    # a resident's lesson is the residents' whatever the data says, and nobody's behalf
    assert sent.perspective == Perspective.RESIDENTS
    assert sent.on_behalf is False
    assert sent.status == LessonStatus.PENDING
    assert AuditEvent.objects.get(action="lesson.send").after["status"] == "pending"


def test_officials_do_not_use_the_residents_form(cast):
    with pytest.raises(PermissionDenied):
        services.lesson_send(
            actor=cast.broker,
            municipality=cast.municipality,
            data=lesson_data(area=cast.neighbourhood),
        )


def test_residents_lessons_are_rate_limited(cast):
    for n in range(3):
        factories.resident_lesson(cast.applicant, area=cast.neighbourhood, title=f"Les {n}")
    with pytest.raises(RateLimited):
        factories.resident_lesson(cast.applicant, area=cast.neighbourhood, title="Les 4")
    assert Lesson.objects.count() == 3
    # another resident has a count of their own
    factories.resident_lesson(cast.neighbour, area=cast.neighbourhood)


def test_a_resident_lesson_with_script_or_oversize_is_refused(cast):
    refused(
        "markup",
        lambda: factories.resident_lesson(
            cast.applicant, area=cast.neighbourhood, text="<script>alert(1)</script>"
        ),
    )
    refused(
        "too_long",
        lambda: factories.resident_lesson(
            cast.applicant, area=cast.neighbourhood, text="x" * (LESSON_TEXT_MAX + 1)
        ),
    )
    assert Lesson.objects.count() == 0


# --- moderation ------------------------------------------------------------------------------


def _pending(cast: Any) -> Lesson:
    pilot = factories.pilot(cast.broker, areas=[cast.neighbourhood])
    sent = factories.resident_lesson(cast.applicant, pilot=pilot)
    from wijkwerk.learning import selectors

    found = selectors.lesson(sent.pk)
    assert found is not None
    return found


def test_an_official_of_the_area_approves_a_residents_lesson_and_the_resident_hears(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    lesson = _pending(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_moderate(actor=cast.broker, lesson=lesson, approve=True)
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.PUBLISHED
    assert lesson.moderated_by == cast.broker
    [mail] = smtp_server.to(cast.applicant.email)
    assert "Samen snoeien werkt" in mail["Subject"]
    assert AuditEvent.objects.get(action="lesson.approve").after["status"] == "published"


def test_a_rejection_needs_a_reason_that_is_mailed_to_the_resident(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    lesson = _pending(cast)
    error = refused(
        "reason_required",
        lambda: services.lesson_moderate(actor=cast.broker, lesson=lesson, approve=False),
    )
    assert error.messages == ["Give the reason the lesson is not published: the resident reads it."]
    refused(
        "markup",
        lambda: services.lesson_moderate(
            actor=cast.broker, lesson=lesson, approve=False, reason="<script>x</script>"
        ),
    )
    assert Lesson.objects.get(pk=lesson.pk).status == LessonStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_moderate(
            actor=cast.broker,
            lesson=lesson,
            approve=False,
            reason="Hierin staan namen van buren.",
        )
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.REJECTED
    [mail] = smtp_server.to(cast.applicant.email)
    assert "Hierin staan namen van buren." in smtp_server.body(mail)


@pytest.mark.parametrize("who", ["other_broker", "oss_admin", "applicant", "alderman", "clerk"])
def test_officials_of_another_area_and_others_do_not_moderate(cast, who):
    lesson = _pending(cast)
    with pytest.raises(PermissionDenied):
        services.lesson_moderate(actor=getattr(cast, who), lesson=lesson, approve=True)
    assert Lesson.objects.get(pk=lesson.pk).status == LessonStatus.PENDING


def test_a_lesson_is_moderated_once(cast):
    lesson = _pending(cast)
    stale = Lesson.objects.select_related("pilot").get(pk=lesson.pk)
    services.lesson_moderate(actor=cast.broker, lesson=lesson, approve=True)
    # a second official with the page still open
    stale.pilot = lesson.pilot
    refused(
        "not_pending",
        lambda: services.lesson_moderate(
            actor=cast.admin, lesson=stale, approve=False, reason="Te laat"
        ),
    )
    assert Lesson.objects.get(pk=lesson.pk).status == LessonStatus.PUBLISHED


# --- follow-up -------------------------------------------------------------------------------


def test_a_follow_up_is_added_later_with_its_date(cast):
    learned = TODAY() - datetime.timedelta(days=20)
    lesson = factories.lesson(cast.broker, area=cast.district, learned_on=learned)
    lesson = Lesson.objects.select_related("area__parent__parent", "pilot").get(pk=lesson.pk)
    refused(
        "follow_up_date",
        lambda: services.lesson_follow_up(
            actor=cast.broker,
            lesson=lesson,
            text="De wijkschouw is nu elk kwartaal.",
            on=learned - datetime.timedelta(days=1),
        ),
    )
    refused(
        "required",
        lambda: services.lesson_follow_up(actor=cast.broker, lesson=lesson, text="  "),
    )
    services.lesson_follow_up(
        actor=cast.broker, lesson=lesson, text="De wijkschouw is nu elk kwartaal."
    )
    lesson.refresh_from_db()
    assert lesson.follow_up == "De wijkschouw is nu elk kwartaal."
    assert lesson.follow_up_on == TODAY()
    event = AuditEvent.objects.get(action="lesson.follow_up")
    assert event.before["follow_up"] == ""
    with pytest.raises(PermissionDenied):
        services.lesson_follow_up(actor=cast.other_broker, lesson=lesson, text="Iets anders")
