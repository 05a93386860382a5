"""Reach figures against an independent count: a generated data set, counted here with plain
Python sets, must give exactly the selector's figures (where they are shown)."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wijkwerk.budgeting.models import BudgetProcess
from wijkwerk.core.quarters import Quarter
from wijkwerk.reach.selectors import THRESHOLD, reach_over_time, reach_table

from ..accounts.factories import UserFactory
from ..areas.factories import AreaCouncilFactory
from ..budgeting.factories import make_round
from . import factories as f

pytestmark = pytest.mark.django_db

Q = Quarter(2026, 2)
BEFORE = Quarter(2026, 1)


def in_quarter(quarter: Quarter, rng: random.Random) -> datetime.datetime:
    day = quarter.first_day + datetime.timedelta(days=rng.randrange(0, 89))
    return f.moment(day, rng.randrange(8, 22))


def build(cast: Any, seed: int) -> tuple[dict[Any, dict[str, set[Any]]], dict[Any, int]]:
    """A random data set in Oosterhout; returns, per area id (own, not rolled up), the person
    keys per channel in quarter Q, and the ballots per area, as this test counts them."""
    rng = random.Random(seed)
    dorst, dorst_zuid, slotjes = cast.district, cast.neighbourhood, cast.other_district
    noord = f.neighbourhood(dorst, "Dorst-Noord", "BU08261308")
    areas = [dorst, dorst_zuid, noord, slotjes]
    people = [UserFactory() for _number in range(70)]
    expected: dict[Any, dict[str, set[Any]]] = {a.pk: {c: set() for c in f.CHANNELS} for a in areas}
    events = {a.pk: f.event(a, in_quarter(Q, rng)) for a in areas}
    old_event = f.event(dorst_zuid, in_quarter(BEFORE, rng))
    surveys = {a.pk: f.survey(a) for a in areas}
    polls = {a.pk: f.survey(a, kind="poll") for a in areas}
    plans = {a.pk: f.submitted(a, cast.applicant, in_quarter(BEFORE, rng)) for a in areas}
    for person in people:
        for area in rng.sample(areas, rng.randrange(1, 4)):
            channel = rng.choice(f.CHANNELS)
            when = in_quarter(Q, rng)
            if channel == "attendance":
                if person in {r.user for r in events[area.pk].rsvps.all()}:
                    continue
                f.rsvp(events[area.pk], person)
            elif channel in ("poll", "survey"):
                held = (polls if channel == "poll" else surveys)[area.pk]
                if held.responses.filter(user=person).exists():
                    continue
                f.response(held, when, person)
            elif channel == "initiative":
                f.submitted(area, person, when)
            elif channel == "support":
                if plans[area.pk].supports.filter(user=person).exists():
                    continue
                f.support(plans[area.pk], person, when)
            elif channel == "comment":
                f.comment(plans[area.pk], person, when)
            else:
                if person.follows.filter(object_id=area.pk).exists():
                    continue
                f.follow(person, area, when)
            expected[area.pk][channel].add(person.pk)
        # noise: last quarter counts not in Q
        if rng.random() < 0.3:
            f.response(surveys[slotjes.pk], in_quarter(BEFORE, rng), UserFactory())
            f.rsvp(old_event, UserFactory())
    # without an account: an open survey's sessions and an event's e-mail sign-ups
    for number in range(6):
        f.response(surveys[noord.pk], in_quarter(Q, rng), session_key=f"s{number}")
        expected[noord.pk]["survey"].add(f"s{number}")
    for number in range(3):
        f.rsvp(events[dorst_zuid.pk], email=f"Buur{number}@example.nl")
        expected[dorst_zuid.pk]["attendance"].add(f"buur{number}@example.nl")
    # an e-mail address signs up in capitals and in small letters: one person
    f.rsvp(events[noord.pk], email="Zelfde@example.nl")
    f.rsvp(events[dorst_zuid.pk], email="zelfde@example.nl")
    expected[noord.pk]["attendance"].add("zelfde@example.nl")
    expected[dorst_zuid.pk]["attendance"].add("zelfde@example.nl")
    # a cancelled sign-up and a pending one reach no one
    f.rsvp(events[slotjes.pk], UserFactory(), status="cancelled")
    f.rsvp(events[slotjes.pk], email="nog@example.nl", status="pending")
    # ballots: counted, never persons
    process = make_round(cast, areas=[(dorst_zuid, 1_000_000), (noord, 1_000_000)])
    BudgetProcess.objects.filter(pk=process.pk).update(closed_at=in_quarter(Q, rng))
    f.ballots(process, dorst_zuid, 9)
    f.ballots(process, noord, 6)
    return expected, {dorst_zuid.pk: 9, noord.pk: 6}


def rolled(expected: dict[Any, dict[str, set[Any]]], ids: list[Any]) -> dict[str, set[Any]]:
    channels: dict[str, set[Any]] = {c: set() for c in f.CHANNELS}
    for area_id in ids:
        for channel, people in expected[area_id].items():
            channels[channel] |= people
    return channels


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_data_set_gives_the_independent_count(cast: Any, seed: int) -> None:
    expected, ballots = build(cast, seed)
    table = reach_table(cast.municipality, Q)
    by_name = {row.name: row for row in table.areas}
    dorst_ids = [a.pk for a in (cast.district, cast.neighbourhood)] + [
        by_name["Dorst-Noord"].obj.pk
    ]
    wanted = {
        "Dorst": rolled(expected, dorst_ids),
        "Dorst-Zuid": rolled(expected, [cast.neighbourhood.pk]),
        "Dorst-Noord": rolled(expected, [by_name["Dorst-Noord"].obj.pk]),
        "Slotjes": rolled(expected, [cast.other_district.pk]),
    }
    wanted_votes = {"Dorst": 15, "Dorst-Zuid": 9, "Dorst-Noord": 6, "Slotjes": 0}
    compared = 0
    for name, channels in wanted.items():
        row = by_name[name]
        total = len(set().union(*channels.values()))
        for channel, people in channels.items():
            figure = row.channels[channel]
            if len(people) < THRESHOLD:
                assert figure.suppressed and figure.value is None, (name, channel)
            elif figure.shown:
                assert figure.value == len(people), (name, channel)
                compared += 1
        if total < THRESHOLD:
            assert row.total.suppressed
        else:
            assert row.total.shown and row.total.value == total, name
            compared += 1
        votes = wanted_votes[name]
        if votes >= THRESHOLD:
            assert row.budget_votes.value == votes, name
    everyone = rolled(expected, list(expected))
    assert table.total.total.value == len(set().union(*everyone.values()))
    assert table.total.budget_votes.value == sum(ballots.values())
    assert table.has_data
    assert compared >= 5


def test_a_person_counts_once_across_channels_and_areas(cast: Any) -> None:
    when = f.moment(Q.first_day + datetime.timedelta(days=10))
    people = [UserFactory() for _number in range(6)]
    plan = f.submitted(cast.neighbourhood, cast.applicant, f.moment(BEFORE.first_day))
    poll = f.survey(cast.district, kind="poll")
    for person in people:
        f.support(plan, person, when)
        f.comment(plan, person, when)
        f.response(poll, when, person)
    table = reach_table(cast.municipality, Q)
    zuid = next(row for row in table.areas if row.name == "Dorst-Zuid")
    dorst = next(row for row in table.areas if row.name == "Dorst")
    assert zuid.channels["support"].value == 6
    assert zuid.channels["comment"].value == 6
    assert zuid.total.value == 6
    assert zuid.channels["poll"].suppressed  # the poll is Dorst's, not Dorst-Zuid's
    assert dorst.channels["poll"].value == 6
    assert dorst.total.value == 6
    assert table.total.total.value == 6


def test_council_rows_are_their_areas_and_population_gives_the_share(cast: Any) -> None:
    when = f.moment(Q.first_day + datetime.timedelta(days=3))
    plan = f.submitted(cast.neighbourhood, cast.applicant, f.moment(BEFORE.first_day))
    for _number in range(8):
        f.support(plan, UserFactory(), when)
    f.population(cast.neighbourhood, 2025, 1600, 700)
    f.population(cast.neighbourhood, 2026, 1650, 710)
    f.population(cast.neighbourhood, 2027, 9999)  # a later edition is not used for 2026
    f.population(cast.other_district, 2026, 8000)
    table = reach_table(cast.municipality, Q)
    council = next(row for row in table.councils if row.obj == cast.council)
    assert council.total.value == 8
    assert council.population == 1650  # Dorst has no figure of its own: its neighbourhoods'
    assert council.population_year == 2026
    assert str(council.share) == "0.5"
    assert table.total.population == 9650
    assert str(table.total.share) == "0.1"


def test_a_quarter_without_data_says_so(cast: Any) -> None:
    table = reach_table(cast.municipality, Quarter(2024, 3))
    assert not table.has_data
    assert table.total.total.suppressed
    assert [row.name for row in table.areas] == ["Dorst", "Dorst-Zuid", "Slotjes"]


def test_queries_are_fixed_whatever_the_rows(cast: Any) -> None:
    build(cast, 4)
    # every kind of followed object once (each kind is one query when followed at all)
    when = f.moment(Q.first_day)
    f.follow(UserFactory(), cast.council, when)
    f.follow(UserFactory(), f.submitted(cast.neighbourhood, cast.applicant, when), when)
    with CaptureQueriesContext(connection) as few:
        reach_table(cast.municipality, Q)
    build_more(cast)
    with CaptureQueriesContext(connection) as many:
        reach_table(cast.municipality, Q)
    assert len(many) == len(few) <= 15


def build_more(cast: Any) -> None:
    for number in range(5):
        district = f.AreaFactory(municipality=cast.municipality, name=f"Extra {number}")
        AreaCouncilFactory(area=district)
        child = f.neighbourhood(district, f"Extra-buurt {number}", f"BU0826990{number}")
        f.population(child, 2026, 500)
        when = f.moment(Q.first_day + datetime.timedelta(days=number))
        f.follow(UserFactory(), district, when)
        council = district.councils.first()
        f.follow(UserFactory(), council, when)
        f.rsvp(f.event(child, when), UserFactory())


def test_reach_over_time_gives_a_point_per_quarter(cast: Any) -> None:
    plan = f.submitted(cast.neighbourhood, cast.applicant, f.moment(Quarter(2025, 1).first_day))
    for quarter, count in ((BEFORE, 7), (Q, 12)):
        for _number in range(count):
            f.support(plan, UserFactory(), f.moment(quarter.first_day + datetime.timedelta(days=5)))
    quarters = [Quarter(2025, 4), BEFORE, Q]
    points = reach_over_time(cast.council, quarters)
    assert [p.quarter for p in points] == quarters
    assert [p.total.value for p in points] == [None, 7, 12]
    assert points[0].total.suppressed
    area_points = reach_over_time(cast.neighbourhood, quarters)
    assert [p.total.value for p in area_points] == [None, 7, 12]
