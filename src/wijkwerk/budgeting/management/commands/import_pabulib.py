"""manage.py import_pabulib: a finished budget round from a real election's `.pb` file."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from wijkwerk.areas.models import Area
from wijkwerk.budgeting.refusals import BudgetRefused
from wijkwerk.budgeting.services.imports import election_import
from wijkwerk.core.actors import PABULIB_IMPORT
from wijkwerk.counting import META_RULES, CountingError, PabulibError, read_pb

HELP = """Create a finished neighbourhood budget round from a pabulib .pb file (pabulib.org/format).

The round belongs to the area CODE (a CBS code in the database) and its municipality: title and
description from META (description, instance, unit, dates), the budget from META budget, the
voting phase from date_begin/date_end, the ballot from vote_type (approval, choose-1, cumulative;
max_sum_cost makes it a knapsack ballot) with min_length/max_length, the counting rule from META
rule. Every project becomes a feasible plan, every vote an anonymous ballot (no voter, no
receipt); the round is then counted as any closed round. The file is read and checked first; on
any problem nothing is saved."""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("pb_file", type=Path, help="the election, a pabulib .pb file")
        parser.add_argument(
            "--area", required=True, metavar="CODE", help="CBS code of the round's area"
        )
        parser.add_argument("--title", help="the round's title (default: from META)")
        parser.add_argument(
            "--rule",
            choices=sorted(META_RULES),
            help="count by this pabulib rule instead of META rule (e.g. greedy-no-skip)",
        )
        parser.add_argument(
            "--any-currency",
            action="store_true",
            help="import a file in another currency than EUR as if its amounts were euros",
        )

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["pb_file"]
        code: str = options["area"].strip().upper()
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        area = Area.objects.select_related("municipality").filter(cbs_code=code).first()
        if area is None:
            raise CommandError(
                f"No area with the CBS code {code}: give the code of a district, village or "
                "neighbourhood in the database (e.g. WK082613)."
            )
        started = time.perf_counter()
        try:
            election = read_pb(path)
        except PabulibError as error:
            raise CommandError(f"{error}\nNothing was imported.") from None
        read = time.perf_counter() - started
        try:
            imported = election_import(
                actor=PABULIB_IMPORT,
                election=election,
                area=area,
                source_file=path.name,
                title=options["title"],
                rule=options["rule"],
                any_currency=options["any_currency"],
            )
        except BudgetRefused as error:
            message = " ".join(error.messages)
            if not message.startswith(path.name):
                message = f"{path.name}: {message}"
            raise CommandError(f"{message}\nNothing was imported.") from None
        except CountingError as error:
            raise CommandError(
                f"{path.name}: the count failed: {error}\nNothing was imported."
            ) from None
        took = time.perf_counter() - started
        process = imported.process
        funded = process.plans.filter(project_id__in=_selected(process)).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {path.name} into {area.name} ({area.municipality.name}) as "
                f"“{process.title}”: {imported.plans} plans, {imported.ballots} ballots, counted "
                f"by {process.rule}"
                + (f"/{process.completion}" if process.completion != "none" else "")
                + f": {funded} plans funded. Took {took:.1f} s (reading {read:.1f} s)."
            )
        )


def _selected(process: Any) -> list[str]:
    selected: list[str] = []
    for result in process.results.all():
        selected.extend(result.outcome.get("selected", []))
    return selected
