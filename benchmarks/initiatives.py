"""Benchmark of the initiatives pages (``.venv/bin/python benchmarks/initiatives.py``).

Builds, in a database of its own (a temporary SQLite file, or a fresh PostgreSQL database beside
the one DATABASE_URL names, dropped afterwards), first 1,000 initiatives with 10,000 ledger
entries and then 10,000 initiatives with 100,000 ledger entries (bulk_create), with budget lines,
timelines, messages and supporters. Then requests the public list (plain, filtered, searched,
sorted), the detail page and the broker's dashboard in-process with Django's test Client and
prints one table: median and p95 server time after a warm-up, and the SQL query count per page at
both sizes (it must not grow with the data). Target: median < 20 ms, p95 < 40 ms, <= 15 queries.

Options: ``--requests N`` (default 200).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
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
from _timing import measure_pages, print_table, query_counts, vacuum  # noqa: E402

WORDS = [
    "geveltuin",
    "speeltuin",
    "bankjes",
    "moestuin",
    "buurtfeest",
    "kunstwerk",
    "jeugdhonk",
    "zwerfafval",
    "bloembakken",
    "jeu-de-boules",
    "picknicktafel",
    "muurschildering",
    "buurtkast",
    "repaircafé",
    "kerstmarkt",
    "wandelroute",
    "vogelhuisjes",
    "bijenhotel",
    "voetbaldoeltjes",
    "buurtbarbecue",
]
PLACES = [
    "Kerkstraat",
    "Dorpsplein",
    "Molenstraat",
    "Schoolstraat",
    "Parklaan",
    "Heuvel",
    "Beekdal",
    "Vijverweg",
]
STATUSES = (
    ["submitted"] * 2
    + ["under_review"] * 3
    + ["approved"] * 2
    + ["in_progress"] * 2
    + ["completed"] * 3
    + ["closed"] * 3
    + ["rejected", "returned", "draft", "withdrawn"]
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="wijkwerk-bench-") as tmp,
        bench_database(tmp) as where,
    ):
        os.environ["STATIC_ROOT"] = tmp
        os.environ["MEDIA_ROOT"] = str(Path(tmp) / "uploads")
        run(args.requests, where)


class World:
    def __init__(self) -> None:
        from tests.accounts.factories import official

        from wijkwerk.accounts.models import Role, User
        from wijkwerk.areas.models import Area, AreaKind, Municipality
        from wijkwerk.funds.models import Category, Fund, Scheme

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
        self.areas = list(self.districts)
        for d, district in enumerate(self.districts):
            for n in range(5):
                self.areas.append(
                    Area.objects.create(
                        municipality=self.municipality,
                        parent=district,
                        kind=AreaKind.NEIGHBOURHOOD,
                        name=f"Buurt {d}-{n}",
                        slug=f"buurt-{d}-{n}",
                        cbs_code=f"BU0826{d:02d}{n:02d}",
                    )
                )
        User.objects.bulk_create(
            User(email=f"bewoner{i}@example.org", full_name=f"Bewoner {i}", password="!")  # noqa: S106
            for i in range(2_000)
        )
        self.users = list(User.objects.order_by("id"))
        self.broker = official(Role.BROKER, area=self.districts[0], email="makelaar@example.org")
        scheme = Scheme.objects.create(
            municipality=self.municipality,
            name="Regeling bewonersinitiatieven",
            max_per_initiative_cents=2_000_000,
        )
        self.funds = [
            Fund.objects.create(
                municipality=self.municipality,
                scheme=scheme,
                name=f"Bewonersinitiatieven {year}",
                year=year,
                amount_cents=30_000_000_000,
            )
            for year in (2021, 2022, 2023)
        ]
        self.categories = [
            Category.objects.create(municipality=self.municipality, name=name, slug=slug)
            for name, slug in (("Fysiek", "fysiek"), ("Sociaal", "sociaal"), ("Overig", "overig"))
        ]
        self.count = 0

    def grow(self, initiatives: int, entries_per_initiative: int) -> None:
        """Add initiatives with budget lines, timeline, messages and ledger entries."""
        from django.utils import timezone

        from wijkwerk.funds.models import LedgerEntry
        from wijkwerk.initiatives.models import BudgetLine, Initiative, Message, StatusChange

        rng = random.Random(self.count)
        now = timezone.now()
        batch = []
        for i in range(self.count, self.count + initiatives):
            status = STATUSES[i % len(STATUSES)]
            funded = status in ("approved", "in_progress", "completed", "closed")
            requested = rng.randrange(20_000, 1_500_000, 500)
            submitted = now - datetime.timedelta(days=rng.randrange(0, 5 * 365))
            batch.append(
                Initiative(
                    title=f"{rng.choice(WORDS).capitalize()} {rng.choice(PLACES)} {i}",
                    summary=f"Samen een {rng.choice(WORDS)} en een {rng.choice(WORDS)} maken.",
                    description="Een plan van bewoners. " * 20,
                    area=self.areas[i % len(self.areas)],
                    applicant=self.users[i % len(self.users)],
                    status=status,
                    category=self.categories[i % 3],
                    consent_to_publish=i % 10 != 0,
                    requested_cents=requested,
                    granted_cents=requested if funded else None,
                    fund=self.funds[i % 3] if funded else None,
                    support_count=rng.randrange(0, 60),
                    submitted_at=None if status == "draft" else submitted,
                    decision_due=(submitted + datetime.timedelta(weeks=8)).date(),
                    broker=self.broker,
                )
            )
        created = Initiative.objects.bulk_create(batch, batch_size=2_000)
        if created[0].pk is None:  # SQLite before returning ids: read them back
            created = list(Initiative.objects.order_by("-id")[:initiatives])[::-1]
        BudgetLine.objects.bulk_create(
            (
                BudgetLine(
                    initiative=item,
                    position=p,
                    description=f"Post {p}",
                    amount_cents=item.requested_cents // 2 or 1,
                )
                for item in created
                for p in range(2)
            ),
            batch_size=5_000,
        )
        StatusChange.objects.bulk_create(
            (
                StatusChange(
                    initiative=item,
                    action="submit",
                    from_status="draft",
                    to_status=item.status,
                    actor=item.applicant,
                )
                for item in created
                for _ in range(3)
            ),
            batch_size=5_000,
        )
        Message.objects.bulk_create(
            (
                Message(initiative=item, author=self.broker, body="Een vraag?", is_internal=n == 1)
                for item in created
                for n in range(2)
            ),
            batch_size=5_000,
        )
        kinds = ("commitment", "payment", "release", "payment", "refund")
        LedgerEntry.objects.bulk_create(
            (
                LedgerEntry(
                    fund=self.funds[n % 3],
                    initiative=created[(n * 7919) % len(created)],
                    kind=kinds[n % len(kinds)],
                    amount_cents=1_000 + n % 50_000,
                    author=self.broker,
                    reason="Benchmark",
                )
                for n in range(initiatives * entries_per_initiative)
            ),
            batch_size=5_000,
        )
        self.count += initiatives

    def pages(self) -> list[tuple[str, str, Any]]:
        from wijkwerk.initiatives.models import Initiative

        detail = (
            Initiative.objects.filter(status="completed", consent_to_publish=True)
            .order_by("id")
            .first()
        )
        assert detail is not None
        return [
            ("list", "/initiatieven/", None),
            ("list page 50", "/initiatieven/?page=50", None),
            (
                "list: area + status + year",
                f"/initiatieven/?area={self.districts[0].pk}&status=completed&year=2024",
                None,
            ),
            (
                "list: category + fund, by support",
                f"/initiatieven/?category={self.categories[0].pk}&fund={self.funds[1].pk}"
                "&sort=support",
                None,
            ),
            ("list: search", "/initiatieven/?q=geveltuin", None),
            ("list: search + area", f"/initiatieven/?q=moestuin&area={self.districts[1].pk}", None),
            ("detail (public)", f"/initiatieven/{detail.pk}/", None),
            ("detail (applicant)", f"/initiatieven/{detail.pk}/", detail.applicant),
            ("dashboard (broker)", "/initiatieven/mijn-gebieden/", self.broker),
        ]


def run(requests: int, where: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor} ({where})", flush=True)
    call_command("migrate", verbosity=0)
    world = World()
    started = time.perf_counter()
    world.grow(1_000, 10)
    print(f"Built 1,000 initiatives in {time.perf_counter() - started:.1f} s", flush=True)
    small = query_counts(world.pages())
    started = time.perf_counter()
    world.grow(9_000, 10)
    print(
        f"Grew to 10,000 initiatives and 100,000 ledger entries in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    vacuum()
    rows = measure_pages(world.pages(), requests, small)
    print_table("Initiatives pages", rows, requests, sizes=("1k", "10k"))


if __name__ == "__main__":
    main()
