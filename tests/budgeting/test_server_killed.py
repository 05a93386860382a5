"""A server killed in the middle of the vote loses no acknowledged ballot (issue 13, "Fault test").

Two gunicorn app servers (2 sync workers each) serve one PostgreSQL database, the test database
(the test is transactional, so the servers see what it commits). Voters, each with a session made
in the database as after logging in, post their ballot to the confirming URL from
`THREADS` threads, voter *n* to server *n* mod 2. Once a third of them have an answer, server 0
(master and workers) is killed with SIGKILL, and after a moment started again on its port; the
voting goes on. A voter whose request got no answer (cut off by the kill, or refused while the
server was down) tries again on the other server, as a person would press the button again, until
an answer comes.

What is asserted, voter by voter and in all:
- every voter ends with one answer: a receipt (200 with a receipt code in it), or, only after a
  request without an answer, "you have already voted" (409): the ballot of the request that died
  was written but its receipt never shown. Nobody gets two receipts, nobody is refused without
  having lost a request first;
- before the close: the receipt hash of every acknowledged receipt is in the ballot table; the
  ballots are exactly the acknowledged receipts plus one for each voter answered 409 (so a
  ballot whose receipt was never shown is there only if its voter is in the register of who
  voted); the register holds exactly those voters, once each;
- the close (which rewrites every ballot and keeps the receipt hashes) keeps the same hashes; the
  count's number of voters equals that number; every acknowledged receipt reads "counted";
- the fault happened: at least one request was cut off or refused by the killed server.
"""

from __future__ import annotations

import datetime
import http.client
import os
import queue
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from wijkwerk.accounts.models import User
from wijkwerk.budgeting.models import AreaResult, Ballot, BudgetProcess, Participation
from wijkwerk.budgeting.services import results, voting
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.core.actors import COUNT
from wijkwerk.core.models import AuditEvent

from ..cast import Cast
from .factories import PlanFactory, make_round
from .test_concurrent_ballots import residents

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
VOTERS = 240
THREADS = 6
PLANS = 6
KILL_AFTER = VOTERS // 3  # answers before server 0 is killed
DOWN_SECONDS = 1.5
RECEIPT = re.compile(r"\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b")
ALREADY = "You have already voted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]  # (not a test)


class Server:
    """One gunicorn app server (master and workers in a process group of their own, so that a
    SIGKILL reaches them all at once, as when a machine dies)."""

    def __init__(self, port: int, log: Path, database_url: str) -> None:
        self.port = port
        self.log = log
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "wijkwerk.settings",
            "PYTHONPATH": str(ROOT / "src"),
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "wijkwerk.wsgi",
                    "--workers=2",
                    f"--bind=127.0.0.1:{self.port}",
                    "--log-level=warning",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server on {self.port} stopped:\n{self.log.read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"server on {self.port} did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@dataclass
class VoterState:
    session: str
    csrf: str
    body: str
    user_id: int
    # every try: "receipt", "already", "cut" (sent, no answer), "refused" (no connection),
    # or "status <n>"
    tries: list[str] = field(default_factory=list)
    receipt: str = ""


def sessions_for(
    users: list[User], process: BudgetProcess, plan_ids: list[int]
) -> list[VoterState]:
    """A logged-in session and a CSRF secret per voter, written in the database, and a ballot
    of one to three plans each."""
    store = SessionStore()
    expire = timezone.now() + datetime.timedelta(days=1)
    rows, voters = [], []
    for n, user in enumerate(users):
        key, csrf = secrets.token_hex(16), secrets.token_hex(16)
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "wijkwerk.accounts.backends.EmailLoginBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        chosen = [plan_ids[n % PLANS], plan_ids[(n * 7 + 3) % PLANS]]
        body = urllib.parse.urlencode(
            [("csrfmiddlewaretoken", csrf)] + [("plan", str(pk)) for pk in sorted(set(chosen))]
        )
        voters.append(VoterState(key, csrf, body, user.pk))
    Session.objects.bulk_create(rows)
    return voters


def post_ballot(port: int, path: str, voter: VoterState) -> str:
    """One try; its outcome."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {
        "Host": "127.0.0.1",
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"sessionid={voter.session}; csrftoken={voter.csrf}; django_language=en",
    }
    try:
        try:
            conn.connect()
        except OSError:
            return "refused"
        try:
            conn.request("POST", path, body=voter.body, headers=headers)
            response = conn.getresponse()
            html = response.read().decode()
        except (OSError, http.client.HTTPException):
            return "cut"
    finally:
        conn.close()
    found = RECEIPT.search(html)
    if response.status == 200 and found:
        voter.receipt = found.group(0)
        return "receipt"
    if response.status == 409 and ALREADY in html:
        return "already"
    return f"status {response.status}"


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[Server]]:
    url = test_database_url()
    started = [Server(free_port(), tmp_path / f"server{n}.log", url) for n in range(2)]
    try:
        for server in started:
            server.start()
        yield started
    finally:
        for server in started:
            server.stop()


def test_a_server_killed_mid_vote_loses_no_acknowledged_ballot(
    cast: Cast, servers: list[Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(results, "enqueue_count", lambda process: None)  # counted below
    process = make_round(cast, may_change_ballot=False)
    plan_ids = [PlanFactory(process=process).pk for _ in range(PLANS)]
    users = residents(cast, VOTERS)
    voters = sessions_for(users, process, plan_ids)
    path = reverse("budgeting:ballot_confirm", args=[process.pk])

    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for n in range(VOTERS):
        todo.put(n)
    answered = [0]
    lock = threading.Lock()
    kill_now = threading.Event()
    errors: list[BaseException] = []

    def vote() -> None:
        try:
            while True:
                try:
                    n = todo.get_nowait()
                except queue.Empty:
                    return
                voter = voters[n]
                target = n % 2
                for _ in range(40):
                    outcome = post_ballot(servers[target].port, path, voter)
                    voter.tries.append(outcome)
                    if outcome not in ("cut", "refused"):
                        break
                    target = 1 - target  # press again: the other server answers
                    time.sleep(0.05)
                with lock:
                    answered[0] += 1
                    if answered[0] >= KILL_AFTER:
                        kill_now.set()
        except BaseException as error:  # pragma: no cover - shown by the assert below
            errors.append(error)

    def fault() -> None:
        assert kill_now.wait(timeout=300)
        servers[0].kill()
        time.sleep(DOWN_SECONDS)
        servers[0].start()

    threads = [threading.Thread(target=vote) for _ in range(THREADS)]
    killer = threading.Thread(target=fault)
    killer.start()
    for thread in threads:
        thread.start()
    for thread in [*threads, killer]:
        thread.join(timeout=600)
    assert not any(t.is_alive() for t in [*threads, killer])
    assert errors == []
    for server in servers:
        server.stop()

    lost = [v for v in voters if any(t in ("cut", "refused") for t in v.tries)]
    cut = sum(t == "cut" for v in voters for t in v.tries)
    assert lost, "the kill cut off or refused no request: no fault happened"
    finals = [v.tries[-1] for v in voters]
    assert set(finals) <= {"receipt", "already"}, [v.tries for v in voters if v.tries[-1]]
    acknowledged = [v for v in voters if v.tries[-1] == "receipt"]
    unshown = [v for v in voters if v.tries[-1] == "already"]
    # a 409 only after a request that died: its ballot was written, its receipt never shown
    assert all(v in lost for v in unshown)
    assert all(v.tries.count("receipt") <= 1 for v in voters)
    assert len({v.receipt for v in acknowledged}) == len(acknowledged)

    hashes = set(Ballot.objects.filter(process=process).values_list("receipt_hash", flat=True))
    acknowledged_hashes = {voting.receipt_hash(v.receipt) for v in acknowledged}
    assert acknowledged_hashes <= hashes
    assert len(hashes) == len(acknowledged) + len(unshown) == VOTERS
    assert Ballot.objects.filter(process=process).count() == VOTERS
    registered = list(
        Participation.objects.filter(process=process).values_list("user_id", flat=True)
    )
    assert sorted(registered) == sorted(v.user_id for v in acknowledged + unshown)

    process = voting.voting_close(actor=User.objects.get(pk=cast.admin.pk), process=process)
    assert set(Ballot.objects.filter(process=process).values_list("receipt_hash", flat=True)) == (
        hashes
    )
    results.count_now(process, actor=COUNT)
    assert BudgetProcess.objects.get(pk=process.pk).status == ProcessStatus.COUNTED
    assert sum(AreaResult.objects.filter(process=process).values_list("voters", flat=True)) == (
        len(acknowledged) + len(unshown)
    )
    for voter in acknowledged:
        assert voting.receipt_status(voter.receipt) == (process, True)
    assert AuditEvent.objects.filter(action="ballot.cast").count() == VOTERS
    print(
        f"\n{VOTERS} voters: {len(acknowledged)} receipts shown, {len(unshown)} ballots written "
        f"whose receipt was never shown (409 on pressing again), {len(lost)} voters lost a "
        f"request ({cut} cut off mid-request), all {VOTERS} counted once"
    )
