"""Importing areas from a CSV file (CBS codes) with optional GeoJSON boundaries.

The import is all or nothing: the whole file is read and checked first and every problem is
collected with its file name and line number (or feature index), so an operator can fix the file in
one pass. Only a file without problems is written, in one transaction. Re-importing the same file
changes nothing: areas are matched by CBS code and only real changes are saved and audited.

Messages are in English on purpose: the import is an operator's tool run from a shell, and its
messages must match the documentation (docs/demo.md) and be searchable.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from wijkwerk.core.actors import AREA_IMPORT

from .models import MUNICIPALITY_CODE, Area, AreaKind, Municipality
from .services import (
    area_audit_state,
    area_create,
    area_update,
    municipality_create,
    validate_area_code,
    validate_boundary,
)

COLUMNS = (
    "municipality_code",
    "municipality_name",
    "code",
    "name",
    "kind",
    "parent_code",
    "cbs_year",
    "demo_code",
    "description",
)
REQUIRED_COLUMNS = ("municipality_code", "municipality_name", "code", "name", "kind")
# GeoJSON from CBS/PDOK names the code property after the level; our own files use `code`.
CODE_PROPERTIES = ("code", "statcode", "buurtcode", "wijkcode")
NAME_MAX = Area._meta.get_field("name").max_length or 120
MUNICIPALITY_NAME_MAX = Municipality._meta.get_field("name").max_length or 100
DESCRIPTION_MAX = 5_000
CBS_YEARS = (1990, 2100)
# Parents are created before their neighbourhoods.
KIND_ORDER = {AreaKind.DISTRICT: 0, AreaKind.VILLAGE: 0, AreaKind.NEIGHBOURHOOD: 1}


class AreaImportError(Exception):
    """The file has problems; nothing was saved. `errors` lists every problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class AreaRow:
    line: int
    municipality_code: str
    municipality_name: str
    code: str
    name: str
    kind: str
    parent_code: str
    cbs_year: int | None
    code_is_demo: bool
    description: str


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    municipalities_created: list[str] = field(default_factory=list)
    dry_run: bool = False


def _messages(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _decode(data: bytes, filename: str) -> tuple[str | None, list[str]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            f"{filename}:{line}: the file is not UTF-8 text (byte {error.start + 1}); "
            "save it as UTF-8"
        ]


def _delimiter(header_line: str) -> str:
    """`;` (Dutch spreadsheets) or `,`, whichever the header line uses more."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


@dataclass
class CsvContents:
    rows: list[AreaRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Codes on lines with problems: no "unknown parent" follow-up error for their children.
    codes_with_errors: set[str] = field(default_factory=set)


def read_area_rows(data: bytes, *, filename: str) -> CsvContents:
    """The rows of an area CSV file and every problem found in them (file:line: message)."""
    text, errors = _decode(data, filename)
    contents = CsvContents(errors=errors)
    if text is None:
        return contents
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        errors.append(f"{filename}:{line}: the file contains a NUL character; is it a CSV file?")
        return contents
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            errors.append(f"{filename}:1: the file is empty; the first line must name the columns")
            return contents
        names = [cell.strip().lower() for cell in header]
        problems = _check_header(names)
        if problems:
            errors += [f"{filename}:1: {problem}" for problem in problems]
            return contents
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                errors.append(
                    f"{filename}:{start}: expected {len(names)} fields, found {len(cells)}"
                )
                if "code" in names and names.index("code") < len(cells):
                    contents.codes_with_errors.add(cells[names.index("code")].strip().upper())
                continue
            row, row_errors = _parse_row(dict(zip(names, cells, strict=True)), start)
            errors += [f"{filename}:{start}: {message}" for message in row_errors]
            if row is not None:
                contents.rows.append(row)
            else:
                contents.codes_with_errors.add(cells[names.index("code")].strip().upper())
    except csv.Error as error:
        errors.append(f"{filename}:{reader.line_num}: unreadable CSV ({error})")
    return contents


def _check_header(names: list[str]) -> list[str]:
    problems = []
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        problems.append(
            f"unknown column(s): {', '.join(repr(n) for n in unknown)} "
            f"(the columns are: {', '.join(COLUMNS)})"
        )
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        problems.append(f"column(s) given twice: {', '.join(duplicated)}")
    return problems


def _parse_row(cells: dict[str, str], line: int) -> tuple[AreaRow | None, list[str]]:
    errors: list[str] = []
    municipality_code = cells["municipality_code"].strip().upper()
    try:
        MUNICIPALITY_CODE(municipality_code)
    except ValidationError:
        errors.append(f"municipality code {municipality_code!r} is not of the form GM0826")
    municipality_name = " ".join(cells["municipality_name"].split())
    if not municipality_name:
        errors.append("municipality_name is empty")
    elif len(municipality_name) > MUNICIPALITY_NAME_MAX:
        errors.append(
            f"municipality_name is {len(municipality_name)} characters, "
            f"at most {MUNICIPALITY_NAME_MAX}"
        )
    kind = cells["kind"].strip().lower()
    code = cells["code"].strip().upper()
    if kind not in AreaKind.values:
        errors.append(f"unknown kind {kind!r} (use {', '.join(AreaKind.values)})")
    elif not code:
        errors.append("code is empty")
    else:
        try:
            code = validate_area_code(
                kind,
                code,
                municipality_code=municipality_code if not errors else None,
            )
        except ValidationError as error:
            errors.append(f"code {code}: {_messages(error)}")
    name = " ".join(cells["name"].split())
    if not name:
        errors.append("name is empty")
    elif len(name) > NAME_MAX:
        errors.append(f"name is {len(name)} characters, at most {NAME_MAX}")
    elif "<" in name or ">" in name:
        # The same rule as the back office's validate_name: names are plain text everywhere.
        errors.append("name contains < or >; an area name is plain text")
    parent_code = cells.get("parent_code", "").strip().upper()
    if kind == AreaKind.NEIGHBOURHOOD and not parent_code:
        errors.append(f"neighbourhood {code} has no parent_code (its district or village)")
    elif kind in (AreaKind.DISTRICT, AreaKind.VILLAGE) and parent_code:
        errors.append(f"a {kind} lies directly under the municipality; leave parent_code empty")
    cbs_year: int | None = None
    year_text = cells.get("cbs_year", "").strip()
    if year_text:
        if re.fullmatch(r"\d{4}", year_text) and CBS_YEARS[0] <= int(year_text) <= CBS_YEARS[1]:
            cbs_year = int(year_text)
        else:
            errors.append(f"cbs_year {year_text!r} is not a year such as 2020")
    demo_text = cells.get("demo_code", "").strip()
    if demo_text not in ("", "0", "1"):
        errors.append(f"demo_code {demo_text!r} must be 0 or 1")
    description = cells.get("description", "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors.append(f"description is {len(description)} characters, at most {DESCRIPTION_MAX}")
    if errors:
        return None, errors
    return AreaRow(
        line=line,
        municipality_code=municipality_code,
        municipality_name=municipality_name,
        code=code,
        name=name,
        kind=kind,
        parent_code=parent_code,
        cbs_year=cbs_year,
        code_is_demo=demo_text == "1",
        description=description,
    ), []


def read_boundaries(data: bytes, *, filename: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Boundaries by CBS code from a GeoJSON FeatureCollection, and every problem found."""
    text, errors = _decode(data, filename)
    if text is None:
        return {}, errors
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as error:
        return {}, [
            f"{filename}:{error.lineno}: not valid JSON ({error.msg}, column {error.colno})"
        ]
    except RecursionError:
        return {}, [f"{filename}: the JSON is nested too deeply"]
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        return {}, [f"{filename}: expected a GeoJSON FeatureCollection"]
    features = collection.get("features")
    if not isinstance(features, list):
        return {}, [f"{filename}: the FeatureCollection has no list of features"]
    boundaries: dict[str, dict[str, Any]] = {}
    first_index: dict[str, int] = {}
    for index, feature in enumerate(features):
        where = f"{filename}: features[{index}]"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            errors.append(f"{where}: not a GeoJSON Feature")
            continue
        properties = feature.get("properties")
        code = _feature_code(properties)
        if code is None:
            errors.append(
                f"{where}: no CBS code in its properties (one of: {', '.join(CODE_PROPERTIES)})"
            )
            continue
        if code in first_index:
            errors.append(f"{where}: {code} also has features[{first_index[code]}]")
            continue
        first_index[code] = index
        try:
            boundaries[code] = validate_boundary(feature)
        except ValidationError as error:
            errors.append(f"{where} ({code}): {_messages(error)}")
    return boundaries, errors


def _feature_code(properties: Any) -> str | None:
    if not isinstance(properties, dict):
        return None
    for name in CODE_PROPERTIES:
        value = properties.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip().upper()
    return None


@dataclass
class _Plan:
    rows: list[AreaRow]
    boundaries: dict[str, dict[str, Any]]


def check_import(
    rows: list[AreaRow],
    boundaries: dict[str, dict[str, Any]],
    *,
    csv_name: str,
    geojson_name: str = "",
    municipality_code: str | None = None,
    codes_with_errors: frozenset[str] | set[str] = frozenset(),
) -> tuple[_Plan, list[str]]:
    """Checks across rows and against the database: duplicates, parents, names, boundaries."""
    errors: list[str] = []
    if municipality_code:
        rows = [row for row in rows if row.municipality_code == municipality_code]
        if not rows and not codes_with_errors:
            errors.append(f"{csv_name}: no rows for municipality {municipality_code}")
    by_code: dict[str, AreaRow] = {}
    municipality_names: dict[str, AreaRow] = {}
    for row in rows:
        if row.code in by_code:
            errors.append(
                f"{csv_name}:{row.line}: duplicate code {row.code} "
                f"(also on line {by_code[row.code].line})"
            )
            continue
        by_code[row.code] = row
        first = municipality_names.setdefault(row.municipality_code, row)
        if first.municipality_name != row.municipality_name:
            errors.append(
                f"{csv_name}:{row.line}: municipality {row.municipality_code} is called "
                f"{first.municipality_name!r} on line {first.line}, {row.municipality_name!r} here"
            )
    existing = {
        area.cbs_code: area
        for area in Area.objects.filter(
            cbs_code__in={row.code for row in rows} | {row.parent_code for row in rows}
        ).select_related("municipality")
    }
    for row in by_code.values():
        if row.parent_code in codes_with_errors:
            continue
        errors += [
            f"{csv_name}:{row.line}: {problem}" for problem in _row_problems(row, by_code, existing)
        ]
    children_elsewhere = set(
        Area.objects.filter(parent__cbs_code__in=by_code)
        .exclude(cbs_code__in=by_code)
        .values_list("parent__cbs_code", flat=True)
    )
    for code in sorted(children_elsewhere):
        row = by_code[code]
        if row.kind == AreaKind.NEIGHBOURHOOD:
            errors.append(
                f"{csv_name}:{row.line}: {code} has neighbourhoods inside it and cannot "
                "become a neighbourhood itself"
            )
    if municipality_code:
        boundaries = {
            code: geometry
            for code, geometry in boundaries.items()
            if code[2:6] == municipality_code[2:6]
        }
    for code in sorted(set(boundaries) - set(by_code) - set(codes_with_errors)):
        errors.append(f"{geojson_name}: a feature has code {code}, which is not in {csv_name}")
    return _Plan(rows=list(by_code.values()), boundaries=boundaries), errors


def _row_problems(
    row: AreaRow, by_code: dict[str, AreaRow], existing: dict[str, Area]
) -> Iterable[str]:
    current = existing.get(row.code)
    if current is not None and current.municipality.cbs_code != row.municipality_code:
        yield (
            f"{row.code} already belongs to {current.municipality.cbs_code}; "
            "an area cannot move to another municipality"
        )
    if not row.parent_code:
        return
    if row.parent_code == row.code:
        yield f"{row.code} cannot be its own parent"
        return
    parent_row = by_code.get(row.parent_code)
    parent_area = existing.get(row.parent_code)
    if parent_row is not None:
        parent_kind, parent_municipality = parent_row.kind, parent_row.municipality_code
    elif parent_area is not None:
        parent_kind, parent_municipality = parent_area.kind, parent_area.municipality.cbs_code
    else:
        yield f"unknown parent code {row.parent_code}"
        return
    if parent_municipality != row.municipality_code:
        yield f"parent {row.parent_code} belongs to another municipality ({parent_municipality})"
    elif parent_kind == AreaKind.NEIGHBOURHOOD:
        yield f"parent {row.parent_code} is a neighbourhood; choose its district or village"


def read_and_check(
    csv_data: bytes,
    *,
    csv_name: str,
    geojson_data: bytes | None = None,
    geojson_name: str = "",
    municipality_code: str | None = None,
) -> _Plan:
    """Everything that can be known before writing; raises AreaImportError with all problems."""
    if municipality_code is not None:
        municipality_code = municipality_code.strip().upper()
        if not re.fullmatch(r"GM\d{4}", municipality_code):
            raise AreaImportError(
                [f"--municipality {municipality_code!r} is not of the form GM0826"]
            )
    contents = read_area_rows(csv_data, filename=csv_name)
    boundaries: dict[str, dict[str, Any]] = {}
    geojson_errors: list[str] = []
    if geojson_data is not None:
        boundaries, geojson_errors = read_boundaries(geojson_data, filename=geojson_name)
    plan, errors = check_import(
        contents.rows,
        boundaries,
        csv_name=csv_name,
        geojson_name=geojson_name,
        municipality_code=municipality_code,
        codes_with_errors=contents.codes_with_errors,
    )
    errors = sorted(contents.errors + errors, key=_line_number) + geojson_errors
    if errors:
        raise AreaImportError(errors)
    return plan


def _line_number(message: str) -> int:
    """The line a message is about, for listing problems in file order (0: the whole file)."""
    match = re.match(r"[^:]*:(\d+):", message)
    return int(match.group(1)) if match else 0


def _unique_slug(base: str, fallback: str, taken: set[str], max_length: int) -> str:
    slug = slugify(base)[:max_length] or fallback.lower()
    if slug in taken:
        slug = f"{slug[: max_length - len(fallback) - 1]}-{fallback.lower()}"
    taken.add(slug)
    return slug


def _municipalities(plan: _Plan, summary: ImportSummary) -> dict[str, Municipality]:
    codes = {row.municipality_code: row.municipality_name for row in plan.rows}
    found = {m.cbs_code: m for m in Municipality.objects.filter(cbs_code__in=codes)}
    taken = set(Municipality.objects.values_list("slug", flat=True))
    for code in sorted(set(codes) - set(found)):
        municipality = municipality_create(
            actor=AREA_IMPORT,
            cbs_code=code,
            name=codes[code],
            slug=_unique_slug(codes[code], code, taken, 100),
        )
        found[code] = municipality
        summary.municipalities_created.append(code)
    return found


def _apply(plan: _Plan, summary: ImportSummary) -> None:
    municipalities = _municipalities(plan, summary)
    areas = {
        area.cbs_code: area
        for area in Area.objects.filter(
            cbs_code__in={row.code for row in plan.rows}
            | {row.parent_code for row in plan.rows if row.parent_code}
        ).select_for_update()
    }
    slugs: dict[int, set[str]] = {m.pk: set() for m in municipalities.values()}
    for municipality_id, slug in Area.objects.filter(
        municipality__in=list(municipalities.values())
    ).values_list("municipality_id", "slug"):
        slugs[municipality_id].add(slug)
    for row in sorted(plan.rows, key=lambda r: (KIND_ORDER[AreaKind(r.kind)], r.line)):
        municipality = municipalities[row.municipality_code]
        area = areas.get(row.code)
        before = area_audit_state(area) if area is not None else None
        fields: dict[str, Any] = {
            "kind": row.kind,
            "name": row.name,
            "parent": areas[row.parent_code] if row.parent_code else None,
            "cbs_year": row.cbs_year,
            "code_is_demo": row.code_is_demo,
            "description": row.description,
        }
        if row.code in plan.boundaries:
            fields["boundary"] = plan.boundaries[row.code]
        # the same services as the back office, so validation and audit exist once
        if area is None:
            area = area_create(
                actor=AREA_IMPORT,
                municipality=municipality,
                cbs_code=row.code,
                slug=_unique_slug(row.name, row.code, slugs[municipality.pk], 140),
                **fields,
            )
            summary.created.append(row.code)
        else:
            area = area_update(actor=AREA_IMPORT, area=area, **fields)
            if area_audit_state(area) != before:
                summary.updated.append(row.code)
            else:
                summary.unchanged.append(row.code)
        areas[row.code] = area


def import_areas(
    csv_data: bytes,
    *,
    csv_name: str = "areas.csv",
    geojson_data: bytes | None = None,
    geojson_name: str = "areas.geojson",
    municipality_code: str | None = None,
    dry_run: bool = False,
) -> ImportSummary:
    """Check the whole file, then create or update its areas in one transaction.

    Raises AreaImportError listing every problem; then nothing is saved. With `dry_run` the
    summary says what would change and the transaction is rolled back.
    """
    plan = read_and_check(
        csv_data,
        csv_name=csv_name,
        geojson_data=geojson_data,
        geojson_name=geojson_name,
        municipality_code=municipality_code,
    )
    summary = ImportSummary(dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(plan, summary)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as error:
        # Someone saved an area with one of these codes or slugs while we were importing.
        raise AreaImportError(
            [f"{csv_name}: the database refused the import ({error}); nothing was saved"]
        ) from None
    return summary
