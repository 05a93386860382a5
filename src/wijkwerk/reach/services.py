"""Writes of the reach app: only population tables (reach itself is computed when read and
writes nothing to the other apps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core.audit import record

from .audit_actions import ReachAction
from .importing import read_population
from .models import Population, PopulationImport

FIRST_YEAR = 1995


class PopulationImportError(Exception):
    """The table has problems; nothing was saved. `errors`: (line, message), line 0 for the
    file as a whole."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__("\n".join(f"{line}: {message}" for line, message in errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    municipality: Municipality
    imported: PopulationImport
    rows: int
    replaced: int
    without_figure: int
    elsewhere: int


def check_year(year: Any) -> list[tuple[int, str]]:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= this_year:
        message = _("The year must lie between %(first)s and %(last)s, not %(year)s.")
        return [(0, message % {"first": FIRST_YEAR, "last": this_year, "year": year})]
    return []


def population_import(
    *,
    actor: Any,
    municipalities: list[Municipality],
    data: bytes,
    year: int,
    file_name: str = "",
) -> list[ImportResult]:
    """Take in a population table for `year`: the figures of each municipality's areas in it
    replace that municipality's figures of that year. All or nothing; raises
    PopulationImportError with every problem found. A person must administer each municipality
    (`reach.import_population`); a system actor (the command) may import any."""
    if not getattr(actor, "is_system", False):
        for municipality in municipalities:
            if not actor.has_perm("reach.import_population", municipality):
                raise PermissionError("reach.import_population")
    errors = check_year(year)
    if errors:
        raise PopulationImportError(errors)
    numbers = {m.cbs_code[2:6]: m for m in municipalities}
    table = read_population(data, year=year, municipality_numbers=set(numbers))
    areas = {
        area.cbs_code: area
        for area in Area.objects.filter(
            municipality__in=municipalities, cbs_code__in=[row.code for row in table.rows]
        )
    }
    unknown = [
        (
            row.line,
            _("%(code)s is not an area of %(municipality)s here.")
            % {"code": row.code, "municipality": numbers[row.code[2:6]].name},
        )
        for row in table.rows
        if row.code not in areas
    ]
    if table.errors or unknown:
        raise PopulationImportError(sorted(table.errors + unknown, key=lambda e: e[0]))
    results = []
    with transaction.atomic():
        for number, municipality in numbers.items():
            rows = [row for row in table.rows if row.code[2:6] == number]
            if not rows:
                continue
            imported = PopulationImport.objects.create(
                municipality=municipality, year=year, file_name=file_name[:200], rows=len(rows)
            )
            replaced, _deleted = Population.objects.filter(
                area__municipality=municipality, year=year
            ).delete()
            Population.objects.bulk_create(
                Population(
                    area=areas[row.code],
                    year=year,
                    inhabitants=row.inhabitants,
                    households=row.households,
                    source=imported,
                )
                for row in rows
            )
            record(
                actor=actor,
                action=ReachAction.POPULATION_IMPORT,
                instance=imported,
                after={
                    "year": year,
                    "file_name": imported.file_name,
                    "rows": len(rows),
                    "replaced": replaced,
                    "without_figure": table.without_figure,
                },
                municipality_id=municipality.pk,
            )
            results.append(
                ImportResult(
                    municipality,
                    imported,
                    len(rows),
                    replaced,
                    table.without_figure,
                    table.elsewhere,
                )
            )
    if not results:
        raise PopulationImportError(
            [(0, _("The file has no figures for the neighbourhoods, districts or villages here."))]
        )
    return results
