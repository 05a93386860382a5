"""Benchmark of the weekly digest (follows app): 50,000 followers, each with updates waiting.

`python benchmarks/participation_digest.py` (or `./dev bench participation`, whose script calls
`main()` after its pages). A database of its own (SQLite file, or a fresh PostgreSQL database
beside DATABASE_URL's, as benchmarks/pages.py); 50,000 residents who follow their neighbourhood
weekly, with 3 updates each (150,000 `DigestItem`s, one person in ten reads English). Then the
task worker's job, `follows.tasks.send_weekly_digests` (`digest.send_digests()` with the default
mailer), runs in a fresh process of its own (so its peak memory is its own, not the data
building's) and sends every digest over SMTP to a local SMTP server the benchmark starts in a
third process (`_smtp_sink.py`: it accepts, counts and drops each message): rendered in full
(text and HTML, greeting, List-Unsubscribe headers), serialised and sent, as in production.

Reported: wall time of the run, the sending process's CPU time, peak memory of the sending
process (resident set size, from `resource`; the Python interpreter and Django included), SQL
queries in all and per 1,000 recipients, the messages the server received (and how many carried
RFC 8058's headers), and a second run (idempotent: nothing left to send). Targets (issue 14):
< 60 s, < 300 MB, one query batch per 1,000 recipients (a fixed number of queries each).

Options: ``--followers N`` (50,000), ``--items N`` per follower (3), ``--batch N`` (1,000),
``--profile FILE`` (cProfile statistics of the sending process into FILE).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

os.environ["DEBUG"] = "0"
os.environ["WIJKWERK_FAST_PASSWORD_HASHER"] = "1"  # noqa: S105 - a switch, not a password
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerk.settings")

TARGET_SECONDS = 60.0
TARGET_MB = 300.0
CHUNK = 5_000


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=3)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--profile", default="", help="cProfile statistics of the sending")
    parser.add_argument("--send-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv if argv is not None else sys.argv[1:])
    if args.send_only:
        print(json.dumps(_send(args.batch, args.profile)))
        return
    from django.conf import settings

    if settings.configured and "django" in sys.modules and _django_ready():
        # called from another benchmark whose Django is set up on its own database: start afresh
        command = [sys.executable, __file__, f"--followers={args.followers}"]
        command += [f"--items={args.items}", f"--batch={args.batch}", f"--profile={args.profile}"]
        subprocess.run(command, check=True)
        return
    from _pages_db import bench_database

    with (
        tempfile.TemporaryDirectory(prefix="wijkwerk-bench-") as tmp,
        bench_database(tmp) as where,
    ):
        os.environ["STATIC_ROOT"] = tmp
        _run(args, where)


def _django_ready() -> bool:
    from django.apps import apps

    return apps.ready


def _build(followers: int, items: int) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from wijkwerk.areas.models import Area, AreaKind, Municipality
    from wijkwerk.follows.models import DigestItem, Follow, Frequency

    municipality = Municipality.objects.create(name="Benchdam", slug="benchdam", cbs_code="GM9999")
    district = Area.objects.create(
        municipality=municipality, kind=AreaKind.DISTRICT, name="Centrum", slug="centrum",
        cbs_code="WK999900",
    )  # fmt: skip
    area = Area.objects.create(
        municipality=municipality, kind=AreaKind.NEIGHBOURHOOD, parent=district,
        name="Oude Haven", slug="oude-haven", cbs_code="BU99990001",
    )  # fmt: skip
    content_type = ContentType.objects.get_for_model(Area)
    user_model = get_user_model()
    for start in range(0, followers, CHUNK):
        numbers = range(start, min(start + CHUNK, followers))
        users = user_model.objects.bulk_create(
            [
                user_model(
                    email=f"bewoner{n}@example.org",
                    full_name=f"Bewoner {n}",
                    password="!",  # noqa: S106 - an unusable password
                    language="en" if n % 10 == 0 else "nl",
                )
                for n in numbers
            ]
        )
        if not all(user.pk for user in users):  # databases that give no ids back
            emails = [f"bewoner{n}@example.org" for n in numbers]
            users = list(user_model.objects.filter(email__in=emails).order_by("pk"))
        follows = Follow.objects.bulk_create(
            [
                Follow(
                    user=user, content_type=content_type, object_id=area.pk,
                    municipality=municipality, frequency=Frequency.WEEKLY,
                )
                for user in users
            ]
        )  # fmt: skip
        if not all(follow.pk for follow in follows):
            follows = list(Follow.objects.filter(user__in=users).order_by("pk"))
        DigestItem.objects.bulk_create(
            [
                DigestItem(
                    user_id=follow.user_id, follow=follow, event="initiatives.public_status",
                    line=f"Initiatief “Bankjes aan de Havenstraat {k}”: goedgekeurd",
                    link=f"https://wijkwerk.example/initiatieven/{k}/",
                    target_label="Oude Haven",
                )
                for follow in follows
                for k in range(items)
            ]
        )  # fmt: skip


def _send(batch: int, profile: str = "") -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    from wijkwerk.follows import digest, tasks

    count = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    digest.BATCH = batch  # the task takes the module's batch size
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    with connection.execute_wrapper(counter):
        started, started_cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        # the task worker's job: the default mailer (SMTP to the benchmark's server), one
        # connection for the run
        result = tasks.send_weekly_digests.call()
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - started_cpu
        queries = count[0]
        again = tasks.send_weekly_digests.call()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "mails": result["mails"],
        "items": result["items"],
        "failed": result["failed"],
        "seconds": seconds,
        "cpu": cpu,
        "queries": queries,
        "start_mb": before_mb,
        "peak_mb": peak_mb,
        "again": again["mails"],
        "again_queries": count[0] - queries,
    }


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _run(args: argparse.Namespace, where: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"\n(c) Weekly digest. Database: {connection.vendor} ({where})", flush=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _build(args.followers, args.items)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"Built {args.followers:,} weekly followers with {args.followers * args.items:,} updates "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    connection.close()
    sink = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("_smtp_sink.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert sink.stdin is not None and sink.stdout is not None
    port = sink.stdout.readline().strip()
    load_before = _load()
    command = [sys.executable, __file__, "--send-only", f"--batch={args.batch}"]
    if args.profile:
        command.append(f"--profile={args.profile}")
    environment = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
    }
    try:
        done = subprocess.run(command, check=True, capture_output=True, text=True, env=environment)
    finally:
        received_out, _ = sink.communicate("")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    received = json.loads(received_out.strip().splitlines()[-1])
    batches = -(-figures["mails"] // args.batch) + 1  # and the final, empty look-up
    per_thousand = figures["queries"] / max(batches - 1, 1)
    ok = (
        figures["mails"] == args.followers
        and received["messages"] == args.followers
        and received["unsubscribe_headers"] == args.followers
        and figures["failed"] == 0
        and figures["seconds"] < TARGET_SECONDS
        and figures["peak_mb"] < TARGET_MB
        and figures["again"] == 0
    )
    header = (
        "recipients", "updates", "wall s", "CPU s", "mails/s", "peak MB", "queries",
        f"per {args.batch:,}", "received", "2nd run", "on target",
    )  # fmt: skip
    row = (
        f"{figures['mails']:,}",
        f"{figures['items']:,}",
        f"{figures['seconds']:.1f}",
        f"{figures['cpu']:.1f}",
        f"{figures['mails'] / figures['seconds']:,.0f}",
        f"{figures['peak_mb']:.0f}",
        f"{figures['queries']:,}",
        f"{per_thousand:.1f}",
        f"{received['messages']:,}",
        f"{figures['again']} mails, {figures['again_queries']} q",
        "yes" if ok else "NO",
    )
    widths = [max(len(h), len(v)) for h, v in zip(header, row, strict=True)]
    print(
        f"Weekly digest for {args.followers:,} followers, {args.items} updates each, batches of "
        f"{args.batch:,}; the task worker's job, over SMTP to a local server "
        f"({received['bytes'] / max(received['messages'], 1) / 1024:.1f} kB a mail, "
        f"{received['unsubscribe_headers']:,} with List-Unsubscribe-Post, server CPU "
        f"{received['cpu']:.1f} s); "
        f"targets < {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB, one query batch per "
        f"{args.batch:,} recipients"
    )
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    print("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)))
    print(
        f"peak MB: the sending process's peak resident set size (Python and Django included; "
        f"{figures['start_mb']:.0f} MB before the run); queries per batch include the final "
        f"empty look-up; CPU s: the sending process's own CPU time (the wall time includes waiting "
        f"for the database and for other processes on a busy machine)"
    )
    print(f"load average before and after: {load_before} → {_load()}")


if __name__ == "__main__":
    main()
