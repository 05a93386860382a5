"""Benchmark of voting in a neighbourhood budget round (``./dev bench budgeting``).

Needs PostgreSQL (DATABASE_URL; ``./dev bench budgeting`` starts a throwaway cluster). In a fresh
database beside it (dropped afterwards) it builds a round in its voting phase with 60 plans on an
approval ballot (choose 1 to 5) in which residents vote with the voting code from their letter,
and 12,000 voting codes (stored as keyed hashes, as the letters' step stores them). Then:

1. **Ballots under load.** ``--servers`` gunicorn app servers (default two, each ``--workers``
   sync workers, no access log) serve the site from the one PostgreSQL database, as several app
   servers do in production (docs/scaling.md); locust (headless, on the same machine) spreads its
   users over them. Each voter types their code on the round's code page (which grants the
   session a pass) and then posts their ballot to the confirming URL, for ``--duration`` seconds
   after a warm-up: ``--users`` queues each sending the next voter as soon as the last is
   answered (the servers' capacity), or, with ``--rate``, offering that many voters a second in
   all. Reported: ballots/s answered, p50/p95/p99 of the ballot's answer time (and of the code
   page's), errors (a code not answered with a redirect and a session, a ballot not with a 200
   and a receipt code), and that the database holds a ballot for every answered voter. Also one
   voter's server time and SQL queries without load (in-process).
2. **The ceiling: PostgreSQL's own insert rate.** In the same run, ``pgbench`` writes what a
   ballot writes, without Django: in one transaction the ballot box's shared advisory lock, a
   row of the register of who voted (``ON CONFLICT DO NOTHING``), the ballot, the code marked
   used and the audit event, into copies of the real tables (their indexes and unique
   constraints), from as many connections as the app servers have workers. The table gives
   the ballots/s as a share of that ceiling.
3. **The floor: Django's own cost.** The same app servers and load against one logged-in POST
   behind the site's whole middleware that writes one row and answers a receipt-shaped code
   (``_floor_urls.py``): its requests/s and CPU per request are what any ballot on this stack
   costs at least; the table gives a voter's cost as a multiple of it.
4. **The result page.** The round is topped up to 15,000 ballots (West Begroot's size), closed
   and counted with the Method of Equal Shares; the public result page is requested in-process
   (Django's test Client, as ``./dev bench pages`` does): median and p95 server time after a
   warm-up, and its SQL queries.

Targets: >= 300 ballots/s with p95 < 150 ms and no errors; the result page < 50 ms median and
<= 15 queries.

Options: ``--voters N`` (12,000), ``--users N`` (locust users, 12), ``--rate N`` (ballots/s
offered; 0, the default: as fast as answered), ``--duration S`` (30), ``--servers N`` (gunicorn app
servers, 2), ``--workers N`` (per server, 2), ``--pgbench S`` (seconds, 10), ``--ballots N``
(15,000), ``--requests N`` (result page, 100).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import json
import os
import random
import re
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

os.environ["DEBUG"] = "0"
os.environ["WIJKWERK_FAST_PASSWORD_HASHER"] = "1"  # noqa: S105 - a switch, not a password
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerk.settings")

from _pages_db import bench_database  # noqa: E402

PLANS = 60
TARGET_RATE = 300.0
TARGET_P95_MS = 150.0
TARGET_RESULT_MS = 50.0
TARGET_RESULT_QUERIES = 15
WARM_UP_SECONDS = 5
IN_PROCESS = 200  # ballots cast one by one in-process first: server time and queries
# The code page (services/codes.py, views/voting.py): where a code is typed, and its field.
CODE_ENTRY = "budgeting:code_entry"
CODE_FIELD = "code"
# Code entry is limited per address and per round (settings.WIJKWERK_RATE_LIMITS). Every
# simulated voter comes from 127.0.0.1: no limit per address here. The limit per round stays,
# counted in the shared cache as in production, but high enough for the benchmark's rate.
SERVER_LIMITS = {
    "WIJKWERK_RATE_LIMIT_CODE_IP": "",
    "WIJKWERK_RATE_LIMIT_CODE_ROUND": "100000/m",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=12_000)
    parser.add_argument("--rate", type=float, default=0.0)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pgbench", type=int, default=10)
    parser.add_argument("--ballots", type=int, default=15_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("benchmarks/budgeting.py needs PostgreSQL: run it through ./dev bench budgeting")
    with (
        tempfile.TemporaryDirectory(prefix="wijkwerk-bench-") as tmp,
        bench_database(tmp) as vendor_hint,
    ):
        os.environ["STATIC_ROOT"] = tmp
        run(args, Path(tmp), vendor_hint)


def run(args: argparse.Namespace, tmp: Path, vendor_hint: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor} ({vendor_hint})", flush=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    process, voters = build(args.voters)
    print(
        f"Built a round with {PLANS} plans and {len(voters):,} voting codes "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    in_process = ballots_in_process(process, [voters.pop() for _ in range(IN_PROCESS)])
    connection.close()  # gunicorn's workers and the load come next

    load = measure_ballots(args, tmp, process, voters, IN_PROCESS)
    load["pgbench"] = measure_pgbench(args, tmp, process)
    load["floor"] = measure_floor(args, tmp)
    page = measure_result_page(args, process)
    print_table(args, load, in_process, page)


# --- The data --------------------------------------------------------------------------------


def build(count: int) -> tuple[Any, list[dict[str, Any]]]:
    """A round voting now in one district with voting codes, its plans, and `count` voters
    with a code each (typed on the code page) and a CSRF secret."""
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from wijkwerk.areas.models import Area, AreaKind, Municipality
    from wijkwerk.budgeting.models import KINDS, PHASE_ORDER, BudgetProcess, Plan, VotingCode
    from wijkwerk.budgeting.services.codes import code_hash, new_code
    from wijkwerk.budgeting.services.rounds import (
        AreaBudget,
        PhaseDates,
        process_publish,
        process_save,
    )
    from wijkwerk.budgeting.states import FeasibilityVerdict
    from wijkwerk.core.actors import DEMO

    rng = random.Random(2026)
    with transaction.atomic():
        municipality = Municipality.objects.create(
            name="Benchstad", slug="benchstad", cbs_code="GM9990"
        )
        district = Area.objects.create(
            municipality=municipality,
            kind=AreaKind.DISTRICT,
            name="West",
            slug="west",
            cbs_code="WK999001",
        )
        Area.objects.create(
            municipality=municipality,
            parent=district,
            kind=AreaKind.NEIGHBOURHOOD,
            name="West-Midden",
            slug="west-midden",
            cbs_code="BU99900101",
        )
        now = timezone.now()
        start = now - datetime.timedelta(days=7 * PHASE_ORDER.index("voting"), hours=1)
        phases = []
        for kind in KINDS:
            phases.append(PhaseDates(kind.key, start, start + datetime.timedelta(days=7)))
            start += datetime.timedelta(days=7)
        process = process_save(
            actor=DEMO,
            process=BudgetProcess(
                municipality=municipality,
                title="West Begroot (benchmark)",
                budget_cents=500_000_000,
                min_choices=1,
                max_choices=5,
                vote_with_account=False,
                vote_with_code=True,
            ),
            areas=[AreaBudget(district, 500_000_000)],
            phases=phases,
        )
        process = process_publish(actor=DEMO, process=process)
        Plan.objects.bulk_create(
            Plan(
                process=process,
                area=district,
                title=f"Plan {n + 1} voor West",
                summary="Een plan voor de wijk, van bankjes tot een speeltuin.",
                estimated_cost_cents=rng.randrange(500_000, 50_000_000, 100),
                feasibility=FeasibilityVerdict.FEASIBLE,
                project_id=str(n + 1),
            )
            for n in range(PLANS)
        )
        plan_ids = list(Plan.objects.filter(process=process).values_list("pk", flat=True))
        process_area = process.process_areas.get()
        codes = [new_code() for _ in range(count)]
        VotingCode.objects.bulk_create(
            (
                VotingCode(
                    process=process,
                    process_area=process_area,
                    code_hash=code_hash(code),
                    age_band=rng.choice(["18-29", "30-44", "45-64", "65+"]),
                )
                for code in codes
            ),
            batch_size=2_000,
        )
        entry_url = reverse(CODE_ENTRY, args=[process.pk])
        url = reverse("budgeting:ballot_confirm", args=[process.pk])
        voters = []
        for code in codes:
            csrf = secrets.token_hex(16)
            chosen = rng.sample(plan_ids, rng.randint(1, 5))
            body = urllib.parse.urlencode(
                [("csrfmiddlewaretoken", csrf)] + [("plan", str(pk)) for pk in chosen]
            )
            entry_body = urllib.parse.urlencode([("csrfmiddlewaretoken", csrf), (CODE_FIELD, code)])
            voters.append(
                {
                    "entry_url": entry_url,
                    "entry_body": entry_body,
                    "url": url,
                    "csrf": csrf,
                    "body": body,
                }
            )
    return process, voters


def ballots_in_process(process: Any, voters: list[dict[str, Any]]) -> dict[str, Any]:
    """Voters one at a time through the whole requests in-process (Django's test Client): the
    code typed, then the ballot; the server time of each without load, and the ballot's SQL
    queries."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    limits = settings.WIJKWERK_RATE_LIMITS
    for name, value in SERVER_LIMITS.items():
        limits[name.removeprefix("WIJKWERK_RATE_LIMIT_").lower()] = value
    times, entries = [], []
    queries = 0
    client = Client(enforce_csrf_checks=True)
    for voter in voters:
        client.cookies.clear()
        client.cookies["csrftoken"] = voter["csrf"]
        began = time.perf_counter()
        response = client.post(
            voter["entry_url"],
            voter["entry_body"],
            content_type="application/x-www-form-urlencoded",
        )
        entries.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 302, response.status_code
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.post(
                voter["url"], voter["body"], content_type="application/x-www-form-urlencoded"
            )
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    times.sort()
    entries.sort()
    return {
        "count": len(voters),
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "entry_median": statistics.median(entries),
        "queries": queries,
    }


# --- Ballots under load ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def measure_ballots(
    args: argparse.Namespace,
    tmp: Path,
    process: Any,
    voters: list[dict[str, Any]],
    cast_before: int,
) -> dict[str, Any]:
    from wijkwerk.budgeting.models import Ballot

    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "LOG_LEVEL": "WARNING",
        **SERVER_LIMITS,
    }
    with app_servers(args, env) as (servers, hosts):
        warm_up = int(args.rate * WARM_UP_SECONDS * 0.8) if args.rate else 500
        per_user = args.rate / args.users
        print(
            f"gunicorn: {args.servers} app servers of {args.workers} workers each on "
            f"{', '.join(hosts)}; warming up",
            flush=True,
        )
        warm = locust(tmp, hosts, voters[:warm_up], args.users, per_user, WARM_UP_SECONDS, "warm")
        print(f"Ballots for {args.duration} s: {offered(args)}", flush=True)
        stats = timed_load(args, tmp, servers, hosts, voters[warm_up:], "run")
    answered = cast_before + warm["answered"] + stats["answered"]
    stats["stored"] = Ballot.objects.filter(process=process).count()
    stats["answered_all"] = answered
    # A request cut off when locust stops may still be written: more stored is no loss.
    stats["stored_ok"] = stats["stored"] >= answered
    return stats


def timed_load(
    args: argparse.Namespace,
    tmp: Path,
    servers: list[subprocess.Popen[bytes]],
    hosts: list[str],
    voters: list[dict[str, Any]],
    name: str,
) -> dict[str, Any]:
    """locust's figures for `--duration` seconds, with the CPU each request cost the app
    servers, PostgreSQL and locust, and the machine's load average before and after."""
    loadavg_before = os.getloadavg()[0]
    before = cpu_seconds([server.pid for server in servers])
    locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    stats = locust(tmp, hosts, voters, args.users, args.rate / args.users, args.duration, name)
    locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    after = cpu_seconds([server.pid for server in servers])
    used = {key: seconds - before[key] for key, seconds in after.items()}
    used["locust"] = (locust_after.ru_utime + locust_after.ru_stime) - (
        locust_before.ru_utime + locust_before.ru_stime
    )
    stats["cpu_ms"] = {key: 1000 * sec / max(1, stats["requests"]) for key, sec in used.items()}
    stats["loadavg"] = (loadavg_before, os.getloadavg()[0])
    return stats


# --- The floor: Django's own cost per request -------------------------------------------------


def measure_floor(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """The same servers, load and duration against `_floor_urls`: one logged-in POST behind
    the site's middleware that writes one row and answers a receipt-shaped code. What a ballot
    costs above this is the platform's own work."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.utils import timezone

    from wijkwerk.accounts.models import User

    user = User.objects.create(email="vloer@benchstad.example", first_name="Vloer")
    user.set_unusable_password()
    user.save()
    data = {
        SESSION_KEY: str(user.pk),
        BACKEND_SESSION_KEY: "wijkwerk.accounts.backends.EmailLoginBackend",
        HASH_SESSION_KEY: user.get_session_auth_hash(),
    }
    expires = timezone.now() + datetime.timedelta(days=1)
    voters = []
    sessions = []
    for _ in range(int(max(args.rate, 400) * (args.duration + WARM_UP_SECONDS))):
        key, csrf = secrets.token_hex(16), secrets.token_hex(16)
        sessions.append(
            Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expires)
        )
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", csrf)])
        voters.append({"url": "/vloer/", "csrf": csrf, "body": body, "session": key})
    Session.objects.bulk_create(sessions, batch_size=2_000)
    connection.close()
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'benchmarks'}",
        "DJANGO_SETTINGS_MODULE": "_floor_settings",
        "LOG_LEVEL": "WARNING",
    }
    with app_servers(args, env) as (servers, hosts):
        warm_up = 300
        print("The floor: warming up", flush=True)
        locust(tmp, hosts, voters[:warm_up], args.users, 0, WARM_UP_SECONDS, "floor-warm")
        print(f"The floor for {args.duration} s", flush=True)
        return timed_load(args, tmp, servers, hosts, voters[warm_up:], "floor")


@contextlib.contextmanager
def app_servers(
    args: argparse.Namespace, env: dict[str, str]
) -> Iterator[tuple[list[subprocess.Popen[bytes]], list[str]]]:
    """`--servers` gunicorn app servers of `--workers` sync workers each, answering."""
    ports = [free_port() for _ in range(args.servers)]
    servers = [
        subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "wijkwerk.wsgi:application",
                f"--workers={args.workers}",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
            ],
            env=env,
            cwd=ROOT,
        )
        for port in ports
    ]
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for host in hosts:
            wait_for(host)
        yield servers, hosts
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def cpu_seconds(gunicorn_pids: list[int]) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn servers (masters and workers) and by the
    PostgreSQL backends of the benchmark's database (what one ballot costs, whatever else the
    machine is doing)."""
    import psutil  # locust's dependency

    def used(process: Any) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:
            return 0.0
        return float(times.user + times.system)

    django = 0.0
    for pid in gunicorn_pids:
        master = psutil.Process(pid)
        django += used(master) + sum(used(child) for child in master.children(recursive=True))
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
    postgres = 0.0
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if process.info["name"] == "postgres" and f" {database} " in f"{cmdline} ":
            postgres += used(process)
    return {"django": django, "postgres": postgres}


def offered(args: argparse.Namespace) -> str:
    if args.rate:
        return f"{args.rate:g} voters/s offered by {args.users} locust users"
    return f"{args.users} locust users each sending the next voter as soon as answered"


def wait_for(host: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(host + "/", timeout=2)  # noqa: S310 - loopback
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


def locust(
    tmp: Path,
    hosts: list[str],
    voters: list[dict[str, Any]],
    users: int,
    per_user: float,
    seconds: int,
    name: str,
) -> dict[str, Any]:
    path = tmp / f"voters-{name}.json"
    path.write_text(json.dumps(voters), encoding="utf-8")
    env = {
        **os.environ,
        "BENCH_VOTERS": str(path),
        "BENCH_PER_USER": f"{per_user:.4f}",
        "BENCH_HOSTS": ",".join(hosts),
    }
    prefix = tmp / name
    log = (tmp / f"locust-{name}.log").open("w")
    subprocess.run(
        [
            str(ROOT / ".venv/bin/locust"),
            "-f",
            str(ROOT / "benchmarks/_budgeting_locust.py"),
            "--headless",
            f"--users={users}",
            f"--spawn-rate={users}",
            f"--run-time={seconds}s",
            f"--host={hosts[0]}",
            f"--csv={prefix}",
            "--only-summary",
            "--loglevel=ERROR",
            "--stop-timeout=10",
        ],
        env=env,
        check=False,
        stdout=log,
        stderr=log,
    )
    log.close()
    with open(f"{prefix}_stats.csv", encoding="utf-8") as file:
        rows = {r["Name"]: r for r in csv.DictReader(file)}
    row = rows["ballot_confirm"]
    entry = rows.get("code_entry")
    requests = int(row["Request Count"])
    failures = int(row["Failure Count"])
    stats = {
        "requests": requests,
        "errors": failures,
        "answered": requests - failures,
        "rate": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
        "max": float(row["Max Response Time"]),
        "entry_errors": int(entry["Failure Count"]) if entry else 0,
        "entry_p50": float(entry["50%"]) if entry else 0.0,
        "entry_p95": float(entry["95%"]) if entry else 0.0,
    }
    return stats


# --- The ceiling: pgbench --------------------------------------------------------------------

PGBENCH_SCRIPT = """\\set voter random(1, 1000000000)
BEGIN;
SELECT pg_advisory_xact_lock_shared(:lock, :process);
SELECT status FROM budgeting_budgetprocess WHERE id = :process;
INSERT INTO ceiling_participation (id, age_band, channel, voted_on, area_id, process_id, voter_key)
  VALUES (gen_random_uuid(), '30-44', 'online', current_date, :area, :process,
          md5(random()::text) || md5(random()::text)) ON CONFLICT DO NOTHING;
INSERT INTO ceiling_ballot (id, choices, receipt_hash, channel, area_id, process_id)
  VALUES (gen_random_uuid(), '[[11, 1], [23, 1], [37, 1]]',
          md5(random()::text) || md5(random()::text), 'online', :area, :process);
UPDATE ceiling_code SET used_channel = 'online' WHERE id = :voter AND used_channel = '';
INSERT INTO ceiling_auditevent (created_at, action, object_type, object_id, object_repr, after)
  VALUES (now(), 'ballot.cast', 'budgeting.budgetprocess', ':process', 'West Begroot',
          '{"channel": "online"}');
END;
"""
CEILING_TABLES = {
    "ceiling_participation": "budgeting_participation",
    "ceiling_ballot": "budgeting_ballot",
    "ceiling_code": "budgeting_votingcode",
    "ceiling_auditevent": "core_auditevent",
}


def pg_binary(name: str) -> str:
    """A PostgreSQL program: beside `pg_ctl` on the PATH, else the newest Debian one."""
    import glob
    import shutil

    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise RuntimeError(f"{name} not found (Debian: apt-get install postgresql)")
    return candidates[-1]


def measure_pgbench(args: argparse.Namespace, tmp: Path, process: Any) -> dict[str, Any]:
    """Ballot-shaped transactions per second straight into PostgreSQL, from as many
    connections as the servers' workers: the most the database of this machine could take."""
    from django.db import connection

    clients = args.servers * args.workers
    with connection.cursor() as cursor:
        for copy, table in CEILING_TABLES.items():
            cursor.execute(f"CREATE TABLE {copy} (LIKE {table} INCLUDING ALL)")
        cursor.execute(
            "INSERT INTO ceiling_code SELECT * FROM budgeting_votingcode WHERE process_id = %s",
            [process.pk],
        )
        cursor.execute("SELECT min(id) FROM ceiling_code")
        first_code = cursor.fetchone()[0] or 1
    connection.close()
    script = tmp / "ballot.sql"
    script.write_text(PGBENCH_SCRIPT.replace(":voter", f"(:voter % 12000 + {first_code})"))
    area_id = process.process_areas.get().area_id
    print(
        f"pgbench: ballot-shaped transactions from {clients} connections for {args.pgbench} s",
        flush=True,
    )
    try:
        result = subprocess.run(
            [
                pg_binary("pgbench"),
                "--no-vacuum",
                f"--client={clients}",
                f"--jobs={min(clients, os.cpu_count() or 1)}",
                f"--time={args.pgbench}",
                f"--file={script}",
                "--define=lock=1465319426",
                f"--define=process={process.pk}",
                f"--define=area={area_id}",
                os.environ["DATABASE_URL"],
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        with connection.cursor() as cursor:
            for copy in CEILING_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {copy}")
    found = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", result.stdout)
    if result.returncode != 0 or not found:
        raise RuntimeError(f"pgbench failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    latency = re.search(r"latency average = ([0-9.]+) ms", result.stdout)
    return {
        "clients": clients,
        "tps": float(found.group(1)),
        "latency": float(latency.group(1)) if latency else 0.0,
    }


# --- The result page -------------------------------------------------------------------------


def measure_result_page(args: argparse.Namespace, process: Any) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    from wijkwerk.budgeting.models import Ballot, Participation, Plan
    from wijkwerk.budgeting.services import results, voting
    from wijkwerk.core.actors import COUNT, DEMO

    rng = random.Random(15_000)
    have = Ballot.objects.filter(process=process).count()
    area = process.process_areas.get().area
    plan_ids = list(Plan.objects.filter(process=process).values_list("pk", flat=True))
    popular = plan_ids[:20]  # some plans far more liked than others, as in a real round
    more = max(0, args.ballots - have)
    Ballot.objects.bulk_create(
        (
            Ballot(
                process=process,
                area=area,
                choices=sorted(
                    [pk, 1]
                    for pk in set(
                        rng.sample(popular, rng.randint(0, 3))
                        + rng.sample(plan_ids, rng.randint(1, 3))
                    )
                ),
            )
            for _ in range(more)
        ),
        batch_size=2_000,
    )
    Participation.objects.bulk_create(
        (
            Participation(
                process=process,
                area=area,
                age_band=rng.choice(["18-29", "30-44", "45-64", "65+"]),
                voted_on=datetime.date.today(),
            )
            for _ in range(more)
        ),
        batch_size=2_000,
    )
    started = time.perf_counter()
    voting.voting_close(actor=DEMO, process=process)
    closed = time.perf_counter() - started
    started = time.perf_counter()
    results.count_now(process, actor=COUNT)
    counted = time.perf_counter() - started
    ballots = Ballot.objects.filter(process=process).count()

    url = reverse("budgeting:result", args=[process.pk])
    client = Client()
    with counting_queries() as first_queries:
        began = time.perf_counter()
        client.get(url)
        first = (time.perf_counter() - began) * 1000
    for _ in range(10):
        response = client.get(url)
    with counting_queries() as queries:
        response = client.get(url)
    times = []
    for _ in range(args.requests):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return {
        "status": response.status_code,
        "first": first,
        "first_queries": first_queries[0],
        "ballots": ballots,
        "close_s": closed,
        "count_s": counted,
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "queries": queries[0],
    }


@contextlib.contextmanager
def counting_queries() -> Iterator[list[int]]:
    """The SQL statements run on the default connection in the block (counted as they are
    executed, whatever the debug cursor does)."""
    from django.db import connection

    counted = [0]

    def count(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counted


# --- The table -------------------------------------------------------------------------------


def print_table(
    args: argparse.Namespace,
    load: dict[str, Any],
    one: dict[str, Any],
    page: dict[str, Any],
) -> None:
    ok_load = (
        load["rate"] >= TARGET_RATE
        and load["p95"] < TARGET_P95_MS
        and load["errors"] == 0
        and load["entry_errors"] == 0
        and load["stored_ok"]
    )
    ok_page = (
        page["status"] == 200
        and page["median"] < TARGET_RESULT_MS
        and page["queries"] <= TARGET_RESULT_QUERIES
    )
    ceiling = load["pgbench"]
    print(
        f"\nBallots with voting codes: {args.servers} gunicorn app servers ({args.workers} sync "
        f"workers each) on one PostgreSQL, locust on the same {os.cpu_count()}-core machine, "
        f"{offered(args)} for {args.duration} s "
        f"(target >= {TARGET_RATE:g}/s, p95 < {TARGET_P95_MS:g} ms, no errors)"
    )
    header = (
        f"{'ballots':>8} {'ballots/s':>10} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} {'errors':>7} {'code p50/p95 ms':>16} {'stored/answered':>15} "
        f"{'pgbench tps':>12} {'share':>6} {'load avg':>11}  verdict"
    )
    print(header)
    print("-" * len(header))
    errors = f"{load['errors']}+{load['entry_errors']}"
    entry = f"{load['entry_p50']:.0f}/{load['entry_p95']:.0f}"
    print(
        f"{load['requests']:>8,} {load['rate']:>10.1f} {load['p50']:>7.0f} {load['p95']:>7.0f} "
        f"{load['p99']:>7.0f} {load['max']:>7.0f} {errors:>7} {entry:>16} "
        f"{load['stored']:>6,}/{load['answered_all']:<8,} "
        f"{ceiling['tps']:>12.0f} {100 * load['rate'] / ceiling['tps']:>5.1f}% "
        f"{load['loadavg'][0]:>5.2f}→{load['loadavg'][1]:<5.2f}  {'ok' if ok_load else 'MISSED'}"
    )
    print(
        f"errors: ballots + codes; share: ballots/s of the pgbench ceiling (ballot-shaped "
        f"transactions straight into PostgreSQL from {ceiling['clients']} connections, "
        f"{ceiling['latency']:.1f} ms each, measured in this run after the load)"
    )
    cpu = load["cpu_ms"]
    total = sum(cpu.values())
    cores = os.cpu_count() or 1
    print(
        f"CPU per voter (code page and ballot) under load: gunicorn {cpu['django']:.1f} ms, "
        f"PostgreSQL "
        f"{cpu['postgres']:.1f} ms, locust {cpu['locust']:.1f} ms: {total:.1f} ms in all, so "
        f"{cores} idle cores would answer about {1000 * cores / total:.0f} "
        f"ballots/s (the machine's load average shows how idle they were)"
    )
    floor = load["floor"]
    floor_cpu = floor["cpu_ms"]
    floor_total = sum(floor_cpu.values())
    print(
        f"The floor, measured the same way (one logged-in POST through the site's middleware "
        f"writing one row, no template; benchmarks/_floor_urls.py): {floor['rate']:.0f} "
        f"requests/s, p50 {floor['p50']:.0f} ms, p95 {floor['p95']:.0f} ms, errors "
        f"{floor['errors']}; CPU per request gunicorn {floor_cpu['django']:.1f} ms, PostgreSQL "
        f"{floor_cpu['postgres']:.1f} ms, locust {floor_cpu['locust']:.1f} ms: "
        f"{floor_total:.1f} ms, so {cores} idle cores would answer about "
        f"{1000 * cores / floor_total:.0f}/s; a voter costs {total / floor_total:.1f} times "
        f"the floor's request (two requests: the code page and the ballot)"
    )
    print(
        f"One voter without load (in-process, {one['count']} voters one by one): the code page "
        f"median {one['entry_median']:.1f} ms; the ballot median {one['median']:.1f} ms, p95 "
        f"{one['p95']:.1f} ms, {one['queries']} SQL queries"
    )
    print(
        f"\nResult page: {PLANS} plans, {page['ballots']:,} ballots, Method of Equal Shares "
        f"(closed in {page['close_s']:.2f} s, counted in {page['count_s']:.2f} s); server time "
        f"in-process over {args.requests} requests (target median < {TARGET_RESULT_MS:g} ms, "
        f"<= {TARGET_RESULT_QUERIES} queries)"
    )
    header = (
        f"{'status':>6} {'first ms':>9} {'first queries':>14} {'median ms':>10} {'p95 ms':>8} "
        f"{'queries':>8}  verdict"
    )
    print(header)
    print("-" * len(header))
    print(
        f"{page['status']:>6} {page['first']:>9.1f} {page['first_queries']:>14} "
        f"{page['median']:>10.1f} {page['p95']:>8.1f} "
        f"{page['queries']:>8}  {'ok' if ok_page else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
