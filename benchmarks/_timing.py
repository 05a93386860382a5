"""Timing pages in-process: the loop the page benchmarks share (``initiatives.py``,
``expertise.py``, and any new one that measures pages with Django's test Client).

Use it after ``django.setup()`` (it imports Django lazily)::

    from _timing import measure_pages, print_table, query_counts, vacuum

    small = query_counts(world.pages())          # [(label, url, user), ...] at the small size
    world.grow(...)
    vacuum()                                     # fresh planner statistics on either database
    rows = measure_pages(world.pages(), requests, small)
    print_table("Offer search", rows, requests, sizes=("1k", "20k"))

Each page is requested once to count its SQL queries, then ``warm_up`` times, then ``requests``
times: wall time, the process's CPU time (on a loaded machine wall time includes waiting for a
CPU; CPU time does not) and the time spent waiting for the database (the server's work on
PostgreSQL). A row is on target when the page answers 200 within the targets and its query
count is the same at both sizes (it must not grow with the data).

The API is stable: other benchmarks import it; add keyword arguments with defaults only.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

TARGET_MEDIAN_MS = 20.0
TARGET_P95_MS = 40.0
TARGET_QUERIES = 15
WARM_UP = 20

# (label, url, user or None for a visitor)
PageSpec = tuple[str, str, Any]


@dataclass(frozen=True)
class Targets:
    median_ms: float = TARGET_MEDIAN_MS
    p95_ms: float = TARGET_P95_MS
    queries: int = TARGET_QUERIES

    def describe(self) -> str:
        return (
            f"median < {self.median_ms:.0f} ms, p95 < {self.p95_ms:.0f} ms, "
            f"<= {self.queries} queries, constant"
        )


class SqlTimer:
    """Time spent waiting for the database, per request (server time on PostgreSQL)."""

    def __init__(self) -> None:
        self.total = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += time.perf_counter() - started


@dataclass
class Measurement:
    """One page: its status and query count on the first request, then the timed requests (ms)."""

    status: int
    queries: int
    times: list[float]
    cpu: list[float]
    sql: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times, n=20)[18]

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def sql_median(self) -> float:
        return statistics.median(self.sql)


def measure(
    url: str,
    user: Any = None,
    requests: int = 200,
    *,
    warm_up: int = WARM_UP,
    before: Callable[[], None] | None = None,
) -> Measurement:
    """Request `url` (logged in as `user` unless None): once counted, then warmed up and timed.
    `before` runs before every request, untimed (e.g. renewing the shared fragments' token, as a
    change does, to time a page built afresh)."""
    prepare = before or (lambda: None)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if user is not None:
        client.force_login(user)
    prepare()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    status, count = response.status_code, len(queries)
    for _ in range(warm_up if requests else 0):
        prepare()
        client.get(url)
    times, cpu, sql = [], [], []
    for _ in range(requests):
        prepare()
        timer = SqlTimer()
        with connection.execute_wrapper(timer):
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        sql.append(timer.total * 1000)
    return Measurement(status, count, times, cpu, sql)


def query_counts(
    pages: Iterable[PageSpec], *, before: dict[str, Callable[[], None]] | None = None
) -> dict[str, int]:
    """The SQL query count of each page (one request each, nothing timed), by label."""
    before = before or {}
    return {
        label: measure(url, user, 0, before=before.get(label)).queries for label, url, user in pages
    }


def vacuum() -> None:
    """Fresh planner statistics after bulk inserts (VACUUM ANALYZE; ANALYZE on SQLite)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


@dataclass
class Row:
    label: str
    measurement: Measurement
    queries_small: int
    ok: bool


def measure_pages(
    pages: Iterable[PageSpec],
    requests: int,
    small: dict[str, int],
    *,
    targets: Targets | None = None,
    warm_up: int = WARM_UP,
    before: dict[str, Callable[[], None]] | None = None,
) -> list[Row]:
    """Time every page and judge it against `targets` and its query count at the small size;
    `before` names, by label, what runs before each request of a page (see `measure`)."""
    targets = targets or Targets()
    before = before or {}
    rows = []
    for label, url, user in pages:
        m = measure(url, user, requests, warm_up=warm_up, before=before.get(label))
        ok = (
            m.status == 200
            and m.median < targets.median_ms
            and m.p95 < targets.p95_ms
            and m.queries <= targets.queries
            and m.queries == small[label]
        )
        rows.append(Row(label, m, small[label], ok))
    return rows


def print_table(
    title: str,
    rows: list[Row],
    requests: int,
    *,
    sizes: tuple[str, str] = ("small", "large"),
    targets: Targets | None = None,
) -> None:
    """The Markdown table the page benchmarks print, with the machine's load average below."""
    from django.db import connection

    targets = targets or Targets()
    header = (
        "page",
        "status",
        "median ms",
        "p95 ms",
        "CPU median ms",
        "SQL median ms",
        f"queries {sizes[0]}",
        f"queries {sizes[1]}",
        "on target",
    )
    print()
    print(
        f"{title} on {connection.vendor}, {requests} requests each (target: {targets.describe()})"
    )
    print(f"| {' | '.join(header)} |")
    print(f"|{'|'.join('---' for _ in header)}|")
    for row in rows:
        m = row.measurement
        print(
            f"| {row.label} | {m.status} | {m.median:.1f} | {m.p95:.1f} | {m.cpu_median:.1f} "
            f"| {m.sql_median:.1f} | {row.queries_small} | {m.queries} "
            f"| {'yes' if row.ok else 'NO'} |"
        )
    # On a loaded machine wall time includes waiting for a CPU; the CPU column does not, and the
    # SQL column is the time spent waiting for the database (the server's work on PostgreSQL).
    print(f"Load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
