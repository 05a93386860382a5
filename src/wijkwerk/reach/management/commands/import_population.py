"""manage.py import_population FILE --year YYYY: inhabitants per area from the CBS table
"Kerncijfers wijken en buurten" (the format is described in wijkwerk/reach/importing.py and
docs/learning.md, "Reach")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wijkwerk.areas.models import Municipality
from wijkwerk.core.actors import SystemActor
from wijkwerk.reach.services import PopulationImportError, population_import

POPULATION_IMPORT = SystemActor("population-import")


class Command(BaseCommand):
    help = (
        "Import inhabitants (and households) per neighbourhood, district or village for a "
        "year, from a CSV as CBS StatLine exports 'Kerncijfers wijken en buurten'. Rows of "
        "municipalities not on the platform are read past; on any problem every problem is "
        "listed with its line and nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--year", type=int, required=True, help="e.g. 2026")
        parser.add_argument(
            "--municipality", metavar="GMxxxx", help="import only this municipality's rows"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv_file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror})") from None
        municipalities = list(Municipality.objects.order_by("name"))
        if options["municipality"]:
            code = options["municipality"].upper()
            municipalities = [m for m in municipalities if m.cbs_code == code]
            if not municipalities:
                raise CommandError(f"{code}: no such municipality here")
        try:
            results = population_import(
                actor=POPULATION_IMPORT,
                municipalities=municipalities,
                data=data,
                year=options["year"],
                file_name=path.name,
            )
        except PopulationImportError as error:
            lines = [
                f"{path.name}:{line}: {message}" if line else f"{path.name}: {message}"
                for line, message in error.errors
            ]
            raise CommandError("nothing imported\n" + "\n".join(lines)) from None
        for result in results:
            self.stdout.write(
                f"{result.municipality.name} {options['year']}: {result.rows} areas "
                f"({result.replaced} earlier figures replaced, {result.without_figure} rows "
                f"without a figure, {result.elsewhere} rows of elsewhere read past)"
            )
