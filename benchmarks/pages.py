"""Benchmark of the public and back-office pages (``./dev bench pages``).

Builds a large data set in a database of its own (a temporary SQLite file, or a fresh database
beside the one DATABASE_URL names, dropped afterwards): 1,000 areas over four municipalities and
50,000 users with role assignments, councils and resident groups. Then requests each page with
Django's test Client in-process and prints one table: median and p95 server time over 200 requests
after a warm-up, and the number of SQL queries per page with 100 and with 1,000 areas (they must not
grow with the data). Target: median < 20 ms and at most 15 queries per page.

Options: ``--requests N`` (default 200), ``--users N`` (default 50,000).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

# A production-like request path: no DEBUG (no static-file rescans, cached templates), but the
# development settings otherwise (plain static storage, `testserver` an allowed host).
os.environ["DEBUG"] = "0"
os.environ["WIJKWERK_FAST_PASSWORD_HASHER"] = "1"  # noqa: S105 - a switch, not a password
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkwerk.settings")

from _pages_db import bench_database  # noqa: E402

TARGET_MEDIAN_MS = 20.0
TARGET_QUERIES = 15
WARM_UP = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--users", type=int, default=50_000)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="wijkwerk-bench-") as tmp,
        bench_database(tmp) as vendor_hint,
    ):
        # An empty static root: the pages' static URLs do not need collected files.
        os.environ["STATIC_ROOT"] = tmp
        run(args.requests, args.users, vendor_hint)


def run(requests: int, users: int, vendor_hint: str) -> None:
    import django

    django.setup()
    from _pages_data import Scale, build
    from _pages_measure import measure_pages, page_list, print_table
    from django.core.management import call_command
    from django.db import connection

    print(f"Database: {connection.vendor} ({vendor_hint})", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Schema created in {time.perf_counter() - started:.1f} s", flush=True)

    started = time.perf_counter()
    small = build(
        Scale(districts_per_municipality=5, neighbourhoods_per_district=4, users=users // 10)
    )
    print(f"Built {small.summary()} in {time.perf_counter() - started:.1f} s", flush=True)
    pages = page_list(small)
    counts_small = measure_pages(pages, requests=0)

    started = time.perf_counter()
    large = build(Scale(districts_per_municipality=25, neighbourhoods_per_district=9, users=users))
    print(f"Built {large.summary()} in {time.perf_counter() - started:.1f} s", flush=True)
    results = measure_pages(page_list(large), requests=requests, warm_up=WARM_UP)
    print_table(
        results,
        counts_small,
        vendor=connection.vendor,
        areas=(small.area_count, large.area_count),
        target_ms=TARGET_MEDIAN_MS,
        target_queries=TARGET_QUERIES,
    )


if __name__ == "__main__":
    main()
