"""Casting a ballot and closing the voting: the secret ballot by construction.

The register of who voted (`Participation`) and the ballots share no key, no time (the ballot
has none; the register keeps the day) and nothing about the person. Where a round lets voters
change their ballot, the only link is `Ballot.change_key`, an HMAC of the voter under the round's
`ballot_key`; closing the voting destroys the key and the hashes and writes the ballots anew in
random order (docs/adr/006-secret-ballot.md).

Concurrency (several app processes on one PostgreSQL): a ballot holds a shared lock on its
round's ballot box while it is written, the close an exclusive one, so a ballot is either
acknowledged before the close (and counted) or refused after it; a voter's two ballots at once
meet in the register's unique constraint.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import random
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkwerk.core import audit
from wijkwerk.core.money import format_money
from wijkwerk.core.phases import Capability

from ..audit_actions import BudgetAction
from ..eligibility import Voter, voter_key
from ..models import (
    Ballot,
    BallotType,
    BudgetProcess,
    Channel,
    Participation,
    Plan,
    VotingCode,
)
from ..refusals import BudgetRefused
from ..selectors import ballot_plans
from ..states import ProcessStatus

logger = logging.getLogger(__name__)

RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud, typed back


def new_receipt_code() -> str:
    """Four groups of four (80 bits): unguessable, and easy to type in again."""
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def normalise_receipt_code(code: str) -> str:
    chars = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def receipt_hash(code: str) -> str:
    return hashlib.sha256(normalise_receipt_code(code).encode()).hexdigest()


def change_key(process: BudgetProcess, voter: Voter) -> str | None:
    if not process.may_change_ballot or not process.ballot_key:
        return None
    return hmac.new(bytes(process.ballot_key), voter.register_key.encode(), "sha256").hexdigest()


@dataclass(frozen=True)
class Cast:
    """What the voter is told: the receipt code (shown once, kept nowhere) and whether an
    earlier ballot was replaced."""

    receipt_code: str
    changed: bool


def check_choices(
    process: BudgetProcess,
    voter: Voter,
    choices: Mapping[Any, Any],
    *,
    plans: Iterable[Plan] | None = None,
) -> list[list[int]]:
    """The ballot's choices as `[[plan id, points], ...]`, or a refusal saying what is wrong.

    `choices` maps plan ids (as the form sent them) to points (1 for a chosen plan on an
    approval or knapsack ballot; 0 or absent for one not chosen). `plans`: the plans on the
    voter's ballot, where the caller has them already (`ballot_plans`)."""
    if plans is None:
        # only what is checked here: the id and the two costs (not the texts, the category)
        plans = (
            ballot_plans(process, voter.process_area.area)
            .select_related(None)
            .only("id", "estimated_cost_cents", "municipal_cost_cents")
        )
    on_ballot = {plan.pk: plan for plan in plans}
    chosen: dict[int, int] = {}
    for raw_id, raw_points in choices.items():
        try:
            plan_id, points = int(raw_id), int(raw_points)
        except (TypeError, ValueError):
            raise BudgetRefused(
                _("The ballot holds a plan that is not on it."), "unknown_plan"
            ) from None
        if plan_id not in on_ballot:
            raise BudgetRefused(
                _("The ballot holds a plan that is not on the ballot of %(area)s.")
                % {"area": voter.process_area.area.name},
                "unknown_plan",
            )
        if points < 0:
            raise BudgetRefused(_("Points cannot be below zero."), "points")
        if points:
            chosen[plan_id] = points if process.ballot_type == BallotType.CUMULATIVE else 1
    count = len(chosen)
    if count < process.min_choices:
        raise BudgetRefused(
            _("Choose at least %(n)s plans.") % {"n": process.min_choices}
            if process.min_choices > 1
            else _("Choose at least one plan."),
            "empty_ballot",
        )
    if process.max_choices is not None and count > process.max_choices:
        raise BudgetRefused(
            _("You chose %(count)s plans; choose at most %(n)s.")
            % {"count": count, "n": process.max_choices},
            "too_many",
        )
    if process.ballot_type == BallotType.KNAPSACK:
        total = sum(on_ballot[plan_id].cost_cents for plan_id in chosen)
        budget = voter.process_area.budget_cents
        if total > budget:
            raise BudgetRefused(
                _("Your plans cost %(total)s, %(over)s more than the budget of %(budget)s.")
                % {
                    "total": format_money(total),
                    "over": format_money(total - budget),
                    "budget": format_money(budget),
                },
                "over_budget",
            )
    if process.ballot_type == BallotType.CUMULATIVE:
        total_points = sum(chosen.values())
        if process.points is not None and total_points > process.points:
            raise BudgetRefused(
                _("You gave %(given)s points; you have %(points)s.")
                % {"given": total_points, "points": process.points},
                "points",
            )
    return [[plan_id, chosen[plan_id]] for plan_id in sorted(chosen)]


# The first key of the PostgreSQL advisory lock of a round's ballot box (the second is the
# round's id); a constant no other lock uses (initiatives.decisions has 0x57570001).
BALLOT_BOX_LOCK = 0x57570002


def _hold_open(process: BudgetProcess) -> BudgetProcess:
    """The round as it stands under the ballot box's shared lock: ballots go on side by side, the
    close waits for those being written, and those that come after it wait for its commit (and
    then read the round closed).

    An advisory lock, not `FOR SHARE` on the round's row: PostgreSQL lets a new share-locker of a
    row past a waiting `FOR UPDATE`, so a steady stream of ballots could hold the close off for
    as long as it lasts, and every ballot would write the row's lock (a MultiXact). Advisory locks
    queue fairly and live in memory.

    Only what the close changes is read again (status and key); the phases, which cannot change
    once the voting has begun, are the caller's."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock_shared(%s, %s)", [BALLOT_BOX_LOCK, process.pk]
            )
    current = BudgetProcess.objects.filter(pk=process.pk).values("status", "ballot_key").get()
    process.status, process.ballot_key = current["status"], current["ballot_key"]
    return process


def _shut(process: BudgetProcess) -> BudgetProcess:
    """The round under the ballot box's exclusive lock (once the ballots being written are in)
    and its row locked for the close."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [BALLOT_BOX_LOCK, process.pk])
    return BudgetProcess.objects.select_for_update().get(pk=process.pk)


def _check_open(process: BudgetProcess) -> None:
    if process.status != ProcessStatus.PUBLISHED or not process.allows(Capability.VOTE):
        raise BudgetRefused(
            _("Voting in %(round)s is closed.") % {"round": process.title}, "voting_closed"
        )


def ballot_cast(
    *,
    actor: Any,
    process: BudgetProcess,
    voter: Voter,
    choices: Mapping[Any, Any],
    plans: Iterable[Plan] | None = None,
    before_change: Callable[[], None] | None = None,
) -> Cast:
    """Take a voter's ballot (or their new one, where the round allows a change).

    `plans`: the plans on the voter's ballot where the caller read them already (with their
    costs). `before_change` runs before an earlier ballot is replaced and may refuse (a limit on
    changes), so that a first ballot needs no look-up of whether the voter voted before."""
    if voter.process_area.process_id != process.pk:
        raise BudgetRefused(_("This ballot is for another round."), "not_in_round")
    _check_open(process)
    checked = check_choices(process, voter, choices, plans=plans)
    code = new_receipt_code()
    today = timezone.localdate()
    with transaction.atomic():
        process = _hold_open(process)
        _check_open(process)
        key = change_key(process, voter)
        first = _register(process, voter, today)
        if first:
            Ballot.objects.create(
                process=process,
                area=voter.process_area.area,
                choices=checked,
                receipt_hash=receipt_hash(code),
                change_key=key,
                channel=voter.channel,
            )
        else:
            ballot = (
                Ballot.objects.select_for_update().filter(process=process, change_key=key).first()
                if key
                else None
            )
            if ballot is None:
                if voter.code_id is not None:
                    raise code_used(registered_channel(process, voter))
                raise BudgetRefused(
                    _("You have already voted in %(round)s.") % {"round": process.title},
                    "already_voted",
                )
            if before_change is not None:
                before_change()
            ballot.choices = checked
            ballot.receipt_hash = receipt_hash(code)
            ballot.save(update_fields=["choices", "receipt_hash"])
        if voter.code_id is not None and first:
            _use_code(voter)
        audit.record(
            actor=actor,
            action=BudgetAction.BALLOT_CAST if first else BudgetAction.BALLOT_CHANGE,
            instance=process,
            after={"channel": voter.channel},
        )
    return Cast(receipt_code=code, changed=not first)


def _use_code(voter: Voter) -> None:
    """Mark the voter's code used, by this channel (the desk's page says so); a code already
    used by another channel has its voter in the register already, so this never overwrites."""
    VotingCode.objects.filter(id=voter.code_id or 0, used_channel="").update(
        used_channel=voter.channel
    )


def _register(process: BudgetProcess, voter: Voter, today: datetime.date) -> bool:
    """Enter the voter in the register of who voted; False if they were in it already.

    One statement (`ON CONFLICT DO NOTHING`), no savepoint: a voter's second ballot at the same
    moment waits here for the first's commit, and then finds the voter registered."""
    table = Participation._meta
    values = {
        "id": uuid.uuid4(),
        "process_id": process.pk,
        "area_id": voter.process_area.area_id,
        "user_id": getattr(voter.user, "pk", None),
        "voter_key": voter_key(process.pk, voter.register_key),
        "age_band": voter.age_band,
        "channel": voter.channel,
        "voted_on": today,
    }
    fields = {field.attname: field for field in table.concrete_fields}
    columns = [str(fields[name].column) for name in values]
    params = [fields[name].get_db_prep_save(value, connection) for name, value in values.items()]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(table.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))}) ON CONFLICT DO NOTHING RETURNING 1",
            params,
        )
        return cursor.fetchone() is not None


# A voting code is used online or on paper, never both; whoever types it again is told which.
CODE_USED: dict[str, Any] = {
    Channel.ONLINE: gettext_lazy("This voting code has already been used online."),
    Channel.PAPER: gettext_lazy("This voting code has already been used on paper."),
}


def code_used(channel: str | None) -> BudgetRefused:
    """The refusal of a voting code whose voter is in the register already, by `channel`."""
    return BudgetRefused(
        str(CODE_USED.get(channel or "") or CODE_USED[Channel.ONLINE]), "code_used"
    )


def registered_channel(process: BudgetProcess, voter: Voter) -> str | None:
    """How the voter came into the register of who voted (online, paper), if they did."""
    return (
        Participation.objects.filter(
            process=process, voter_key=voter_key(process.pk, voter.register_key)
        )
        .values_list("channel", flat=True)
        .first()
    )


def hold_ballot_box(process: BudgetProcess) -> BudgetProcess:
    """The round under its ballot box's shared lock, in the caller's transaction (the paper
    ballots' entry writes its ballots under it: services/paper.py)."""
    return _hold_open(process)


def paper_register(process: BudgetProcess, voter: Voter) -> bool:
    """The desk's intake of a voting code for a paper ballot (services/paper.py), in the
    caller's transaction: under the ballot box's shared lock and while the voting is open,
    enter the voter in the register of who voted; False if they are in it already, by any
    way in."""
    process = _hold_open(process)
    _check_open(process)
    return _register(process, voter, timezone.localdate())


def has_voted(process: BudgetProcess, voter: Voter) -> bool:
    return Participation.objects.filter(
        process=process, voter_key=voter_key(process.pk, voter.register_key)
    ).exists()


def voting_close(*, actor: Any, process: BudgetProcess) -> BudgetProcess:
    """End the voting for good: no ballot is taken after this; the link between voters and
    their ballots is destroyed; the count is queued (results.count_process)."""
    with transaction.atomic():
        process = _shut(process)
        if process.status != ProcessStatus.PUBLISHED:
            raise BudgetRefused(
                _("The voting in %(round)s was already closed.") % {"round": process.title},
                "voting_closed",
            )
        process.status = ProcessStatus.CLOSED
        process.closed_at = timezone.now()
        process.ballot_key = None
        process.save(update_fields=["status", "closed_at", "ballot_key"])
        _end_voting_phase(process)
        _rewrite_ballots(process)
        count = process.ballots.count()
        audit.record(
            actor=actor,
            action=BudgetAction.PROCESS_CLOSE,
            instance=process,
            after={"status": process.status, "ballots": count},
        )
        transaction.on_commit(_vacuum_ballots)
        # the register extract is kept until the close plus the round's retention days
        from .register import set_delete_after

        set_delete_after(process)
        from ..paper_selectors import ready_to_count
        from .results import enqueue_count

        # paper ballots still to enter: the last one's entry queues the count (services/paper.py)
        if ready_to_count(process):
            enqueue_count(process)
    return process


def _end_voting_phase(process: BudgetProcess) -> None:
    """A round closed before its voting phase ran out: the schedule says the voting ended at
    the close, and the result phase runs from then."""
    closed_at = process.closed_at or timezone.now()
    voting = process.phases.filter(kind="voting", ends_at__gt=closed_at).first()
    if voting is None:
        return
    voting.ends_at = max(closed_at, voting.starts_at + datetime.timedelta(seconds=1))
    voting.save(update_fields=["ends_at"])
    process.phases.filter(kind="result", starts_at__gt=voting.ends_at).update(
        starts_at=voting.ends_at
    )


def _rewrite_ballots(process: BudgetProcess) -> None:
    """Drop the change keys and write every ballot anew, in random order and in one
    transaction: no row keeps the place, the transaction id or the key it was written with."""
    ballots = list(process.ballots.all())
    random.SystemRandom().shuffle(ballots)
    process.ballots.all().delete()
    Ballot.objects.bulk_create(
        Ballot(
            process=process,
            area_id=ballot.area_id,
            choices=ballot.choices,
            receipt_hash=ballot.receipt_hash,
            change_key=None,
            channel=ballot.channel,
        )
        for ballot in ballots
    )


def _vacuum_ballots() -> None:
    """After the close (PostgreSQL): VACUUM the ballots now rather than at autovacuum's leisure,
    so that the dead row versions the close left behind, with the change keys, transaction ids
    and places of the ballots as they were cast, and their index entries, leave the table's
    pages. (It takes no lock that holds up other rounds' ballots.)"""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return  # (VACUUM runs in no transaction: a test's own, say)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {Ballot._meta.db_table}")
    except DatabaseError:
        logger.warning("VACUUM of the ballots after a close failed", exc_info=True)


def receipt_status(code: str) -> tuple[BudgetProcess, bool] | None:
    """The round of a receipt code and whether its ballot was counted; None for an unknown
    code (or one replaced by a later ballot). Tells nothing about the choices."""
    ballot = (
        Ballot.objects.select_related("process")
        .filter(receipt_hash=receipt_hash(code))
        .only("process")
        .first()
    )
    if ballot is None:
        return None
    return ballot.process, ballot.process.status == ProcessStatus.COUNTED
