"""A server killed in the middle of the vote loses no acknowledged ballot (issue 13, "Fault test").

Two gunicorn app servers (2 sync workers each) serve one PostgreSQL database, the test database
(the test is transactional, so the servers see what it commits). Each voter has a voting code
(made as the letters' step makes them). From `THREADS` threads, voter *n* types their code on the
round's code page of server *n* mod 2 (which grants their new session a pass, in the database)
and posts their ballot to the confirming URL of the *other* server with that session. Once a
third of them have an answer, server 0 (master and workers) is killed with SIGKILL, and after a
moment started again on its port; the voting goes on. A voter whose request got no answer (cut
off by the kill, or refused while the server was down) tries the same step again on the other
server, as a person would press the button again, until an answer comes. Besides, the first
ballot request of every 20th voter goes through a proxy that passes it on to the server and then
drops the server's answer (a load balancer or a network that fails after the server wrote the
ballot): those voters deterministically have a ballot written whose receipt they never saw.

What is asserted, voter by voter and in all:
- every voter ends with one answer: a receipt (200 with a receipt code in it), or, only after a
  ballot request without an answer, "this voting code has already been used": the ballot of the
  request that died was written but its receipt never shown. (The ballot page says so while the
  session still holds the pass; the pass is dropped with a ballot cast, so a voter whose session
  lost it types the code again, and the code page says so, 409.) Nobody gets two receipts,
  nobody is refused without having lost a request first;
- before the close: the receipt hash of every acknowledged receipt is in the ballot table; the
  ballots are exactly the acknowledged receipts plus one for each voter answered 403 (so a
  ballot whose receipt was never shown is there only if its voter's code is in the register of
  who voted and marked used); the register holds exactly those voters' codes, once each, and
  exactly their codes are marked used online;
- the close (which rewrites every ballot and keeps the receipt hashes) keeps the same hashes; the
  count's number of voters equals that number; every acknowledged receipt reads "counted";
- the faults happened: at least one request was cut off or refused by the killed server, and
  every voter whose answer the proxy dropped ends with "code already used" (their ballot
  counted, its receipt never shown).
"""

from __future__ import annotations

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
from django.db import connection
from django.urls import reverse

from wijkwerk.accounts.models import User
from wijkwerk.budgeting.eligibility import voter_key
from wijkwerk.budgeting.models import AreaResult, Ballot, BudgetProcess, Participation, VotingCode
from wijkwerk.budgeting.services import results, voting
from wijkwerk.budgeting.services.codes import code_hash, new_code
from wijkwerk.budgeting.states import ProcessStatus
from wijkwerk.core.actors import COUNT
from wijkwerk.core.models import AuditEvent

from ..cast import Cast
from .factories import PlanFactory, make_round

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
DROPPED_EVERY = 20  # the first ballot request of voter 7, 27, 47, ...: its answer dropped
DOWN_SECONDS = 1.5
RECEIPT = re.compile(r"\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b")
USED = "This voting code has already been used."  # the pass's code used meanwhile (403)
USED_ONLINE = "This voting code has already been used online."  # the code typed again (409)
NO_PASS = "In this round you vote with the voting code from your letter, not with an account."
WAYS_IN = "How to vote in"  # the page for someone the ballot box does not know
SESSION = re.compile(r"(?:^|[\s,;])sessionid=([^;,\s]+)")


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
            # every voter comes from 127.0.0.1: no limit per address on typing codes here
            "WIJKWERK_RATE_LIMIT_CODE_IP": "",
            "WIJKWERK_RATE_LIMIT_CODE_ROUND": "100000/m",
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
    code: str
    code_id: int
    csrf: str
    body: str
    session: str = ""
    # every try: "pass" (the code page granted a session), "receipt", "used" (the code was used
    # already), "cut" (sent, no answer), "refused" (no connection), or "<step> status <n>"
    tries: list[str] = field(default_factory=list)
    receipt: str = ""


def voters_with_codes(process: BudgetProcess, plan_ids: list[int]) -> list[VoterState]:
    """A voting code per voter (stored as its keyed hash), a CSRF secret, and a ballot of one
    or two plans each."""
    area = process.process_areas.get()
    typed = [new_code() for _ in range(VOTERS)]
    VotingCode.objects.bulk_create(
        VotingCode(process=process, process_area=area, code_hash=code_hash(code), age_band="30-44")
        for code in typed
    )
    ids = dict(VotingCode.objects.filter(process=process).values_list("code_hash", "pk"))
    voters = []
    for n, code in enumerate(typed):
        csrf = secrets.token_hex(16)
        chosen = {plan_ids[n % PLANS], plan_ids[(n * 7 + 3) % PLANS]}
        body = urllib.parse.urlencode(
            [("csrfmiddlewaretoken", csrf)] + [("plan", str(pk)) for pk in sorted(chosen)]
        )
        voters.append(VoterState(code, ids[code_hash(code)], csrf, body))
    return voters


def post(port: int, path: str, body: str, cookie: str) -> tuple[int, str, str] | str:
    """One request: (status, its Set-Cookie headers, body), or "cut" / "refused"."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {
        "Host": "127.0.0.1",
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"{cookie}; django_language=en",
    }
    try:
        try:
            conn.connect()
        except OSError:
            return "refused"
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            html = response.read().decode()
        except (OSError, http.client.HTTPException):
            return "cut"
    finally:
        conn.close()
    cookies = " ".join(response.headers.get_all("Set-Cookie") or [])
    return response.status, cookies, html


def enter_code(port: int, path: str, voter: VoterState) -> str:
    answer = post(
        port,
        path,
        urllib.parse.urlencode({"csrfmiddlewaretoken": voter.csrf, "code": voter.code}),
        f"csrftoken={voter.csrf}",
    )
    if isinstance(answer, str):
        return answer
    status, cookies, html = answer
    found = SESSION.search(cookies)
    if status == 302 and found:
        voter.session = found.group(1)
        return "pass"
    if status == 409 and USED_ONLINE in html:
        return "used"
    return f"code status {status}"


def post_ballot(port: int, path: str, voter: VoterState) -> str:
    answer = post(port, path, voter.body, f"sessionid={voter.session}; csrftoken={voter.csrf}")
    if isinstance(answer, str):
        return answer
    status, _cookies, html = answer
    found = RECEIPT.search(html)
    if status == 200 and found:
        voter.receipt = found.group(0)
        return "receipt"
    if status == 403 and USED in html:
        return "used"  # the pass still in the session, its code used
    if status == 403 and (NO_PASS in html or WAYS_IN in html):
        return "no pass"  # the pass was dropped with the ballot cast: type the code again
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    return f"ballot status {status} {heading.group(1).strip() if heading else ''}"


class AnswerDropper:
    """A proxy that hands a request on to a server, waits for the server's whole answer, and
    closes the client's connection without it."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.upstream = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.drop, args=(client,), daemon=True).start()

    def drop(self, client: socket.socket) -> None:
        with client:
            data = b""
            while b"\r\n\r\n" not in data:
                data += client.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            found = re.search(rb"content-length: *(\d+)", head, re.IGNORECASE)
            while found and len(body) < int(found.group(1)):
                body += client.recv(65536)
            with socket.create_connection(("127.0.0.1", self.upstream), timeout=60) as upstream:
                upstream.sendall(head + b"\r\n\r\n" + body)
                while upstream.recv(65536):
                    pass  # the whole answer: the ballot is written

    def close(self) -> None:
        self.listener.close()


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
    process = make_round(
        cast, may_change_ballot=False, vote_with_code=True, vote_with_account=False
    )
    plan_ids = [PlanFactory(process=process).pk for _ in range(PLANS)]
    voters = voters_with_codes(process, plan_ids)
    entry = reverse("budgeting:code_entry", args=[process.pk])
    path = reverse("budgeting:ballot_confirm", args=[process.pk])

    dropper = AnswerDropper()
    dropper.upstream = servers[1].port
    dropped = set(range(7, VOTERS, DROPPED_EVERY))
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
                target = n % 2  # the code on this server, the ballot on the other
                ballots = 0
                for _ in range(40):
                    if not voter.session:
                        outcome = enter_code(servers[target].port, entry, voter)
                        voter.tries.append(outcome)
                        if outcome == "pass":
                            target = 1 - target  # the pass is in the database: any server
                        elif outcome in ("cut", "refused"):
                            target = 1 - target  # type it again: the other server answers
                            time.sleep(0.05)
                            continue
                        else:
                            break  # "used", or an unexpected answer
                    port = servers[target].port
                    if ballots == 0 and n in dropped:
                        port = dropper.port  # to server 1, which is never killed
                    ballots += 1
                    outcome = post_ballot(port, path, voter)
                    voter.tries.append(outcome)
                    if outcome == "no pass":
                        voter.session = ""
                    elif outcome in ("cut", "refused"):
                        target = 1 - target  # press again: the other server answers
                        time.sleep(0.05)
                    else:
                        break
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
    dropper.close()
    for server in servers:
        server.stop()

    lost = [v for v in voters if any(t in ("cut", "refused") for t in v.tries)]
    cut = sum(t == "cut" for v in voters for t in v.tries)
    assert lost, "the kill cut off or refused no request: no fault happened"
    finals = [v.tries[-1] for v in voters]
    assert set(finals) <= {"receipt", "used"}, [
        v.tries for v in voters if v.tries[-1] not in ("receipt", "used")
    ]
    acknowledged = [v for v in voters if v.tries[-1] == "receipt"]
    unshown = [v for v in voters if v.tries[-1] == "used"]
    assert dropped <= {voters.index(v) for v in unshown}
    # "used" only after a ballot request that died: its ballot was written, its receipt never
    # shown
    for voter in unshown:
        assert voter.tries[voter.tries.index("pass") + 1] in ("cut", "refused"), voter.tries
    assert all(v.tries.count("receipt") <= 1 for v in voters)
    assert len({v.receipt for v in acknowledged}) == len(acknowledged)

    hashes = set(Ballot.objects.filter(process=process).values_list("receipt_hash", flat=True))
    assert {voting.receipt_hash(v.receipt) for v in acknowledged} <= hashes
    assert len(hashes) == len(acknowledged) + len(unshown) == VOTERS
    assert Ballot.objects.filter(process=process).count() == VOTERS
    register = list(
        Participation.objects.filter(process=process).values_list("voter_key", flat=True)
    )
    assert sorted(register) == sorted(
        voter_key(process.pk, f"code:{v.code_id}") for v in acknowledged + unshown
    )
    used = dict(VotingCode.objects.filter(process=process).values_list("pk", "used_channel"))
    assert used == {v.code_id: "online" for v in voters}

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
        f"\n{VOTERS} voters with codes: {len(acknowledged)} receipts shown, {len(unshown)} "
        f"ballots written whose receipt was never shown (code used, on pressing again), "
        f"{len(lost)} voters lost a request ({cut} cut off mid-request), all {VOTERS} counted once"
    )
