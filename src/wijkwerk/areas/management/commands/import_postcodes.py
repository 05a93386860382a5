"""manage.py import_postcodes: the neighbourhood of each postcode (and street), from a CSV file
such as the CBS's yearly postcode-house-number table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from wijkwerk.areas.importing import AreaImportError
from wijkwerk.areas.postcodes import import_postcodes

HELP = """Replace the postcode table (postcode and street → neighbourhood) of the municipalities
in a CSV file, so that residents find their area by postcode or street.

CSV: UTF-8 (with or without BOM), delimiter `,` or `;` (taken from the header line), with the
columns postcode (or PC6), street (optional; or straat) and neighbourhood_code (or buurtcode, or
the CBS's Buurt2026 with the edition's year). The CBS's file can be read as it is: its Huisnummer,
Wijk2026 and Gemeente2026 columns are read past, and its codes may lack the "BU". The
neighbourhoods must exist (import_areas first). The whole file is checked first; on any problem
every problem is listed with its line and nothing is saved. See docs/demo.md."""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", type=Path, help="postcodes, one per line")
        parser.add_argument(
            "--year", type=int, required=True, help="the CBS edition of the table, e.g. 2026"
        )
        parser.add_argument(
            "--municipality",
            metavar="GMxxxx",
            help="import only this municipality's rows (e.g. from the national CBS file)",
        )
        parser.add_argument(
            "--skip-unknown",
            action="store_true",
            help="leave out rows whose neighbourhood the platform does not have, instead of "
            "refusing the file",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but save nothing"
        )

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv_file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot read the file ({error.strerror})") from None
        try:
            summary = import_postcodes(
                data,
                year=options["year"],
                filename=path.name,
                municipality_code=options["municipality"],
                skip_unknown=options["skip_unknown"],
                dry_run=options["dry_run"],
            )
        except AreaImportError as error:
            for message in error.errors:
                self.stderr.write(message)
            raise CommandError(
                f"{len(error.errors)} problem(s) in the import; nothing was saved."
            ) from None
        for code, (before, after, before_year) in sorted(summary.municipalities.items()):
            replaced = f" (replacing {before} of {before_year})" if before else ""
            self.stdout.write(f"{code}: {after} postcodes and streets of {summary.year}{replaced}")
        if summary.dry_run:
            self.stdout.write(f"Dry run, nothing saved: {summary.rows} rows checked.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Postcodes imported: {summary.rows} rows."))
