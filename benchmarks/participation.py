"""Benchmark of the participation pages (``./dev bench participation``).

(a) The area page with all its panels (every registered "area" and "area_aside" panel renders;
    this script fills the surveys' own: open polls and surveys), measured with 10 and with 100
    open surveys in the area, as served (the panels that show every viewer the same from the
    shared cache, core/fragments.py) and after a change (the cache's token renewed before every
    request, so those panels are built afresh): median and p95 server time and the queries
    (they must not grow),
    for a visitor, a resident, an official (the area's broker) and the municipality's
    administrator (logged in: the session, the account and the follow panel's follow come in).
(b) A survey's results page with 50,000 responses to a survey of every question kind (about
    450,000 answers): uncached (the cache entry removed before each request, as after a new
    response) and cached (the results kept under the survey's version in the database cache).
(c) The weekly digest for 50,000 followers: `benchmarks/participation_digest.py`'s `main()`
    (the follows app's), when that file exists.

Target: median < 20 ms, p95 < 40 ms, at most 15 queries, constant in rows. Requests in-process
with Django's test Client on a database of its own (SQLite file, or a fresh PostgreSQL database
beside DATABASE_URL's), as benchmarks/pages.py does.

Options: ``--requests N`` (default 100), ``--responses N`` (default 50,000), ``--skip-digest``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
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

from _pages_db import bench_database  # noqa: E402

TARGET_MEDIAN_MS = 20.0
TARGET_P95_MS = 40.0
TARGET_QUERIES = 15
WARM_UP = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--skip-digest", action="store_true", help="leave out (c)")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="wijkwerk-bench-") as tmp,
        bench_database(tmp) as vendor_hint,
    ):
        os.environ["STATIC_ROOT"] = tmp
        run(args.requests, args.responses, vendor_hint)
    digest = ROOT / "benchmarks" / "participation_digest.py"
    if args.skip_digest:
        return
    if digest.exists():
        spec = importlib.util.spec_from_file_location("participation_digest", digest)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.argv = [str(digest)]
        module.main()
    else:
        print("\n(c) weekly digest: benchmarks/participation_digest.py is not there (yet)")


def _measure(client: Any, url: str, requests: int, before: Any = None) -> dict[str, Any]:
    from django.db import connection

    for _ in range(WARM_UP):
        if before:
            before()
        client.get(url)
    if before:
        before()
    # counted by an execute wrapper (the query log is reset as each request starts)
    captured: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    timings, cpu = [], []
    for _ in range(requests):
        if before:
            before()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: status {response.status_code}")
    return {
        "status": response.status_code,
        "queries": len(captured),
        "median": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20)[18],
        # process CPU time: on a loaded machine wall time includes waiting for a CPU
        "cpu": statistics.median(cpu),
    }


def _row(label: str, result: dict[str, Any], queries_small: int | None = None) -> str:
    verdict = (
        "ok"
        if result["median"] < TARGET_MEDIAN_MS
        and result["p95"] < TARGET_P95_MS
        and result["queries"] <= TARGET_QUERIES
        and (queries_small is None or queries_small == result["queries"])
        else "OVER"
    )
    small = "" if queries_small is None else f"{queries_small:>10}"
    return (
        f"{label:<40} {result['median']:>9.1f} {result['p95']:>8.1f} {result['cpu']:>7.1f} "
        f"{small:>10} {result['queries']:>8}  {verdict}"
    )


def _header(small_label: str = "") -> str:
    return (
        f"{'page':<40} {'median ms':>9} {'p95 ms':>8} {'cpu ms':>7} {small_label:>10} "
        f"{'queries':>8}  verdict"
    )


def _every_kind() -> list[Any]:
    from wijkwerk.surveys.models import QuestionKind as K
    from wijkwerk.surveys.services import QuestionValues as Q

    return [
        Q(kind=K.SINGLE, text="Hoe vaak?", options=["Elke week", "Elke maand", "Nooit"]),
        Q(
            kind=K.MULTIPLE,
            text="Wat mist er?",
            options=["Speelplek", "Bankjes", "Groen", "Parkeren"],
            max_value=2,
        ),
        Q(kind=K.SCALE, text="Hoe veilig?", low_label="onveilig", high_label="veilig"),
        Q(kind=K.RANKING, text="Wat eerst?", options=["Stoepen", "Verlichting", "Bomen"]),
        Q(kind=K.NUMBER, text="Hoe oud?", min_value=0, max_value=120),
        Q(kind=K.TEXT, text="Nog iets?", required=False, max_length=200),
    ]


def _open_surveys(area: Any, broker: Any, count: int) -> None:
    from wijkwerk.surveys import services
    from wijkwerk.surveys.models import QuestionKind
    from wijkwerk.surveys.services import QuestionValues, SurveySettings

    for i in range(count):
        survey = services.create_survey(
            actor=broker, area=area, values=SurveySettings(title=f"Peiling {i + 1}")
        )
        services.add_question(
            actor=broker,
            survey=survey,
            values=QuestionValues(
                kind=QuestionKind.SINGLE, text="Ja of nee?", options=["Ja", "Nee"]
            ),
        )
        services.publish(actor=broker, survey=survey)


def _responses(survey: Any, count: int) -> None:
    """`count` responses of every kind of answer, written in bulk (as the service writes them,
    without the per-response audit event; the running counts are made after, by `recount`)."""
    import random

    from django.db import transaction
    from django.db.models import F

    from wijkwerk.surveys.models import Answer, QuestionKind, Response, Survey

    rng = random.Random(14)
    questions = list(survey.questions.prefetch_related("options"))
    batch = 2000
    made = 0
    while made < count:
        size = min(batch, count - made)
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                Response(survey=survey, session_key=f"bench-{made + i}") for i in range(size)
            )
            answers = []
            for response in responses:
                for question in questions:
                    options = list(question.options.all())
                    if question.kind == QuestionKind.SINGLE:
                        answers.append(
                            Answer(response=response, question=question, option=rng.choice(options))
                        )
                    elif question.kind == QuestionKind.MULTIPLE:
                        for option in rng.sample(options, 2):
                            answers.append(
                                Answer(response=response, question=question, option=option)
                            )
                    elif question.kind == QuestionKind.RANKING:
                        for place, option in enumerate(rng.sample(options, len(options)), start=1):
                            answers.append(
                                Answer(
                                    response=response,
                                    question=question,
                                    option=option,
                                    number=place,
                                )
                            )
                    elif question.kind == QuestionKind.SCALE:
                        answers.append(
                            Answer(response=response, question=question, number=rng.randint(1, 5))
                        )
                    elif question.kind == QuestionKind.NUMBER:
                        answers.append(
                            Answer(response=response, question=question, number=rng.randint(0, 99))
                        )
                    elif rng.random() < 0.2:
                        answers.append(
                            Answer(response=response, question=question, text="Meer groen.")
                        )
            Answer.objects.bulk_create(answers, batch_size=5000)
            Survey.objects.filter(pk=survey.pk).update(
                response_count=F("response_count") + size, version=F("version") + 1
            )
        made += size


def run(requests: int, responses: int, vendor_hint: str) -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from wijkwerk.accounts.models import Role, RoleAssignment, User
    from wijkwerk.areas.models import Area, AreaKind, Municipality
    from wijkwerk.core import fragments
    from wijkwerk.core.panels import family, panels
    from wijkwerk.surveys import services
    from wijkwerk.surveys.models import Access, ResultsShown, Survey
    from wijkwerk.surveys.services import SurveySettings

    print(f"Database: {connection.vendor} ({vendor_hint})", flush=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    municipality = Municipality.objects.create(
        name="Benchstad", slug="benchstad", cbs_code="GM9999"
    )
    areas = []
    for i, scale in enumerate((10, 100)):
        areas.append(
            (
                scale,
                Area.objects.create(
                    municipality=municipality,
                    kind=AreaKind.DISTRICT,
                    name=f"Wijk {i}",
                    slug=f"wijk-{i}",
                    cbs_code=f"WK99990{i}",
                ),
            )
        )
    broker = User.objects.create_user(
        email="makelaar@bench.example", password=None, full_name="Bram"
    )
    for _scale, area in areas:
        RoleAssignment.objects.create(
            user=broker, role=Role.BROKER, area=area, municipality=municipality
        )
    broker = User.objects.get(pk=broker.pk)

    started = time.perf_counter()
    for scale, area in areas:
        _open_surveys(area, broker, scale)
    print(f"Built 10 and 100 open surveys in two areas in {time.perf_counter() - started:.1f} s")
    names = ", ".join(p.name for p in panels("area") + panels("area_aside"))
    print(f"Panels on the area page: {names}")

    # the viewers: a visitor, a resident of the area, its broker (an official, with the two-factor
    # login officials must have) and the municipality's administrator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    resident = User.objects.create_user(
        email="bewoner@bench.example", password=None, full_name="Bea", home_area=areas[0][1]
    )
    admin = User.objects.create_user(email="beheer@bench.example", password=None, full_name="Bert")
    RoleAssignment.objects.create(user=admin, role=Role.ADMIN, municipality=municipality)
    for official in (broker, admin):
        TOTP.activate(official, generate_totp_secret())
    viewers = {"visitor": None, "resident": resident, "official": broker, "admin": admin}

    def renew() -> None:
        # as a change to what the shared panels show does (core/fragments.py): built afresh
        fragments.renew(family("area"), family("area_aside"))

    client = Client()
    for viewer, user in viewers.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        print(f"\n(a) The area page with all panels, {viewer}")
        print(_header("q@10×"))
        small = _measure(client, reverse("areas:area", args=["benchstad", "wijk-0"]), requests)
        large = _measure(client, reverse("areas:area", args=["benchstad", "wijk-1"]), requests)
        afresh = _measure(
            client, reverse("areas:area", args=["benchstad", "wijk-1"]), requests, before=renew
        )
        print(_row("area page (10 open surveys)", small, small["queries"]))
        print(_row("area page (100 open surveys)", large, small["queries"]))
        print(_row("area page (100), after a change", afresh))
    client.logout()
    area = areas[1][1]
    survey = services.create_survey(
        actor=broker,
        area=area,
        values=SurveySettings(
            title="Leven in de wijk", access=Access.OPEN, results_shown=ResultsShown.LIVE
        ),
    )
    for values in _every_kind():
        services.add_question(actor=broker, survey=survey, values=values)
    services.publish(actor=broker, survey=survey)
    started = time.perf_counter()
    _responses(survey, responses)
    services.recount(survey)  # the running counts, as the responses one by one would keep them
    survey = Survey.objects.get(pk=survey.pk)
    print(
        f"\nBuilt {survey.response_count:,} responses "
        f"({survey.answers_count:,} answers) in {time.perf_counter() - started:.1f} s"
        if hasattr(survey, "answers_count")
        else f"\nBuilt {survey.response_count:,} responses in {time.perf_counter() - started:.1f} s"
    )
    url = reverse("surveys:results", args=[survey.pk])
    key = f"wijkwerk:surveys:results:{survey.pk}:{survey.version}"
    print(f"\n(b) The results page of a survey with {survey.response_count:,} responses")
    print(_header())
    uncached = _measure(client, url, max(requests // 5, 20), before=lambda: cache.delete(key))
    print(_row("results, uncached (counted anew)", uncached))
    cached = _measure(client, url, requests)
    print(_row("results, cached (until the next response)", cached))


if __name__ == "__main__":
    main()
