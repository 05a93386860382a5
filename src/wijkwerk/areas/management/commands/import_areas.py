"""manage.py import_areas: areas (CBS codes) from a CSV file, boundaries from GeoJSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from wijkwerk.areas.importing import CODE_PROPERTIES, COLUMNS, AreaImportError, import_areas

HELP = f"""Create or update areas from a CSV file, matched by CBS code.

CSV: UTF-8 (with or without BOM), delimiter `,` or `;` (taken from the header line), with the
columns {", ".join(COLUMNS)}. kind is district, village or neighbourhood; a neighbourhood names its
district or village in parent_code; cbs_year is the CBS edition (e.g. 2020); demo_code is 1 for a
code that is not an official CBS code. GeoJSON: a FeatureCollection whose features carry the CBS
code in one of the properties {", ".join(CODE_PROPERTIES)} and a Polygon or MultiPolygon in WGS84.

The whole file is checked first; on any problem every problem is listed with its line and nothing
is saved. See docs/demo.md."""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv_file", type=Path, help="the areas, one per line")
        parser.add_argument("--geojson", type=Path, help="boundaries as a FeatureCollection")
        parser.add_argument(
            "--municipality",
            metavar="GMxxxx",
            help="import only this municipality's rows (e.g. from a national CBS file)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but save nothing"
        )

    @no_translations
    def handle(self, *args: Any, **options: Any) -> None:
        csv_path: Path = options["csv_file"]
        geojson_path: Path | None = options["geojson"]
        try:
            summary = import_areas(
                _read(csv_path),
                csv_name=csv_path.name,
                geojson_data=_read(geojson_path) if geojson_path else None,
                geojson_name=geojson_path.name if geojson_path else "",
                municipality_code=options["municipality"],
                dry_run=options["dry_run"],
            )
        except AreaImportError as error:
            for message in error.errors:
                self.stderr.write(message)
            raise CommandError(
                f"{len(error.errors)} problem(s) in the import; nothing was saved."
            ) from None
        if summary.municipalities_created:
            self.stdout.write(f"New municipalities: {', '.join(summary.municipalities_created)}")
        result = (
            f"{len(summary.created)} created, {len(summary.updated)} updated, "
            f"{len(summary.unchanged)} unchanged"
        )
        if summary.dry_run:
            self.stdout.write(f"Dry run, nothing saved: {result}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Areas imported: {result}."))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: cannot read the file ({error.strerror})") from None
