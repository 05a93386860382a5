"""Benchmark of generating the quarterly report (``.venv/bin/python benchmarks/reports.py``;
``./dev bench reports`` runs it on SQLite, then on a throwaway PostgreSQL, and then the open data
API's benchmark, ``benchmarks/api.py``).

Builds, in a database of its own (a temporary SQLite file, or a fresh PostgreSQL database beside
the one DATABASE_URL names, dropped afterwards), a municipality of 10 districts with 5
neighbourhoods each, 2,000 residents, 4 funds, 20 surveys, 20 budget rounds (counted, with a
result per area) and 10 pilots with 10 lessons each; then, with bulk_create, first a tenth of the
data (1,000 initiatives submitted in the quarter, 20,000 ledger entries, 5,000 survey responses,
2,000 votes) and then all of it (10,000 initiatives, 200,000 ledger entries, 50,000 survey
responses, 20,000 votes). At each size it generates the current quarter's report as the clerk
(`reports.services.generate`: every section's figures in one snapshot, saved): wall time (best
of three), the SQL query count (it must not grow with the data), and peak memory (tracemalloc's
peak of Python allocations during a fourth run, and the process's maximum resident size). At the
full size it also renders the page's HTML and the tagged PDF once.

Targets: generating < 10 s, peak memory < 500 MB, queries the same at both sizes.

Options: ``--runs N`` (default 3).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

os.environ["DEBUG"] = "0"
os.environ["WIJKWERK_FAST_PASSWORD_HASHER"] = "1"  # noqa: S105 - a switch, not a password
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerk.settings")

from _pages_db import bench_database  # noqa: E402
from _timing import SqlTimer, vacuum  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_MB = 500.0
# one tenth of the data, then all of it
STEP = {"initiatives": 1_000, "ledger": 20_000, "responses": 5_000, "votes": 2_000}
ROUNDS = 20
BATCH = 5_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="wijkwerk-bench-") as tmp,
        bench_database(tmp) as where,
    ):
        os.environ["STATIC_ROOT"] = tmp
        os.environ["MEDIA_ROOT"] = tmp
        run(args.runs, where)


class World:
    def __init__(self) -> None:
        from tests.accounts.factories import official

        from wijkwerk.accounts.models import Role, User
        from wijkwerk.areas.models import Area, AreaKind, Municipality
        from wijkwerk.budgeting.models import AreaResult, BudgetProcess, ProcessPhase
        from wijkwerk.core.quarters import Quarter
        from wijkwerk.funds.models import Category, Fund, Scheme
        from wijkwerk.learning.models import Lesson, Perspective, Pilot
        from wijkwerk.surveys.models import Survey

        self.random = random.Random(16)
        self.quarter = Quarter.current()
        self.municipality = Municipality.objects.create(
            name="Oosterhout", slug="oosterhout", cbs_code="GM0826"
        )
        self.districts = [
            Area.objects.create(
                municipality=self.municipality,
                kind=AreaKind.DISTRICT,
                name=f"Wijk {d}",
                slug=f"wijk-{d}",
                cbs_code=f"WK0826{d:02d}",
            )
            for d in range(10)
        ]
        self.neighbourhoods = [
            Area.objects.create(
                municipality=self.municipality,
                parent=district,
                kind=AreaKind.NEIGHBOURHOOD,
                name=f"Buurt {d}-{n}",
                slug=f"buurt-{d}-{n}",
                cbs_code=f"BU0826{d:02d}{n:02d}",
            )
            for d, district in enumerate(self.districts)
            for n in range(5)
        ]
        User.objects.bulk_create(
            User(
                email=f"bewoner{i}@example.org",
                full_name=f"Bewoner {i}",
                home_area=self.neighbourhoods[i % 50],
                password="!",  # noqa: S106 - unusable password
            )
            for i in range(2_000)
        )
        self.user_ids = list(User.objects.values_list("pk", flat=True))
        self.clerk = official(Role.CLERK, municipality=self.municipality, full_name="Karin Smits")
        scheme = Scheme.objects.create(
            municipality=self.municipality, name="Regeling", max_per_initiative_cents=500_000
        )
        self.category_ids = [
            Category.objects.create(municipality=self.municipality, name=name, slug=name).pk
            for name in ("groen", "sociaal", "spelen", "cultuur", "veiligheid")
        ]
        self.fund_ids = [
            Fund.objects.create(
                municipality=self.municipality,
                scheme=scheme,
                name=f"Fonds {n}",
                year=self.quarter.year,
                amount_cents=100_000_000,
            ).pk
            for n in range(4)
        ]
        self.survey_ids = [
            Survey.objects.create(
                municipality=self.municipality,
                area=self.districts[n % 10],
                kind="survey" if n % 2 else "poll",
                title=f"Peiling {n}",
                status="published",
            ).pk
            for n in range(20)
        ]
        start = self.quarter.start + datetime.timedelta(days=1)
        self.round_ids = []
        for n in range(ROUNDS):
            process = BudgetProcess.objects.create(
                municipality=self.municipality,
                title=f"Buurtbudget {n}",
                slug=f"buurtbudget-{n}",
                status="counted",
                budget_cents=5_000_000,
                closed_at=start + datetime.timedelta(hours=2),
                counted_at=start + datetime.timedelta(hours=3),
            )
            ProcessPhase.objects.create(
                process=process,
                kind="voting",
                starts_at=start - datetime.timedelta(days=7),
                ends_at=start + datetime.timedelta(hours=2),
            )
            plans = [
                {
                    "project_id": str(p),
                    "plan": p,
                    "title": f"Plan {n}-{p}",
                    "category": "groen",
                    "cost_cents": 400_000,
                    "votes": 100 - p,
                    "score": 100 - p,
                    "funded": p < 5,
                }
                for p in range(12)
            ]
            AreaResult.objects.create(
                process=process,
                area=self.neighbourhoods[n % 50],
                counted_at=start + datetime.timedelta(hours=3),
                voters=0,
                outcome={"projects": [], "selected": []},
                pb_text="",
                pb_sha256="0" * 64,
                figures={"plans": plans, "budget_cents": 5_000_000, "spent_cents": 2_000_000},
            )
            self.round_ids.append((process.pk, self.neighbourhoods[n % 50].pk))
        for n in range(10):
            pilot = Pilot.objects.create(
                municipality=self.municipality,
                title=f"Pilot {n}",
                goal="Bewoners beheren zelf het groen.",
                starts_on=self.quarter.first_day,
                ends_on=self.quarter.last_day,
                status="running",
                created_by=self.clerk,
            )
            pilot.areas.set([self.districts[n]])
            Lesson.objects.bulk_create(
                Lesson(
                    municipality=self.municipality,
                    pilot=pilot,
                    perspective=Perspective.RESIDENTS if k % 2 else Perspective.MUNICIPALITY,
                    title=f"Les {n}-{k}",
                    text="Vraag eerst de buren.",
                    learned_on=self.quarter.first_day,
                    author=self.clerk,
                )
                for k in range(10)
            )
        self.initiative_ids: list[int] = []
        self.made = 0

    def _moment(self) -> datetime.datetime:
        from django.utils import timezone

        span = (timezone.now() - self.quarter.start).total_seconds()
        return self.quarter.start + datetime.timedelta(seconds=self.random.random() * span)

    def grow(self, times: int) -> None:
        from django.db import transaction

        from wijkwerk.budgeting.models import Participation
        from wijkwerk.funds.models import LedgerEntry
        from wijkwerk.initiatives.models import Initiative
        from wijkwerk.surveys.models import Response

        pick = self.random.choice
        statuses = ["submitted", "under_review", "approved", "in_progress", "completed"]
        with transaction.atomic():
            Initiative.objects.bulk_create(
                (
                    Initiative(
                        title=f"Initiatief {self.made + i}",
                        area=pick(self.neighbourhoods),
                        applicant_id=pick(self.user_ids),
                        status=pick(statuses),
                        category_id=pick([*self.category_ids, None]),
                        requested_cents=100_000,
                        submitted_at=self._moment(),
                    )
                    for i in range(STEP["initiatives"] * times)
                ),
                batch_size=BATCH,
            )
            self.initiative_ids = list(Initiative.objects.values_list("pk", flat=True))
            kinds = ["commitment"] * 5 + ["payment"] * 3 + ["release", "refund"]
            LedgerEntry.objects.bulk_create(
                (
                    LedgerEntry(
                        fund_id=pick(self.fund_ids),
                        initiative_id=pick(self.initiative_ids),
                        kind=pick(kinds),
                        amount_cents=self.random.randrange(100, 100_000),
                        author_id=self.clerk.pk,
                        reason="Benchmark",
                    )
                    for _ in range(STEP["ledger"] * times)
                ),
                batch_size=BATCH,
            )
            Response.objects.bulk_create(
                (
                    Response(
                        survey_id=pick(self.survey_ids),
                        session_key=f"s{self.made + i}",
                    )
                    for i in range(STEP["responses"] * times)
                ),
                batch_size=BATCH,
            )
            Participation.objects.bulk_create(
                (
                    Participation(
                        process_id=process,
                        area_id=area,
                        voter_key=f"k{self.made + i}",
                        voted_on=self.quarter.first_day,
                    )
                    for i, (process, area) in enumerate(
                        pick(self.round_ids) for _ in range(STEP["votes"] * times)
                    )
                ),
                batch_size=BATCH,
            )
        self.made += STEP["responses"] * times


def generate(world: World) -> tuple[float, int, float, Any]:
    """One generation of the current quarter's report (the draft of the run before removed):
    seconds, queries, seconds waiting for the database, the report."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wijkwerk.reports import services
    from wijkwerk.reports.models import QuarterlyReport

    QuarterlyReport.objects.filter(municipality=world.municipality).delete()
    timer = SqlTimer()
    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timer):
        started = time.perf_counter()
        report = services.generate(world.clerk, world.municipality, world.quarter)
        seconds = time.perf_counter() - started
    return seconds, len(queries), timer.total, report


def peak_mb(world: World) -> float:
    tracemalloc.start()
    try:
        generate(world)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1024 / 1024


def measure(world: World, runs: int) -> dict[str, Any]:
    generate(world)  # warm: caches (content types, translations) filled once per process
    results = [generate(world) for _ in range(runs)]
    best = min(results, key=lambda result: result[0])
    return {
        "seconds": best[0],
        "queries": best[1],
        "sql": best[2],
        "peak_mb": peak_mb(world),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "report": best[3],
    }


def run(runs: int, where: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from wijkwerk.reports import rendering

    print(f"Database: {connection.vendor} ({where})", flush=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    world = World()
    world.grow(1)
    print(f"Built a tenth of the data in {time.perf_counter() - started:.1f} s", flush=True)
    vacuum()
    small = measure(world, runs)
    started = time.perf_counter()
    world.grow(9)
    print(f"Grew to all of it in {time.perf_counter() - started:.1f} s", flush=True)
    vacuum()
    full = measure(world, runs)

    figures = full["report"].figures
    assert figures["initiatives"]["total"] == 10 * STEP["initiatives"], figures["initiatives"]
    started = time.perf_counter()
    html = rendering.report_html(full["report"])
    html_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pdf = rendering.render_pdf(html)
    pdf_seconds = time.perf_counter() - started

    def row(label: str, data: dict[str, Any], size: str) -> str:
        ok = (
            data["seconds"] < TARGET_SECONDS
            and data["peak_mb"] < TARGET_MB
            and data["rss_mb"] < TARGET_MB
            and data["queries"] == small["queries"]
        )
        return (
            f"| {label} | {size} | {data['seconds']:.2f} s | {data['sql']:.2f} s | "
            f"{data['queries']} | {data['peak_mb']:.1f} MB | {data['rss_mb']:.0f} MB | "
            f"{'yes' if ok else 'NO'} |"
        )

    print()
    print(f"### Quarterly report ({connection.vendor}), best of {runs}")
    print()
    print(
        f"Target: generating < {TARGET_SECONDS:.0f} s, peak memory < {TARGET_MB:.0f} MB, "
        "queries constant in rows."
    )
    print()
    print("| generate | data | time | of which SQL | queries | peak (tracemalloc) | max RSS | ok |")
    print("|---|---|---|---|---|---|---|---|")
    tenth = "1k initiatives, 20k ledger, 5k responses, 20 rounds"
    whole = "10k initiatives, 200k ledger, 50k responses, 20 rounds"
    print(row("the current quarter", small, tenth))
    print(row("the current quarter", full, whole))
    print()
    print(
        f"At the full size the page's HTML renders in {html_seconds:.2f} s and the tagged PDF "
        f"({len(pdf) // 1024} kB) in {pdf_seconds:.2f} s (publishing)."
    )
    load = os.getloadavg()
    print(f"Load average: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs.")


if __name__ == "__main__":
    main()
