"""Benchmark of voting in a neighbourhood budget round (``./dev bench budgeting``).

Needs PostgreSQL (DATABASE_URL; ``./dev bench budgeting`` starts a throwaway cluster). In a fresh
database beside it (dropped afterwards) it builds a round in its voting phase with 60 plans on an
approval ballot (choose 1 to 5) and 12,000 residents of its area of voting age, each with a
session made directly in the database (as after logging in) and a CSRF secret. Then:

1. **Ballots under load.** gunicorn (``--workers``, sync workers, no access log) serves the
   site; locust (headless, on the same machine) posts one ballot per voter to the confirming URL
   as logged-in residents for ``--duration`` seconds after a warm-up: ``--users`` queues each
   sending the next ballot as soon as the last is answered (the server's capacity), or, with
   ``--rate``, offering that many ballots a second in all. Reported: ballots/s answered,
   p50/p95/p99 of the answer time, errors (anything but a 200 with a receipt code), and that the
   database holds a ballot for every answered voter. Also one ballot's server time and SQL
   queries without load (in-process).
2. **The result page.** The round is topped up to 15,000 ballots (West Begroot's size), closed
   and counted with the Method of Equal Shares; the public result page is requested in-process
   (Django's test Client, as ``./dev bench pages`` does): median and p95 server time after a
   warm-up, and its SQL queries.

Targets: >= 300 ballots/s with p95 < 150 ms and no errors; the result page < 50 ms median and
<= 15 queries.

Options: ``--voters N`` (12,000), ``--users N`` (locust users, 12), ``--rate N`` (ballots/s
offered; 0, the default: as fast as answered), ``--duration S`` (30), ``--workers N`` (gunicorn,
5), ``--ballots N`` (15,000), ``--requests N`` (result page, 100).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import json
import os
import random
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
BIRTH_DATE = datetime.date(1980, 1, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=12_000)
    parser.add_argument("--rate", type=float, default=0.0)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--workers", type=int, default=5)
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
        f"Built a round with {PLANS} plans and {len(voters):,} voters with sessions "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    in_process = ballots_in_process(process, [voters.pop() for _ in range(IN_PROCESS)])
    connection.close()  # gunicorn's workers and the load come next

    load = measure_ballots(args, tmp, process, voters, IN_PROCESS)
    page = measure_result_page(args, process)
    print_table(args, load, in_process, page)


# --- The data --------------------------------------------------------------------------------


def build(count: int) -> tuple[Any, list[dict[str, Any]]]:
    """A round voting now in one district, its plans, and `count` voters with sessions."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from wijkwerk.accounts.models import User
    from wijkwerk.areas.models import Area, AreaKind, Municipality
    from wijkwerk.budgeting.models import KINDS, PHASE_ORDER, BudgetProcess, Plan
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
        neighbourhood = Area.objects.create(
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
        User.objects.bulk_create(
            (
                User(
                    email=f"kiezer{n}@bench.invalid",
                    full_name=f"Kiezer {n}",
                    home_area=neighbourhood,
                    birth_date=BIRTH_DATE,
                    password="!bench",  # noqa: S106 - unusable: they log in by session only
                )
                for n in range(count)
            ),
            batch_size=2_000,
        )
        users = list(User.objects.filter(email__endswith="@bench.invalid").order_by("pk"))
        store = SessionStore()
        expire = now + datetime.timedelta(days=1)
        sessions = []
        voters = []
        url = reverse("budgeting:ballot_confirm", args=[process.pk])
        for user in users:
            key = secrets.token_hex(16)
            csrf = secrets.token_hex(16)
            data = {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": "wijkwerk.accounts.backends.EmailLoginBackend",
                "_auth_user_hash": user.get_session_auth_hash(),
            }
            sessions.append(
                Session(session_key=key, session_data=store.encode(data), expire_date=expire)
            )
            chosen = rng.sample(plan_ids, rng.randint(1, 5))
            body = urllib.parse.urlencode(
                [("csrfmiddlewaretoken", csrf)] + [("plan", str(pk)) for pk in chosen]
            )
            voters.append({"url": url, "session": key, "csrf": csrf, "body": body})
        Session.objects.bulk_create(sessions, batch_size=2_000)
    return process, voters


def ballots_in_process(process: Any, voters: list[dict[str, Any]]) -> dict[str, Any]:
    """Ballots one at a time through the whole request in-process (Django's test Client): the
    server time of one ballot without load, and its SQL queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    client = Client(enforce_csrf_checks=True)
    for voter in voters:
        client.cookies.clear()
        client.cookies["sessionid"] = voter["session"]
        client.cookies["csrftoken"] = voter["csrf"]
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.post(
                voter["url"], voter["body"], content_type="application/x-www-form-urlencoded"
            )
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    times.sort()
    return {
        "count": len(voters),
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
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

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
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
    host = f"http://127.0.0.1:{port}"
    try:
        wait_for(host)
        warm_up = int(args.rate * WARM_UP_SECONDS * 0.8) if args.rate else 500
        per_user = args.rate / args.users
        print(f"gunicorn: {args.workers} workers on {host}; warming up", flush=True)
        warm = locust(tmp, host, voters[:warm_up], args.users, per_user, WARM_UP_SECONDS, "warm")
        loadavg_before = os.getloadavg()[0]
        print(f"Ballots for {args.duration} s: {offered(args)}", flush=True)
        servers = cpu_seconds(server.pid)
        locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        stats = locust(tmp, host, voters[warm_up:], args.users, per_user, args.duration, "run")
        locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = {name: seconds - servers[name] for name, seconds in cpu_seconds(server.pid).items()}
        used["locust"] = (locust_after.ru_utime + locust_after.ru_stime) - (
            locust_before.ru_utime + locust_before.ru_stime
        )
        stats["cpu_ms"] = {
            name: 1000 * sec / max(1, stats["requests"]) for name, sec in used.items()
        }
        stats["loadavg"] = (loadavg_before, os.getloadavg()[0])
    finally:
        server.terminate()
        server.wait(timeout=30)
    answered = cast_before + warm["answered"] + stats["answered"]
    stats["stored"] = Ballot.objects.filter(process=process).count()
    stats["answered_all"] = answered
    # A request cut off when locust stops may still be written: more stored is no loss.
    stats["stored_ok"] = stats["stored"] >= answered
    return stats


def cpu_seconds(gunicorn_pid: int) -> dict[str, float]:
    """CPU seconds used so far by gunicorn (master and workers) and by the PostgreSQL backends of
    the benchmark's database (what one ballot costs, whatever else the machine is doing)."""
    import psutil  # locust's dependency

    def used(process: Any) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:
            return 0.0
        return float(times.user + times.system)

    master = psutil.Process(gunicorn_pid)
    django = used(master) + sum(used(child) for child in master.children(recursive=True))
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[-1]
    postgres = 0.0
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if process.info["name"] == "postgres" and f" {database} " in f"{cmdline} ":
            postgres += used(process)
    return {"django": django, "postgres": postgres}


def offered(args: argparse.Namespace) -> str:
    if args.rate:
        return f"{args.rate:g} ballots/s offered by {args.users} locust users"
    return f"{args.users} locust users each posting as soon as answered"


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
    host: str,
    voters: list[dict[str, Any]],
    users: int,
    per_user: float,
    seconds: int,
    name: str,
) -> dict[str, Any]:
    path = tmp / f"voters-{name}.json"
    path.write_text(json.dumps(voters), encoding="utf-8")
    env = {**os.environ, "BENCH_VOTERS": str(path), "BENCH_PER_USER": f"{per_user:.4f}"}
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
            f"--host={host}",
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
        row = next(r for r in csv.DictReader(file) if r["Name"] == "ballot_confirm")
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
    }
    return stats


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
        and load["stored_ok"]
    )
    ok_page = (
        page["status"] == 200
        and page["median"] < TARGET_RESULT_MS
        and page["queries"] <= TARGET_RESULT_QUERIES
    )
    print(
        f"\nBallots: gunicorn ({args.workers} sync workers) and PostgreSQL, locust on the same "
        f"{os.cpu_count()}-core machine, {offered(args)} for {args.duration} s "
        f"(target >= {TARGET_RATE:g}/s, p95 < {TARGET_P95_MS:g} ms, no errors)"
    )
    header = (
        f"{'ballots':>8} {'ballots/s':>10} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} {'errors':>7} {'stored/answered':>15} {'load avg':>11}  verdict"
    )
    print(header)
    print("-" * len(header))
    print(
        f"{load['requests']:>8,} {load['rate']:>10.1f} {load['p50']:>7.0f} {load['p95']:>7.0f} "
        f"{load['p99']:>7.0f} {load['max']:>7.0f} {load['errors']:>7} "
        f"{load['stored']:>6,}/{load['answered_all']:<6,} "
        f"{load['loadavg'][0]:>5.2f}→{load['loadavg'][1]:<5.2f}  {'ok' if ok_load else 'MISSED'}"
    )
    cpu = load["cpu_ms"]
    total = sum(cpu.values())
    cores = os.cpu_count() or 1
    print(
        f"CPU per ballot under load: gunicorn {cpu['django']:.1f} ms, PostgreSQL "
        f"{cpu['postgres']:.1f} ms, locust {cpu['locust']:.1f} ms: {total:.1f} ms in all, so "
        f"{cores} idle cores would answer about {1000 * cores / total:.0f} "
        f"ballots/s (the machine's load average shows how idle they were)"
    )
    print(
        f"One ballot without load (in-process, {one['count']} voters one by one): median "
        f"{one['median']:.1f} ms, p95 {one['p95']:.1f} ms, {one['queries']} SQL queries"
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
