"""500 attempts at once with 100 voting codes, online and on paper, on PostgreSQL (issue 13).

Every code of the round is tried five times at the same moment (a barrier per code): some codes
only online, some only on paper, most on both, in an order drawn at random. Twenty threads, each
with its own database connection (as twenty gunicorn workers):
- online: the code's way into the ballot box (`CHECKS["code"]`, as the ballot page checks the
  pass) and `ballot_cast`;
- paper: the desk takes the code in for a paper ballot (`services.paper.paper_intake`).

Asserted: exactly one attempt per code succeeds (a receipt, or the paper intake) and the four
others are refused with a known reason; exactly 100 voters in the register; the online ballots
are as many as the online voters in the register and are exactly the acknowledged receipts; the
codes used on paper are as many as the paper voters in the register; every code is marked used
by the channel of its one successful attempt, so none was used twice.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from wijkwerk.budgeting.eligibility import CHECKS, code_stamp
from wijkwerk.budgeting.models import Ballot, BudgetProcess, Channel, Participation, VotingCode
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.services import voting
from wijkwerk.budgeting.services.codes import code_hash, new_code
from wijkwerk.budgeting.services.paper import paper_intake
from wijkwerk.core.models import AuditEvent

from ..cast import Cast
from .factories import PlanFactory, make_round
from .test_concurrent_ballots import run_in_threads

CODES = 100
TRIES = 5  # per code, at the same moment
PLANS = 6
REFUSALS = {"already_voted", "code_used", "not_eligible"}


@dataclass
class Attempt:
    code: int  # index into the codes
    channel: str
    receipt: str = ""
    accepted: bool = False
    refused: str = ""


def make_codes(process: BudgetProcess, count: int) -> tuple[list[str], list[VotingCode]]:
    area = process.process_areas.get()
    typed = [new_code() for _ in range(count)]
    VotingCode.objects.bulk_create(
        VotingCode(process=process, process_area=area, code_hash=code_hash(code), age_band="30-44")
        for code in typed
    )
    by_hash = {code.code_hash: code for code in VotingCode.objects.filter(process=process)}
    return typed, [by_hash[code_hash(code)] for code in typed]


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_500_attempts_with_100_codes_online_and_on_paper(cast: Cast) -> None:
    process = make_round(cast, may_change_ballot=False)
    plan_ids = [PlanFactory(process=process).pk for _ in range(PLANS)]
    typed, codes = make_codes(process, CODES)
    official = cast.admin
    rng = random.Random(13)
    attempts: list[list[Attempt]] = []
    for n in range(CODES):
        if n < 10:
            channels = [Channel.ONLINE] * TRIES
        elif n < 20:
            channels = [Channel.PAPER] * TRIES
        else:
            channels = [rng.choice([Channel.ONLINE, Channel.PAPER]) for _ in range(TRIES)]
            channels[rng.randrange(TRIES)] = Channel.ONLINE
            channels[rng.randrange(TRIES)] = Channel.PAPER
        attempts.append([Attempt(n, channel) for channel in channels])
    barriers = [threading.Barrier(TRIES, timeout=60) for _ in range(CODES)]
    choices = {n: dict.fromkeys(rng.sample(plan_ids, rng.randint(1, 3)), 1) for n in range(CODES)}

    def attempt(item: Attempt) -> None:
        barriers[item.code].wait()
        try:
            if item.channel == Channel.ONLINE:
                voter = CHECKS["code"](
                    process,
                    None,
                    {"code_id": codes[item.code].pk, "stamp": code_stamp(codes[item.code])},
                )
                cast_ballot = voting.ballot_cast(
                    actor=AnonymousUser(), process=process, voter=voter, choices=choices[item.code]
                )
                item.receipt = cast_ballot.receipt_code
            else:
                paper_intake(actor=official, process=process, typed_code=typed[item.code])
            item.accepted = True
        except BudgetRefused as refused:
            item.refused = refused.code or "?"

    # the five tries of a code side by side in the queue: twenty threads run four codes at once
    jobs = [lambda item=item: attempt(item) for tries in attempts for item in tries]
    run_in_threads(jobs, threads=20)

    flat = [item for tries in attempts for item in tries]
    assert len(flat) == CODES * TRIES == 500
    for n, tries in enumerate(attempts):
        accepted = [item for item in tries if item.accepted]
        assert len(accepted) == 1, (n, [(i.channel, i.refused) for i in tries])
        assert {item.refused for item in tries if not item.accepted} <= REFUSALS, n
    winners = {item.code: item for item in flat if item.accepted}

    register = Participation.objects.filter(process=process)
    assert register.count() == CODES
    assert register.values("voter_key").distinct().count() == CODES
    online = [item for item in winners.values() if item.channel == Channel.ONLINE]
    paper = [item for item in winners.values() if item.channel == Channel.PAPER]
    assert len(online) + len(paper) == CODES
    assert register.filter(channel=Channel.ONLINE).count() == len(online)
    assert register.filter(channel=Channel.PAPER).count() == len(paper)
    assert online and paper
    ballots = Ballot.objects.filter(process=process)
    assert ballots.count() == ballots.filter(channel=Channel.ONLINE).count() == len(online)
    assert set(ballots.values_list("receipt_hash", flat=True)) == {
        voting.receipt_hash(item.receipt) for item in online
    }
    used = dict(VotingCode.objects.filter(process=process).values_list("pk", "used_channel"))
    assert used == {codes[n].pk: winners[n].channel for n in range(CODES)}
    assert AuditEvent.objects.filter(action="ballot.cast").count() == len(online)
