"""The secret ballot (docs/adr/006-secret-ballot.md), looked for in the whole database.

Eight residents of Dorst-Zuid vote in a round that lets them change their ballot; three change
it, two vote through the pages (so their sessions, the rate limits and the request log are
there too) and check their receipt codes there after the close. Then every table of the
database is read row by row, with the audit trail, the log records (DEBUG, SQL included) and
the task queue's stored tasks:
- before the close the only link between a person and a ballot is `Ballot.change_key`, and the
  keyed hash recomputed with the round's key finds each voter's (last) ballot;
- after the close nothing links them: the key and the hashes are gone, every ballot has a new
  id, all were written by one transaction (one `xmin`) in an order that is not the order of
  voting.
Runs on SQLite and on PostgreSQL (system columns there).
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, models
from django.urls import reverse

from wijkwerk.accounts.models import User
from wijkwerk.budgeting.eligibility import account_voter
from wijkwerk.budgeting.models import Ballot, BudgetProcess, Participation
from wijkwerk.budgeting.services import voting
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.core.models import AuditEvent

from ..accounts.factories import UserFactory
from ..cast import Cast
from .factories import PlanFactory, make_round

VOTERS = 8
CHANGERS = 3  # the first three change their ballot
THROUGH_PAGES = 2  # the last two vote through the ballot pages


def _text(value: Any) -> str:
    """A column's value as text to search in (bytes as hex and as text, JSON as JSON)."""
    if value is None:
        return ""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.hex() + " " + value.decode("latin-1")
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _session_text(row: dict[str, Any]) -> str:
    """A stored session, decoded (its data is signed and base64-encoded)."""
    data = row.get("session_data")
    if not data:
        return ""
    return json.dumps(SessionStore().decode(data), default=str)


def all_rows() -> Iterator[tuple[str, dict[str, Any], str]]:
    """Every row of every table of the database: (table, row, the row as text)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        assert "budgeting_ballot" in tables and "django_session" in tables
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - introspected names
            names = [column[0] for column in cursor.description]
            for values in cursor.fetchall():
                row = dict(zip(names, values, strict=True))
                text = " ".join(_text(value) for value in values)
                if table == "django_session":
                    text += " " + _session_text(row)
                yield table, row, text


def ballot_marks(ballots: list[Ballot], receipts: list[str]) -> set[str]:
    """What identifies a ballot: its ids (as PostgreSQL and SQLite write a UUID), its receipt
    code (in the forms people type it) and hash, its change key."""
    marks: set[str] = set()
    for ballot in ballots:
        marks |= {str(ballot.pk), ballot.pk.hex}
        if ballot.change_key:
            marks.add(ballot.change_key)
    for code in receipts:
        plain = voting.normalise_receipt_code(code)
        marks |= {plain, plain.replace("-", ""), voting.receipt_hash(code)}
    return marks


def person_marks(users: list[User]) -> set[str]:
    marks: set[str] = set()
    for user in users:
        marks |= {user.email, user.full_name, f"user:{user.pk}"}
    return marks


def physical_order() -> list[str]:
    """The ballots' receipt hashes in the order they lie in the table (PostgreSQL's ctid,
    SQLite's rowid)."""
    place = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT receipt_hash FROM budgeting_ballot ORDER BY {place}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def writing_transactions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM budgeting_ballot")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_the_ballot_and_the_register_share_no_column() -> None:
    """No foreign key from a ballot to a person or to the register; no time on a ballot and
    none finer than the day in the register (model and database)."""
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, "budgeting_ballot")
        ballot_columns = {
            column.name: column
            for column in connection.introspection.get_table_description(cursor, "budgeting_ballot")
        }
        register_relations = connection.introspection.get_relations(
            cursor, "budgeting_participation"
        )
    assert {relation[1] for relation in relations.values()} == {
        "budgeting_budgetprocess",
        "areas_area",
    }
    assert "budgeting_ballot" not in {r[1] for r in register_relations.values()}
    assert set(ballot_columns) == {
        "id",
        "process_id",
        "area_id",
        "choices",
        "receipt_hash",
        "change_key",
        "channel",
    }
    timed = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)
    assert [f.name for f in Ballot._meta.concrete_fields if isinstance(f, timed)] == []
    assert [
        f.name
        for f in Participation._meta.concrete_fields
        if isinstance(f, timed) and type(f) is not models.DateField
    ] == []
    for model in (Ballot, Participation):
        assert isinstance(model._meta.pk, models.UUIDField)
        assert not any(
            f.is_relation and f.related_model in (Ballot, Participation) and f.model is not model
            for f in model._meta.concrete_fields
        )


@pytest.mark.django_db(transaction=True)
def test_after_the_close_no_table_log_audit_event_or_task_links_a_ballot_to_a_person(
    cast: Cast, client: Any, caplog: pytest.LogCaptureFixture, settings: Any
) -> None:
    # The count is queued in the database's task table (not run), so its payload can be read.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    caplog.set_level(logging.DEBUG)
    for name in ("wijkwerk", "django.request", "django.db.backends", "django.server"):
        caplog.set_level(logging.DEBUG, logger=name)
    connection.force_debug_cursor = True  # Django's SQL log, as with DEBUG=True
    try:
        _vote_and_close(cast, client, caplog)
    finally:
        connection.force_debug_cursor = False


def _vote_and_close(cast: Cast, client: Any, caplog: pytest.LogCaptureFixture) -> None:
    process = make_round(cast, may_change_ballot=True)
    plans = [PlanFactory(process=process, title=f"Plan {n}") for n in range(4)]
    voters = [cast.applicant, cast.neighbour] + [
        UserFactory(home_area=cast.neighbourhood, birth_date=datetime.date(1990, 5, 1))
        for _ in range(VOTERS - 2)
    ]
    receipts: dict[int, str] = {}  # the last receipt of each voter
    all_receipts: list[str] = []
    choices: dict[int, list[int]] = {}
    cast_order: list[str] = []  # receipt hashes in the order the ballots were first written

    def vote(index: int, user: User, chosen: list[int]) -> None:
        if index >= VOTERS - THROUGH_PAGES:
            client.force_login(user)
            response = client.post(
                reverse("budgeting:ballot_confirm", args=[process.pk]),
                {"plan": [str(pk) for pk in chosen]},
            )
            assert response.status_code == 200, response.content[:2000]
            code = response.context["cast"].receipt_code
            assert code in response.content.decode()
        else:
            voter = account_voter(process, user)
            code = voting.ballot_cast(
                actor=user, process=process, voter=voter, choices=dict.fromkeys(chosen, 1)
            ).receipt_code
        if user.pk not in receipts:
            cast_order.append(voting.receipt_hash(code))
        receipts[user.pk] = code
        all_receipts.append(code)
        choices[user.pk] = sorted(chosen)

    for index, user in enumerate(voters):
        vote(index, user, [plans[index % 4].pk, plans[(index + 1) % 4].pk])
    for index, user in enumerate(voters[:CHANGERS]):
        vote(index, user, [plans[(index + 2) % 4].pk])
    # A change writes the new receipt into the voter's row: the rows in the order of their first
    # writing (SQLite changes a row in place), and of their last (PostgreSQL writes a new version).
    cast_order = [voting.receipt_hash(receipts[user.pk]) for user in voters]
    write_order = cast_order[CHANGERS:] + cast_order[:CHANGERS]

    process.refresh_from_db()
    key = bytes(process.ballot_key)
    assert len(key) == 32
    before = list(Ballot.objects.filter(process=process))
    assert len(before) == VOTERS == Participation.objects.filter(process=process).count()

    # Before the close: the keyed hash, recomputed with the round's key, finds each voter's
    # last ballot; nothing else links.
    for user in voters:
        ballot = Ballot.objects.get(
            change_key=voting.change_key(process, account_voter(process, user))
        )
        assert ballot.receipt_hash == voting.receipt_hash(receipts[user.pk])
        assert ballot.plan_ids() == choices[user.pk]
    _assert_no_link(
        ballots=before,
        receipts=all_receipts,
        users=voters,
        key=key,
        ballot_table_may_hold={b.change_key for b in before if b.change_key},
    )
    # as written (which shows that the test of the shuffle below can fail)
    assert physical_order() == (write_order if connection.vendor == "postgresql" else cast_order)
    if connection.vendor == "postgresql":
        assert len(writing_transactions()) == VOTERS  # one transaction per ballot

    voting.voting_close(actor=cast.admin, process=process)

    # The voters who voted through the pages check their receipts, logged in: the check leaves
    # nothing that ties the code (or its ballot) to them.
    for user in voters[-THROUGH_PAGES:]:
        client.force_login(user)
        checked = client.post(reverse("budgeting:receipt_check"), {"code": receipts[user.pk]})
        assert checked.status_code == 200
        assert checked.context["answer"].kind in ("counting", "counted")

    process = BudgetProcess.objects.get(pk=process.pk)
    assert process.status in (ProcessStatus.CLOSED, ProcessStatus.COUNTED)
    assert process.ballot_key is None
    after = list(Ballot.objects.filter(process=process))
    assert len(after) == VOTERS
    assert [b.change_key for b in after] == [None] * VOTERS
    assert not {b.pk for b in after} & {b.pk for b in before}  # every id is new
    assert sorted(b.receipt_hash for b in after) == sorted(cast_order)
    # the order of voting is gone (1 in 40,320 that a shuffle leaves either)
    assert physical_order() not in (cast_order, write_order)
    if connection.vendor == "postgresql":
        assert len(writing_transactions()) == 1  # all written by the close
    # each voter's last choice is what is counted
    assert sorted(b.choices for b in after) == sorted(
        [[pk, 1] for pk in choices[user.pk]] for user in voters
    )
    # the change keys of before the close are nowhere, nor the key
    _assert_no_link(
        ballots=before + after,
        receipts=all_receipts,
        users=voters,
        key=key,
        ballot_table_may_hold=set(),
    )

    # The audit trail: that each voted (and three changed), on the round, never what.
    events = AuditEvent.objects.filter(action__startswith="ballot.")
    assert (
        sorted(events.values_list("action", flat=True))
        == ["ballot.cast"] * VOTERS + ["ballot.change"] * CHANGERS
    )
    for event in events:
        assert (event.object_type, event.object_id) == ("budgeting.budgetprocess", str(process.pk))
        assert event.before is None and event.after == {"channel": "online"}

    # The task queue: the count was queued with the round and nothing of a ballot or a voter.
    from django_tasks_db.models import DBTaskResult

    tasks = list(DBTaskResult.objects.all())
    assert tasks, "the close queued the count"
    task_text = " ".join(json.dumps(task.args_kwargs) for task in tasks)
    assert str(process.pk) in task_text
    for mark in ballot_marks(before + after, all_receipts) | person_marks(voters):
        assert mark not in task_text

    # The log records: SQL and requests were logged (the capture works), and none of them holds
    # a ballot's id, receipt, change key or the round's key.
    messages = [record.getMessage() for record in caplog.records]
    assert any("budgeting_participation" in m for m in messages), "Django's SQL log is captured"
    assert not [m for m in messages if "budgeting_ballot" in m or "ballot_key" in m]
    marks = ballot_marks(before + after, all_receipts) | {key.hex()}
    leaking = [m for m in messages if any(mark in m for mark in marks)]
    assert leaking == []


def _assert_no_link(
    *,
    ballots: list[Ballot],
    receipts: list[str],
    users: list[User],
    key: bytes,
    ballot_table_may_hold: set[str],
) -> None:
    """No row outside the ballots holds anything of a ballot; the ballots hold nothing of a
    person (and of the keyed hashes only `ballot_table_may_hold`); the round's key is only in
    the round."""
    of_ballots = ballot_marks(ballots, receipts)
    of_people = person_marks(users)
    key_marks = {key.hex(), base64.b64encode(key).decode()}
    receipt_hashes = {voting.receipt_hash(code) for code in receipts}
    current = list(Ballot.objects.all())
    stored_ids = {str(b.pk) for b in current} | {b.pk.hex for b in current}
    found: list[tuple[str, str]] = []
    for table, _row, text in all_rows():
        if table == "budgeting_ballot":
            allowed = receipt_hashes | stored_ids | ballot_table_may_hold
            found += [(table, mark) for mark in of_ballots - allowed if mark in text]
            found += [(table, mark) for mark in of_people if mark in text]
        else:
            found += [(table, mark) for mark in of_ballots if mark in text]
        if table != "budgeting_budgetprocess":
            found += [(table, "the round's key") for mark in key_marks if mark in text]
    assert found == []
