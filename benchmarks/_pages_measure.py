"""Requesting the pages in-process and reporting server time and query counts."""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from _pages_data import Built
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from wijkwerk.accounts.models import User


@dataclass(frozen=True)
class Page:
    label: str
    url: str
    as_admin: bool = False


@dataclass(frozen=True)
class Missing:
    label: str
    note: str


@dataclass
class Result:
    label: str
    url: str
    status: int
    queries: int
    median_ms: float | None = None
    p95_ms: float | None = None
    # Process CPU time: on a loaded machine wall time includes waiting for a CPU; this does not.
    cpu_median_ms: float | None = None


def page_list(built: Built) -> list[Page | Missing]:
    municipality = {"municipality": built.municipality_slug}
    candidates: tuple[tuple[str, str, dict[str, str], str, bool], ...] = (
        ("home page", "site:home", {}, "", False),
        ("home search", "site:home", {}, urlencode({"q": built.search}), False),
        ("municipality page", "areas:municipality", municipality, "", False),
        (
            "area page (district)",
            "areas:area",
            {**municipality, "area": built.district_slug},
            "",
            False,
        ),
        (
            "area page (neighbourhood)",
            "areas:area",
            {**municipality, "area": built.neighbourhood_slug},
            "",
            False,
        ),
        ("back office", "backoffice:dashboard", {}, "", True),
        ("back office: areas", "backoffice:area_list", municipality, "", True),
        ("back office: roles", "backoffice:role_list", municipality, "", True),
        ("back office: councils", "backoffice:council_list", municipality, "", True),
    )
    pages: list[Page | Missing] = []
    for label, name, kwargs, query, as_admin in candidates:
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            pages.append(Missing(label, f"no URL named {name} in this version"))
            continue
        pages.append(Page(label, f"{url}?{query}" if query else url, as_admin))
    return pages


def measure_pages(
    pages: list[Page | Missing], *, requests: int, warm_up: int = 0
) -> dict[str, Result | Missing]:
    admin = User.objects.get(email="beheer@bench.example")
    results: dict[str, Result | Missing] = {}
    for page in pages:
        if isinstance(page, Missing):
            results[page.label] = page
            continue
        client = Client()
        if page.as_admin:
            client.force_login(admin)
        for _ in range(warm_up):
            client.get(page.url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
        result = Result(page.label, page.url, response.status_code, len(captured))
        if requests:
            timings, cpu = [], []
            for _ in range(requests):
                started, cpu_started = time.perf_counter(), time.process_time()
                response = client.get(page.url)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
                if response.status_code != result.status:
                    raise RuntimeError(f"{page.url}: status {response.status_code}")
            result.median_ms = statistics.median(timings)
            result.p95_ms = statistics.quantiles(timings, n=20)[18]
            result.cpu_median_ms = statistics.median(cpu)
        results[page.label] = result
    return results


def print_table(
    results: dict[str, Result | Missing],
    counts_small: dict[str, Result | Missing],
    *,
    vendor: str,
    areas: tuple[int, int],
    target_ms: float,
    target_queries: int,
) -> None:
    small, large = areas
    header = (
        f"{'page':<27} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} "
        f"{f'queries@{small}':>12} {f'queries@{large}':>13}  verdict"
    )
    print(
        f"\nPages on {vendor} (server time in-process, target median < {target_ms:g} ms, "
        f"<= {target_queries} queries)"
    )
    print(header)
    print("-" * len(header))
    misses = []
    for label, result in results.items():
        if isinstance(result, Missing):
            print(
                f"{label:<27} {'-':>6} {'':>10} {'':>8} {'':>12} {'':>13}  skipped: {result.note}"
            )
            continue
        before = counts_small.get(label)
        small_queries = before.queries if isinstance(before, Result) else None
        problems = []
        if result.status != 200:
            problems.append(f"status {result.status}")
        if result.median_ms is not None and result.median_ms >= target_ms:
            problems.append("slow")
        if result.queries > target_queries:
            problems.append("too many queries")
        if small_queries is not None and small_queries != result.queries:
            problems.append("queries grow with data")
        verdict = ", ".join(problems) or "ok"
        if problems:
            misses.append(label)
        small_text = "-" if small_queries is None else str(small_queries)
        print(
            f"{label:<27} {result.status:>6} {result.median_ms or 0:>10.1f} "
            f"{result.p95_ms or 0:>8.1f} {result.cpu_median_ms or 0:>7.1f} {small_text:>12} "
            f"{result.queries:>13}  {verdict}"
        )
    print(f"\n{len(misses)} page(s) miss a target" + (f": {', '.join(misses)}" if misses else "."))
    print(
        "cpu ms: median CPU time of this process per request (the database server's own CPU "
        "time is not in it on PostgreSQL); wall time also counts waiting for a CPU on a busy "
        f"machine (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)."
    )
