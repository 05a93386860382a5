"""Benchmark of the open data API's list pages (``.venv/bin/python benchmarks/api.py``).

For the REPORTS helper and ``./dev``: run it like the other page benchmarks, on SQLite and then
on a throwaway PostgreSQL, with ``bench_on_both benchmarks/api.py "${@:2}"`` (the ``reports``
entry of ``bench()`` in ``./dev`` may call it after its own; ``./dev bench api`` runs it alone).
It takes ``--requests N`` (default 200) and prints one Markdown table.

Builds, in a database of its own (``_pages_db.bench_database``), the initiatives benchmark's
world (``initiatives.World``: 1,000 and then 10,000 initiatives with their ledger, 90 % of them
public), and requests in-process with Django's test Client: the public initiatives as a page of
50 (the first and the 15th page, and filtered by area, status and year), one initiative, the
funds with their figures and the areas. Per page: median and p95 server time after a warm-up,
CPU and SQL time, and the SQL query count at both sizes (it must not grow with the rows).
Target: median < 20 ms, p95 < 40 ms, <= 15 queries, constant.
"""

from __future__ import annotations

import argparse
import os
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


def pages(world: Any) -> list[tuple[str, str, Any]]:
    from wijkwerk.initiatives.models import Initiative

    one = (
        Initiative.objects.filter(status="completed", consent_to_publish=True)
        .order_by("id")
        .first()
    )
    assert one is not None
    district = world.districts[0].cbs_code
    return [
        ("initiatives, page of 50", "/api/v1/initiatives?page_size=50", None),
        ("initiatives, page 15 of 50", "/api/v1/initiatives?page_size=50&page=15", None),
        (
            "initiatives: area + status + year",
            f"/api/v1/initiatives?page_size=50&area={district}&status=completed&year=2024",
            None,
        ),
        ("initiatives, page of 50 (logged in)", "/api/v1/initiatives?page_size=50", world.broker),
        ("initiative", f"/api/v1/initiatives/{one.pk}", None),
        ("funds", "/api/v1/funds", None),
        ("areas, page of 100", "/api/v1/areas?page_size=100", None),
    ]


def run(requests: int, where: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from initiatives import World

    print(f"Database: {connection.vendor} ({where})", flush=True)
    call_command("migrate", verbosity=0)
    world = World()
    started = time.perf_counter()
    world.grow(1_000, 10)
    print(f"Built 1,000 initiatives in {time.perf_counter() - started:.1f} s", flush=True)
    small = query_counts(pages(world))
    started = time.perf_counter()
    world.grow(9_000, 10)
    print(
        f"Grew to 10,000 initiatives and 100,000 ledger entries in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    vacuum()
    rows = measure_pages(pages(world), requests, small)
    print_table("Open data API", rows, requests, sizes=("1k", "10k"))


if __name__ == "__main__":
    main()
