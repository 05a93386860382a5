"""The demo's pilots and lessons (src/wijkwerk/demo/learning.py): Oosterhout's area pilots and
Oss's, lessons of both perspectives in the last full quarter (the one the demo's council report
covers), follow-ups, a resident's lesson approved and one waiting for moderation; loaded through
the services without mail, and again without doubles."""

from __future__ import annotations

import pytest

from wijkwerk.areas.models import Municipality
from wijkwerk.core.models import AuditEvent
from wijkwerk.core.quarters import Quarter
from wijkwerk.demo.areas import load_demo
from wijkwerk.demo.learning import load_demo_learning
from wijkwerk.learning import selectors
from wijkwerk.learning.models import Lesson, LessonStatus, Pilot

pytestmark = pytest.mark.django_db


def test_the_demo_pilots_and_lessons(django_capture_on_commit_callbacks) -> None:
    load_demo()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        summary = load_demo_learning()
    assert callbacks == []  # no mail
    assert (summary.pilots, summary.lessons, summary.waiting) == (5, 13, 1)
    assert sorted(
        Pilot.objects.filter(municipality__slug="oosterhout").values_list("title", flat=True)
    ) == [
        "Buurtbudget Oosterheide",
        "Dorpsgericht werken in Dorst",
        "Spreekuur van de wijkmakelaar in Den Hout",
    ]
    assert Pilot.objects.filter(municipality__slug="oss").count() == 2
    [waiting] = Lesson.objects.filter(status=LessonStatus.PENDING)
    assert waiting.author.email == "bewoner@oosterhout.example"
    assert waiting.pilot.title == "Buurtbudget Oosterheide"
    assert Lesson.objects.exclude(follow_up="").count() == 5
    assert Lesson.objects.filter(on_behalf=True).count() == 4
    assert AuditEvent.objects.filter(action="lesson.approve").count() == 1
    # the council report's quarter has both perspectives for Dorst
    oosterhout = Municipality.objects.get(slug="oosterhout")
    report = selectors.pilots_for_report(oosterhout, Quarter.current().previous())
    dorst = next(e for e in report if e.pilot.title == "Dorpsgericht werken in Dorst")
    assert [x.title for x in dorst.municipality] == [
        "Eerst luisteren, dan plannen",
        "Eén vast aanspreekpunt scheelt tijd",
    ]
    assert [x.title for x in dorst.residents] == ["Laat zien wat er met onze ideeën gebeurt"]
    # loading again adds nothing
    again = load_demo_learning()
    assert (again.pilots, again.lessons) == (0, 0)
    assert Lesson.objects.count() == 13
