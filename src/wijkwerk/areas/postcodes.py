"""Importing the postcode table: which neighbourhood each postcode (and street) lies in.

The CBS publishes it every year as "Huishoudens/Postcode-huisnummer" ("pc6hnr") with the columns
PC6, Huisnummer, Buurt2023, Wijk2023 and Gemeente2023 (the year changes with the edition); this
import reads such a file as it is, or a smaller one of our own with the columns postcode, street
(optional) and neighbourhood_code. Neighbourhood codes may be written with or without "BU"
(CBS writes 08260102). Every house number repeats its postcode: rows are taken once per postcode,
street and neighbourhood.

As the area import (`importing.py`): UTF-8, `;` or `,`, the whole file checked first with every
problem listed by line (the first MAX_ERRORS of them), then all or nothing in one transaction.
Importing a municipality's table replaces the table it had (of any year), with an audit event
per municipality; re-importing the same file leaves the same rows. Messages are in English: an
operator's tool, as the area import.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from wijkwerk.core.actors import AREA_IMPORT
from wijkwerk.core.audit import record

from .audit_actions import AreaAction
from .importing import CBS_YEARS, AreaImportError, _decode, _delimiter
from .models import Area, AreaKind, Municipality, PostcodeArea

# Our names first; the CBS's as they appear in its files (lower-cased, the year taken off).
POSTCODE_COLUMNS = ("postcode", "pc6")
STREET_COLUMNS = ("street", "straat", "straatnaam")
NEIGHBOURHOOD_COLUMNS = ("neighbourhood_code", "buurtcode", "buurt")
# The CBS file's other columns, read past.
IGNORED_COLUMNS = ("huisnummer", "wijk", "wijkcode", "gemeente", "gemeentecode")
POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Z]{2})")
NEIGHBOURHOOD_CODE = re.compile(r"(?:BU)?([0-9]{8})")
STREET_MAX = PostcodeArea._meta.get_field("street").max_length or 120
MAX_ERRORS = 100
BATCH = 2_000


@dataclass(frozen=True)
class PostcodeRow:
    line: int
    postcode: str
    street: str
    code: str


@dataclass
class PostcodeSummary:
    year: int
    rows: int = 0
    # per municipality (CBS code): rows before and after, and the year of the table replaced
    municipalities: dict[str, tuple[int, int, int | None]] = field(default_factory=dict)
    dry_run: bool = False


def _column(names: list[str], choices: tuple[str, ...]) -> int | None:
    """The index of the first column called one of `choices`, a year after it allowed
    ("Buurt2023")."""
    for index, name in enumerate(names):
        if re.sub(r"\d{4}$", "", name) in choices:
            return index
    return None


def read_postcode_rows(
    data: bytes, *, filename: str, municipality_code: str | None = None
) -> tuple[list[PostcodeRow], list[str]]:
    """The file's rows, one per postcode, street and neighbourhood, and every problem found."""
    text, errors = _decode(data, filename)
    if text is None:
        return [], errors
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return [], [f"{filename}:{line}: the file contains a NUL character; is it a CSV file?"]
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    rows: dict[tuple[str, str, str], PostcodeRow] = {}
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            return [], [f"{filename}:1: the file is empty; the first line must name the columns"]
        names = [cell.strip().lower() for cell in header]
        postcode_at = _column(names, POSTCODE_COLUMNS)
        street_at = _column(names, STREET_COLUMNS)
        code_at = _column(names, NEIGHBOURHOOD_COLUMNS)
        missing = []
        if postcode_at is None:
            missing.append(f"the postcode ({' or '.join(POSTCODE_COLUMNS)})")
        if code_at is None:
            missing.append(
                f"the neighbourhood's CBS code ({' or '.join(NEIGHBOURHOOD_COLUMNS)}, "
                "such as buurt2026)"
            )
        if missing:
            return [], [f"{filename}:1: missing column(s): {'; '.join(missing)}"]
        assert postcode_at is not None and code_at is not None
        known = {postcode_at, code_at} | ({street_at} if street_at is not None else set())
        unknown = [
            name
            for index, name in enumerate(names)
            if index not in known and re.sub(r"\d{4}$", "", name) not in IGNORED_COLUMNS
        ]
        if unknown:
            return [], [
                f"{filename}:1: unknown column(s): {', '.join(repr(n) for n in unknown)} "
                f"(the columns are: postcode, street, neighbourhood_code)"
            ]
        prefix = municipality_code[2:6] if municipality_code else None
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                errors.append(
                    f"{filename}:{start}: expected {len(names)} fields, found {len(cells)}"
                )
            else:
                row, problems = _parse(cells, postcode_at, street_at, code_at, start)
                errors += [f"{filename}:{start}: {problem}" for problem in problems]
                if row is not None and (prefix is None or row.code[2:6] == prefix):
                    rows.setdefault((row.postcode, row.street, row.code), row)
            if len(errors) > MAX_ERRORS:
                break
    except csv.Error as error:
        errors.append(f"{filename}:{reader.line_num}: unreadable CSV ({error})")
    return list(rows.values()), errors


def _parse(
    cells: list[str], postcode_at: int, street_at: int | None, code_at: int, line: int
) -> tuple[PostcodeRow | None, list[str]]:
    problems = []
    written = cells[postcode_at].strip()
    match = POSTCODE.fullmatch(written.upper())
    if match is None:
        problems.append(
            f"postcode {written!r} is not a Dutch postcode: four digits (not starting with 0) "
            "and two letters, such as 5051 AB"
        )
    street = " ".join(cells[street_at].split()) if street_at is not None else ""
    if len(street) > STREET_MAX:
        problems.append(f"street is {len(street)} characters, at most {STREET_MAX}")
    elif "<" in street or ">" in street:
        problems.append("street contains < or >; a street name is plain text")
    written_code = cells[code_at].strip().upper()
    code_match = NEIGHBOURHOOD_CODE.fullmatch(written_code)
    if code_match is None:
        problems.append(
            f"neighbourhood code {written_code!r} is not a CBS neighbourhood code "
            "such as BU08260102 or 08260102"
        )
    if problems or match is None or code_match is None:
        return None, problems
    return PostcodeRow(
        line=line,
        postcode=match.group(1) + match.group(2),
        street=street,
        code=f"BU{code_match.group(1)}",
    ), []


def _check_areas(
    rows: list[PostcodeRow], *, filename: str, skip_unknown: bool
) -> tuple[list[tuple[PostcodeRow, Area]], list[str], int]:
    """Each row with its neighbourhood; errors for codes that are no neighbourhood here."""
    areas = {
        area.cbs_code: area
        for area in Area.objects.filter(
            cbs_code__in={row.code for row in rows}, kind=AreaKind.NEIGHBOURHOOD
        ).only("pk", "cbs_code", "municipality_id")
    }
    found: list[tuple[PostcodeRow, Area]] = []
    errors: list[str] = []
    reported: set[str] = set()
    skipped = 0
    for row in sorted(rows, key=lambda r: r.line):
        area = areas.get(row.code)
        if area is None:
            if skip_unknown:
                skipped += 1
            elif row.code not in reported:
                reported.add(row.code)
                errors.append(
                    f"{filename}:{row.line}: unknown neighbourhood code {row.code}: import the "
                    "areas first (import_areas), or leave out its rows (--skip-unknown)"
                )
        else:  # a BU code is a neighbourhood's (AREA_CODE_PATTERNS)
            found.append((row, area))
    return found, errors, skipped


def import_postcodes(
    data: bytes,
    *,
    year: int,
    filename: str = "postcodes.csv",
    municipality_code: str | None = None,
    skip_unknown: bool = False,
    dry_run: bool = False,
) -> PostcodeSummary:
    """Check the whole file, then replace the postcode table of each municipality in it.

    Raises AreaImportError listing every problem (by line); then nothing is saved.
    """
    if not CBS_YEARS[0] <= year <= CBS_YEARS[1]:
        raise AreaImportError([f"--year {year} is not the year of a CBS edition, such as 2026"])
    if municipality_code is not None:
        municipality_code = municipality_code.strip().upper()
        if not re.fullmatch(r"GM\d{4}", municipality_code):
            raise AreaImportError(
                [f"--municipality {municipality_code!r} is not of the form GM0826"]
            )
    rows, errors = read_postcode_rows(data, filename=filename, municipality_code=municipality_code)
    found, area_errors, _skipped = _check_areas(rows, filename=filename, skip_unknown=skip_unknown)
    errors = sorted(errors + area_errors, key=_line)
    if not errors and not found:
        errors.append(f"{filename}: no postcodes to import")
    if errors:
        if len(errors) > MAX_ERRORS:
            errors = [*errors[:MAX_ERRORS], f"{filename}: … and more; fix these first"]
        raise AreaImportError(errors)
    summary = PostcodeSummary(year=year, rows=len(found), dry_run=dry_run)
    with transaction.atomic():
        _replace(found, year, summary)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _line(message: str) -> int:
    match = re.match(r"[^:]*:(\d+):", message)
    return int(match.group(1)) if match else 0


def _replace(found: list[tuple[PostcodeRow, Area]], year: int, summary: PostcodeSummary) -> None:
    by_municipality: dict[int, list[tuple[PostcodeRow, Area]]] = {}
    for row, area in found:
        by_municipality.setdefault(area.municipality_id, []).append((row, area))
    # one import at a time per municipality: the row lock waits for another one's transaction
    municipalities = Municipality.objects.select_for_update().filter(pk__in=by_municipality)
    for municipality in municipalities.order_by("pk"):
        table = PostcodeArea.objects.filter(area__municipality=municipality)
        before_rows = table.count()
        before_year = table.order_by("-year").values_list("year", flat=True).first()
        table.delete()
        PostcodeArea.objects.bulk_create(
            [
                PostcodeArea(postcode=row.postcode, street=row.street, area=area, year=year)
                for row, area in by_municipality[municipality.pk]
            ],
            batch_size=BATCH,
        )
        after_rows = len(by_municipality[municipality.pk])
        summary.municipalities[municipality.cbs_code] = (before_rows, after_rows, before_year)
        record(
            actor=AREA_IMPORT,
            action=AreaAction.POSTCODES_IMPORT,
            instance=municipality,
            before={"postcode_year": before_year, "postcode_rows": before_rows}
            if before_rows
            else None,
            after={"postcode_year": year, "postcode_rows": after_rows},
        )
