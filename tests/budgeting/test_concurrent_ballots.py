"""Ballots at the same moment on PostgreSQL (docs/adr/006-secret-ballot.md, "Concurrency").

Twenty threads, each with its own database connection (as twenty gunicorn workers), cast
ballots:
- 300 voters each cast a ballot and 200 of them try a second time, in a round that lets them
  change their ballot and in one that does not. 100 voters send their two ballots one after the
  other (interleaved with everyone else's), 100 send both at the same moment. Exactly 300
  ballots and 300 register rows remain; each voter's last accepted ballot is the one counted
  and its receipt the one that exists; nobody counts twice.
- The close races with 200 voters casting: every ballot acknowledged is counted, every ballot
  refused is not, and the round holds as many ballots as were acknowledged.
"""

from __future__ import annotations

import itertools
import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from wijkwerk.accounts.models import User
from wijkwerk.budgeting.eligibility import Voter, account_voter
from wijkwerk.budgeting.models import Ballot, BudgetProcess, Participation
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.services import results, voting
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.core.models import AuditEvent

from ..cast import Cast
from .factories import PlanFactory, make_round

THREADS = 20
VOTERS = 300
ONE_AFTER_THE_OTHER = 100  # voters whose second ballot follows their first
AT_ONCE = 100  # voters who send both at the same moment
PLANS = 6


@dataclass
class Attempt:
    voter: int  # index into the voters
    choices: list[int]  # plan ids
    receipt: str = ""
    changed: bool | None = None
    refused: str = ""
    order: int = -1  # the order of acknowledgement (or refusal), over all threads


def residents(cast: Cast, count: int) -> list[User]:
    """`count` residents of Dorst-Zuid of voting age, made in bulk."""
    User.objects.bulk_create(
        User(
            email=f"kiezer{n}@example.org",
            full_name=f"Kiezer {n}",
            home_area=cast.neighbourhood,
            birth_date=cast.applicant.birth_date,
        )
        for n in range(count)
    )
    return list(
        User.objects.filter(email__startswith="kiezer")
        .select_related("home_area__parent__parent")
        .order_by("id")
    )


def run_in_threads(jobs: list[Callable[[], None]], *, threads: int = THREADS) -> None:
    """Run the jobs on `threads` threads, each with its own database connection, closed at the
    end; a job's exception fails the test."""
    todo: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
    for job in jobs:
        todo.put(job)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with translation.override("en"):
                while True:
                    try:
                        job = todo.get_nowait()
                    except queue.Empty:
                        return
                    try:
                        job()
                    except BaseException as error:
                        errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not any(worker.is_alive() for worker in workers)
    assert errors == []


class Box:
    """The ballot box as the threads use it: casts an attempt and notes the outcome and its
    place in the order of answers."""

    def __init__(self, process: BudgetProcess, voters: list[Voter]) -> None:
        self.process = process
        self.voters = voters
        self.counter = itertools.count()
        self.lock = threading.Lock()

    def cast(self, attempt: Attempt) -> None:
        voter = self.voters[attempt.voter]
        try:
            cast = voting.ballot_cast(
                actor=voter.user,
                process=self.process,
                voter=voter,
                choices=dict.fromkeys(attempt.choices, 1),
            )
        except BudgetRefused as refused:
            with self.lock:
                attempt.refused = refused.code
                attempt.order = next(self.counter)
            return
        with self.lock:
            attempt.receipt, attempt.changed = cast.receipt_code, cast.changed
            attempt.order = next(self.counter)


def voters_of(process: BudgetProcess, users: list[User]) -> list[Voter]:
    process = BudgetProcess.objects.prefetch_related("process_areas__area").get(pk=process.pk)
    return [account_voter(process, user) for user in users]


def counted(process: BudgetProcess) -> dict[str, list[list[int]]]:
    """The round's ballots by receipt hash."""
    return {
        ballot.receipt_hash: ballot.choices
        for ballot in Ballot.objects.filter(process=process).only("receipt_hash", "choices")
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("may_change", [True, False], ids=["changes", "duplicates"])
def test_300_voters_and_200_second_ballots_at_once(cast: Cast, may_change: bool) -> None:
    process = make_round(cast, may_change_ballot=may_change)
    plan_ids = [PlanFactory(process=process).pk for _ in range(PLANS)]
    users = residents(cast, VOTERS)
    box = Box(process, voters_of(process, users))
    rng = random.Random(12)

    def ballot(voter: int) -> Attempt:
        return Attempt(voter, sorted(rng.sample(plan_ids, rng.randint(1, 3))))

    firsts = [ballot(n) for n in range(VOTERS)]
    seconds = {n: ballot(n) for n in range(ONE_AFTER_THE_OTHER + AT_ONCE)}
    jobs: list[Callable[[], None]] = []
    for n in range(VOTERS):
        if n < ONE_AFTER_THE_OTHER:
            # one job: the second ballot only once the first was answered
            jobs.append(lambda n=n: (box.cast(firsts[n]), box.cast(seconds[n])))
        else:
            jobs.append(lambda n=n: box.cast(firsts[n]))
            if n in seconds:
                jobs.append(lambda n=n: box.cast(seconds[n]))
    rng.shuffle(jobs)
    started = time.monotonic()
    run_in_threads(jobs)
    elapsed = time.monotonic() - started

    ballots = counted(process)
    assert len(ballots) == VOTERS == Ballot.objects.filter(process=process).count()
    participations = Participation.objects.filter(process=process)
    assert participations.count() == VOTERS
    assert participations.values("user").distinct().count() == VOTERS
    assert set(participations.values_list("user_id", flat=True)) == {u.pk for u in users}

    expected: dict[str, list[list[int]]] = {}  # receipt hash -> choices of the counted ballots
    for n in range(VOTERS):
        attempts = [firsts[n]] + ([seconds[n]] if n in seconds else [])
        # in the order of their writing: a change after the ballot it changed (two sent at once
        # may be answered in either order, but the change waited for the first to be written)
        accepted = sorted(
            (a for a in attempts if not a.refused), key=lambda a: (bool(a.changed), a.order)
        )
        refused = [a for a in attempts if a.refused]
        if may_change:
            # every attempt accepted: the first as new, the later as a change of it
            assert refused == [], n
            assert [a.changed for a in accepted] == [False, True][: len(accepted)], n
        else:
            # one accepted, the other refused as a second ballot
            assert len(accepted) == 1, n
            assert [a.refused for a in refused] == ["already_voted"] * (len(attempts) - 1), n
            assert accepted[0].changed is False
        if n < ONE_AFTER_THE_OTHER:
            # one after the other: the first is accepted as the voter's ballot
            assert accepted[0] is firsts[n]
            assert seconds[n].order > firsts[n].order
        last = accepted[-1]
        expected[voting.receipt_hash(last.receipt)] = [[pk, 1] for pk in last.choices]
        for earlier in accepted[:-1]:
            assert voting.receipt_status(earlier.receipt) is None, n
        assert voting.receipt_status(last.receipt) == (process, False)
    assert ballots == expected

    actions = list(
        AuditEvent.objects.filter(action__startswith="ballot.").values_list("action", flat=True)
    )
    changes = ONE_AFTER_THE_OTHER + AT_ONCE if may_change else 0
    assert sorted(actions) == ["ballot.cast"] * VOTERS + ["ballot.change"] * changes
    assert elapsed < 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_close_racing_with_late_ballots_counts_those_acknowledged(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The count itself is not what is tested here.
    monkeypatch.setattr(results, "enqueue_count", lambda process: None)
    process = make_round(cast)
    plan_ids = [PlanFactory(process=process).pk for _ in range(PLANS)]
    users = residents(cast, 200)
    box = Box(process, voters_of(process, users))
    rng = random.Random(7)
    attempts = [
        Attempt(n, sorted(rng.sample(plan_ids, rng.randint(1, 3)))) for n in range(len(users))
    ]
    half_answered = threading.Event()
    closing: dict[str, Any] = {}

    def cast_one(attempt: Attempt) -> None:
        box.cast(attempt)
        if sum(1 for a in attempts if a.order >= 0) >= len(attempts) // 2:
            half_answered.set()

    def close() -> None:
        assert half_answered.wait(timeout=60)
        closing["started"] = next(box.counter)
        closing["process"] = voting.voting_close(
            actor=User.objects.get(pk=cast.admin.pk), process=process
        )
        closing["done"] = next(box.counter)

    jobs: list[Callable[[], None]] = [close]
    jobs += [lambda a=a: cast_one(a) for a in attempts]
    run_in_threads(jobs)

    acknowledged = [a for a in attempts if not a.refused]
    refused = [a for a in attempts if a.refused]
    # the race happened: ballots before, during and after the close
    assert len(acknowledged) >= len(attempts) // 2
    assert refused, "some ballots came after the close"
    assert {a.refused for a in refused} == {"voting_closed"}
    # no ballot was refused before the close began
    assert min(a.order for a in refused) > closing["started"]

    process = BudgetProcess.objects.get(pk=process.pk)
    assert process.status == ProcessStatus.CLOSED
    ballots = counted(process)
    # every acknowledged ballot counted, with its choices; nothing else
    assert ballots == {
        voting.receipt_hash(a.receipt): [[pk, 1] for pk in a.choices] for a in acknowledged
    }
    assert Participation.objects.filter(process=process).count() == len(acknowledged)
    assert set(Participation.objects.values_list("user_id", flat=True)) == {
        box.voters[a.voter].user.pk for a in acknowledged
    }
    close_event = AuditEvent.objects.get(action="process.close")
    assert close_event.after == {"status": ProcessStatus.CLOSED, "ballots": len(acknowledged)}
    assert AuditEvent.objects.filter(action="ballot.cast").count() == len(acknowledged)
