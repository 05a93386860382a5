"""Paper ballots (issue 13, part 3): the desk's intake of a voting code, the double entry by two
different officials, the third official's resolution, and the count that waits for them
(services/paper.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.cast import Cast
from wijkwerk.budgeting.audit_actions import BudgetAction
from wijkwerk.budgeting.eligibility import Voter
from wijkwerk.budgeting.models import (
    Ballot,
    BudgetProcess,
    Channel,
    PaperBallot,
    PaperStatus,
    Participation,
    VotingCode,
)
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.services import paper, results
from wijkwerk.budgeting.services.codes import code_hash, new_code
from wijkwerk.budgeting.services.voting import ballot_cast, voting_close
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.core.models import AuditEvent

from .factories import PlanFactory, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch() -> Any:
    with translation.override("nl"):
        yield


def _round(cast: Cast, **fields: Any) -> tuple[BudgetProcess, list[Any]]:
    process = make_round(
        cast, phase="voting", vote_with_code=True, vote_with_account=False, **fields
    )
    plans = [
        PlanFactory(process=process, title=title, estimated_cost_cents=cost)
        for title, cost in (("Bankjes", 1_000_000), ("Speeltuin", 2_500_000), ("Bomen", 2_000_000))
    ]
    return process, plans


def _codes(process: BudgetProcess, n: int) -> list[str]:
    area = process.process_areas.get()
    typed = [new_code() for _ in range(n)]
    VotingCode.objects.bulk_create(
        VotingCode(process=process, process_area=area, code_hash=code_hash(code), age_band="30-44")
        for code in typed
    )
    return typed


def _take_in(cast: Cast, process: BudgetProcess, n: int) -> list[str]:
    typed = _codes(process, n)
    for code in typed:
        paper.paper_intake(actor=cast.broker, process=process, typed_code=code)
    return typed


def _enter(actor: Any, process: BudgetProcess, number: int, plans: list[Any], **kw: Any) -> Any:
    return paper.paper_enter(
        actor=actor,
        process=process,
        number=number,
        process_area=process.process_areas.get(),
        choices={plan.pk: 1 for plan in plans},
        **kw,
    )


def _refused(call: Any) -> BudgetRefused:
    with pytest.raises(BudgetRefused) as caught:
        call()
    return caught.value


def test_intake_registers_the_voter_on_paper_and_marks_the_code(cast: Cast) -> None:
    process, _plans = _round(cast)
    (typed,) = _codes(process, 1)
    code = paper.paper_intake(actor=cast.broker, process=process, typed_code=typed.lower())
    code.refresh_from_db()
    assert code.used_channel == Channel.PAPER
    row = Participation.objects.get(process=process)
    assert (row.channel, row.area_id, row.user_id, row.age_band) == (
        Channel.PAPER,
        cast.district.pk,
        None,
        "30-44",
    )
    event = AuditEvent.objects.get(action=BudgetAction.PAPER_INTAKE)
    assert event.actor == cast.broker
    assert typed not in str(event.after) and str(code.pk) not in str(event.after)
    # taken in twice: the message says how it was used
    refused = _refused(
        lambda: paper.paper_intake(actor=cast.admin, process=process, typed_code=typed)
    )
    assert refused.code == "code_used"
    assert refused.messages == ["Deze stemcode is al op papier gebruikt."]


def test_a_code_used_online_is_refused_for_paper(cast: Cast) -> None:
    process, plans = _round(cast)
    (typed,) = _codes(process, 1)
    code = VotingCode.objects.get(process=process)
    voter = Voter(process_area=code.process_area, register_key=f"code:{code.pk}", code_id=code.pk)
    ballot_cast(actor=None, process=process, voter=voter, choices={plans[0].pk: 1})
    refused = _refused(
        lambda: paper.paper_intake(actor=cast.broker, process=process, typed_code=typed)
    )
    assert (refused.code, refused.messages) == (
        "code_used",
        ["Deze stemcode is al online gebruikt."],
    )
    assert Participation.objects.filter(process=process).count() == 1
    assert Participation.objects.get().channel == Channel.ONLINE


def test_a_code_taken_in_for_paper_is_refused_online(cast: Cast) -> None:
    process, plans = _round(cast, may_change_ballot=True)
    (typed,) = _take_in(cast, process, 1)
    code = VotingCode.objects.get(process=process)
    voter = Voter(process_area=code.process_area, register_key=f"code:{code.pk}", code_id=code.pk)
    refused = _refused(
        lambda: ballot_cast(actor=None, process=process, voter=voter, choices={plans[0].pk: 1})
    )
    assert (refused.code, refused.messages) == (
        "code_used",
        ["Deze stemcode is al op papier gebruikt."],
    )
    assert Ballot.objects.filter(process=process).count() == 0
    # typed at the ballot box: refused as used
    from wijkwerk.budgeting.services.codes import find_code

    refused = _refused(lambda: find_code(process, typed))
    assert refused.code == "code_used"


def test_two_entries_that_agree_count_the_paper_ballot(cast: Cast) -> None:
    process, plans = _round(cast)
    _take_in(cast, process, 2)
    first = _enter(cast.broker, process, 17, plans[:2])
    assert first.status == PaperStatus.PENDING
    assert Ballot.objects.filter(process=process).count() == 0
    second = _enter(cast.admin, process, 17, plans[:2])
    assert second.status == PaperStatus.AGREED
    assert second.choices == [[plans[0].pk, 1], [plans[1].pk, 1]]
    ballot = Ballot.objects.get(process=process)
    assert (ballot.channel, ballot.receipt_hash, ballot.change_key, ballot.choices) == (
        Channel.PAPER,
        None,
        None,
        [[plans[0].pk, 1], [plans[1].pk, 1]],
    )
    events = AuditEvent.objects.filter(action=BudgetAction.PAPER_ENTER).order_by("pk")
    assert [(e.actor, e.after["paper_ballot"], e.after["entry"]) for e in events] == [
        (cast.broker, 17, 1),
        (cast.admin, 17, 2),
    ]
    # who, when, which number: never what the ballot says
    assert all(set(e.after) == {"paper_ballot", "entry", "paper_status"} for e in events)


def test_the_same_official_cannot_enter_a_ballot_twice(cast: Cast) -> None:
    process, plans = _round(cast)
    _take_in(cast, process, 1)
    _enter(cast.broker, process, 3, plans[:1])
    refused = _refused(lambda: _enter(cast.broker, process, 3, plans[:1]))
    assert refused.code == "same_official"
    assert refused.messages == [
        "Je hebt stembiljet 3 al ingevoerd: een andere medewerker voert het een tweede keer in."
    ]
    assert PaperBallot.objects.get().status == PaperStatus.PENDING
    assert Ballot.objects.count() == 0


def test_entries_that_differ_go_to_a_third_official(cast: Cast) -> None:
    process, plans = _round(cast)
    _take_in(cast, process, 1)
    _enter(cast.broker, process, 5, plans[:1])
    disputed = _enter(cast.admin, process, 5, plans[1:2])
    assert disputed.status == PaperStatus.DISPUTED
    assert Ballot.objects.count() == 0
    # neither of the two may resolve it, nor enter it a third time
    for official in (cast.broker, cast.admin):
        refused = _refused(
            lambda official=official: paper.paper_resolve(
                actor=official,
                process=process,
                number=5,
                process_area=process.process_areas.get(),
                choices={plans[0].pk: 1},
            )
        )
        assert refused.code == "third_entry"
        assert refused.messages == [
            "Je hebt stembiljet 5 zelf ingevoerd: een medewerker die het niet invoerde lost het op."
        ]
        assert _refused(lambda official=official: _enter(official, process, 5, plans[:1])).code == (
            "same_official"
        )
    # a third official entering it is sent to the resolution
    assert _refused(lambda: _enter(cast.coordinator, process, 5, plans[:1])).code == (
        "paper_disputed"
    )
    resolved = paper.paper_resolve(
        actor=cast.coordinator,
        process=process,
        number=5,
        process_area=process.process_areas.get(),
        choices={plans[0].pk: 1},
    )
    assert (resolved.status, resolved.resolved_by, resolved.choices) == (
        PaperStatus.RESOLVED,
        cast.coordinator,
        [[plans[0].pk, 1]],
    )
    assert list(Ballot.objects.values_list("choices", "channel")) == [
        ([[plans[0].pk, 1]], Channel.PAPER)
    ]
    assert AuditEvent.objects.filter(action=BudgetAction.PAPER_RESOLVE).get().actor == (
        cast.coordinator
    )


def test_an_invalid_paper_ballot_is_recorded_not_counted(cast: Cast) -> None:
    process, plans = _round(cast, ballot_type="knapsack")
    _take_in(cast, process, 1)
    # over the budget (€ 55.000 of € 50.000): the rules refuse it as a valid ballot
    refused = _refused(lambda: _enter(cast.broker, process, 1, plans))
    assert refused.code == "over_budget"
    _enter(cast.broker, process, 1, [], invalid="Boven het budget")
    voided = _enter(cast.admin, process, 1, [], invalid="Te veel plannen")
    assert (voided.status, voided.choices) == (PaperStatus.VOID, None)
    assert Ballot.objects.count() == 0


def test_no_more_paper_ballots_than_codes_taken_in(cast: Cast) -> None:
    process, plans = _round(cast)
    _take_in(cast, process, 1)
    _enter(cast.broker, process, 1, plans[:1])
    refused = _refused(lambda: _enter(cast.broker, process, 2, plans[:1]))
    assert refused.code == "too_many_papers"
    assert refused.messages == [
        "Voor Dorst zijn al evenveel papieren stembiljetten ingevoerd als er stemcodes voor "
        "papier zijn ingenomen (1): controleer het nummer en het gebied op het stembiljet."
    ]
    assert PaperBallot.objects.count() == 1


def test_the_count_waits_for_the_paper_ballots(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    process, plans = _round(cast)
    _take_in(cast, process, 2)
    _enter(cast.broker, process, 1, plans[:1])
    with django_capture_on_commit_callbacks(execute=True):
        process = voting_close(actor=cast.admin, process=process)
    process.refresh_from_db()
    assert process.status == ProcessStatus.CLOSED  # not counted: paper ballot 1 waits
    refused = _refused(lambda: results.count_now(process, actor=cast.admin))
    assert refused.code == "paper_pending"
    assert refused.messages == [
        "Er wacht nog 1 papieren stembiljet op de tweede invoer of een derde medewerker: de "
        "stemmen kunnen nog niet worden geteld."
    ]
    # entries go on after the close; the second ballot's agreement completes the box
    with django_capture_on_commit_callbacks(execute=True):
        _enter(cast.admin, process, 1, plans[:1])
    process.refresh_from_db()
    assert process.status == ProcessStatus.CLOSED  # 1 of 2 paper ballots in: still waiting
    with django_capture_on_commit_callbacks(execute=True):
        _enter(cast.broker, process, 2, plans[1:2])
        _enter(cast.admin, process, 2, plans[1:2])
    process.refresh_from_db()
    assert process.status == ProcessStatus.COUNTED
    result = process.results.get()
    assert result.voters == 2
    # counted: no paper ballot is entered any more
    refused = _refused(lambda: _enter(cast.broker, process, 3, plans[:1]))
    assert refused.code == "paper_closed"


def test_pages_for_the_officials(cast: Cast) -> None:
    process, plans = _round(cast)
    _take_in(cast, process, 1)
    (typed,) = _codes(process, 1)
    broker, admin = Client(), Client()
    broker.force_login(cast.broker)
    admin.force_login(cast.admin)
    url = reverse("budgeting:paper_intake", args=[process.pk])
    response = broker.post(url, {"code": "2222-2222-2222-2222"})
    assert response.status_code == 400
    response = broker.post(url, {"code": typed})
    assert response.status_code == 302
    enter = reverse("budgeting:paper_enter", args=[process.pk])
    assert broker.get(enter).status_code == 200
    response = broker.post(
        enter, {"number": "8", "area": process.process_areas.get().pk, "plans": [plans[0].pk]}
    )
    assert response.status_code == 302
    response = admin.post(
        enter, {"number": "8", "area": process.process_areas.get().pk, "plans": [plans[1].pk]}
    )
    assert response.status_code == 302
    listing = broker.get(reverse("budgeting:paper_list", args=[process.pk]))
    assert reverse("budgeting:paper_resolve", args=[process.pk, 8]) in listing.content.decode()
    resolve = reverse("budgeting:paper_resolve", args=[process.pk, 8])
    page = broker.get(resolve).content.decode()
    assert "zelf ingevoerd" in page
    third = Client()
    third.force_login(cast.coordinator)
    assert third.get(resolve).status_code == 200
    response = third.post(resolve, {"area": process.process_areas.get().pk, "invalid": "on"})
    assert response.status_code == 400  # invalid without a reason
    response = third.post(resolve, {"area": process.process_areas.get().pk, "plans": [plans[1].pk]})
    assert response.status_code == 302
    assert PaperBallot.objects.get(number=8).status == PaperStatus.RESOLVED


def test_the_area_is_entered_twice_too(cast: Cast) -> None:
    """Two areas: entries that name different areas differ; each area has room for as many
    paper ballots as codes were taken in there."""
    process = make_round(
        cast,
        phase="voting",
        vote_with_code=True,
        vote_with_account=False,
        areas=[(cast.district, 3_000_000), (cast.other_district, 2_000_000)],
    )
    dorst, slotjes = (
        process.process_areas.get(area=area) for area in (cast.district, cast.other_district)
    )
    bankjes = PlanFactory(process=process, area=cast.district, title="Bankjes")
    bomen = PlanFactory(process=process, area=cast.other_district, title="Bomen")
    for area in (dorst, slotjes):
        typed = new_code()
        VotingCode.objects.create(process=process, process_area=area, code_hash=code_hash(typed))
        paper.paper_intake(actor=cast.broker, process=process, typed_code=typed)

    def enter(actor: Any, number: int, area: Any, plan: Any) -> Any:
        return paper.paper_enter(
            actor=actor, process=process, number=number, process_area=area, choices={plan.pk: 1}
        )

    enter(cast.broker, 1, dorst, bankjes)
    assert enter(cast.admin, 1, slotjes, bomen).status == PaperStatus.DISPUTED
    # a plan of another area's ballot is no valid reading
    assert _refused(lambda: enter(cast.broker, 2, dorst, bomen)).code == "unknown_plan"
    resolved = paper.paper_resolve(
        actor=cast.coordinator,
        process=process,
        number=1,
        process_area=dorst,
        choices={bankjes.pk: 1},
    )
    assert (resolved.status, resolved.process_area) == (PaperStatus.RESOLVED, dorst)
    assert list(Ballot.objects.values_list("area_id", "choices")) == [
        (cast.district.pk, [[bankjes.pk, 1]])
    ]
    # Dorst's one code has its paper ballot; Slotjes still has room for one
    assert _refused(lambda: enter(cast.broker, 2, dorst, bankjes)).code == "too_many_papers"
    assert enter(cast.broker, 2, slotjes, bomen).status == PaperStatus.PENDING


def test_the_overview_costs_four_queries(cast: Cast, django_assert_num_queries: Any) -> None:
    from wijkwerk.budgeting import paper_selectors

    process, plans = _round(cast)
    _take_in(cast, process, 3)
    _enter(cast.broker, process, 1, plans[:1])
    _enter(cast.admin, process, 1, plans[:1])
    _enter(cast.broker, process, 2, plans[:1])
    _enter(cast.admin, process, 2, plans[1:2])
    _enter(cast.broker, process, 3, plans[:1])
    with django_assert_num_queries(4):
        overview = paper_selectors.overview(process)
    (row,) = overview.areas
    assert (row.intakes, row.entered, row.counted, row.pending, row.disputed, row.void) == (
        3,
        3,
        1,
        1,
        1,
        0,
    )
    assert [p.number for p in overview.disputed] == [2]
    assert [p.number for p in overview.pending] == [3]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_three_officials_entering_every_ballot_at_once_while_the_voting_closes(
    cast: Cast,
) -> None:
    """PostgreSQL, six threads: 20 paper ballots, each entered by three officials at once, in
    an order drawn at random, and the close among them. Each ballot is counted exactly once
    (the third entry is refused as entered twice already) and the count runs once the last
    one agreed: a third entry after it is refused as too late."""
    import random

    from .test_concurrent_ballots import run_in_threads

    process, plans = _round(cast)
    _take_in(cast, process, 20)
    area = process.process_areas.get()
    officials = [cast.broker, cast.admin, cast.coordinator]
    refusals: list[str] = []

    def job(official: Any, number: int) -> Any:
        def run() -> None:
            try:
                paper.paper_enter(
                    actor=official,
                    process=process,
                    number=number,
                    process_area=area,
                    choices={plans[number % 3].pk: 1},
                )
            except BudgetRefused as refused:
                refusals.append(refused.code)

        return run

    def close() -> None:
        voting_close(actor=cast.admin, process=process)

    jobs = [job(official, number) for number in range(1, 21) for official in officials]
    random.shuffle(jobs)
    jobs.insert(len(jobs) // 2, close)
    run_in_threads(jobs, threads=6)

    # the third entries: refused as entered twice already, or (once the last ballot agreed
    # and the round was counted) as too late
    assert len(refusals) == 20
    assert set(refusals) <= {"paper_entered", "paper_closed"}
    assert set(PaperBallot.objects.values_list("status", flat=True)) == {PaperStatus.AGREED}
    assert Ballot.objects.filter(process=process, channel=Channel.PAPER).count() == 20
    process.refresh_from_db()
    assert process.status == ProcessStatus.COUNTED
    assert process.results.get().voters == 20
