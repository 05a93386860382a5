"""Reading a population table: inhabitants (and households) per neighbourhood, district or
village, from the CBS table "Kerncijfers wijken en buurten" as StatLine exports it.

Accepted format (docs/learning.md, "Reach"):

- CSV in UTF-8 (with or without BOM), the delimiter `;` or `,` (taken from the first line), and
  a first line that names the columns;
- the region's code in a column called `WijkenEnBuurten`, `Codering_3` (any `Codering_<n>`),
  `regiocode`, `code` or `cbs_code`: `BU` + 8 digits (neighbourhood), `WK` + 6 (district or
  village); `GM` + 4 (the municipality's own total) and other municipalities' rows are read
  past, so the national file can be read as it is;
- the inhabitants in `AantalInwoners_5` (any `AantalInwoners_<n>`), `inwoners` or
  `inhabitants`; households, optional, in `HuishoudensTotaal_<n>`, `huishoudens` or
  `households`; an optional period column (`Perioden` "2026JJ00", `jaar`, `year`) must say the
  year imported; every other column (the CBS table has dozens) is read past;
- CBS's "." (no figure) for households leaves them empty; for inhabitants the row is left out and
  counted. Numbers are whole and not negative.

The whole file is checked first; any problem is listed with its line and nothing is saved.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
MAX_ERRORS = 50
CODE_COLUMNS = (r"wijkenenbuurten", r"codering(_\d+)?", r"regiocode", r"code", r"cbs_code")
INHABITANT_COLUMNS = (r"aantalinwoners(_\d+)?", r"inwoners", r"inhabitants")
HOUSEHOLD_COLUMNS = (r"huishoudenstotaal(_\d+)?", r"huishoudens", r"households")
PERIOD_COLUMNS = (r"perioden", r"jaar", r"year")
AREA_CODE = re.compile(r"^(BU\d{8}|WK\d{6})$")
MUNICIPALITY_CODE = re.compile(r"^GM\d{4}$")
NUMBER = re.compile(r"^\d+$")
MISSING = {".", ""}


@dataclass(frozen=True)
class PopulationRow:
    line: int
    code: str
    inhabitants: int
    households: int | None


@dataclass
class PopulationTable:
    rows: list[PopulationRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    without_figure: int = 0  # rows with "." for inhabitants, left out
    elsewhere: int = 0  # rows of another municipality (or a municipality's total), read past

    def error(self, line: int, message: str) -> None:
        self.errors.append((line, message))


def _find(names: list[str], patterns: tuple[str, ...]) -> int | None:
    for pattern in patterns:
        for index, name in enumerate(names):
            if re.fullmatch(pattern, name):
                return index
    return None


def _number(text: str) -> int | None:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    return int(cleaned) if NUMBER.fullmatch(cleaned) else None


def read_population(data: bytes, *, year: int, municipality_numbers: set[str]) -> PopulationTable:
    """The rows of `data` for the municipalities numbered `municipality_numbers` ("0826"), and
    every problem found (line, message)."""
    table = PopulationTable()
    if len(data) > MAX_BYTES:
        table.error(0, _("The file is larger than 20 MB; is it the right table?"))
        return table
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        table.error(line, _("The file is not in UTF-8; save it as CSV in UTF-8 and try again."))
        return table
    if not text.strip():
        table.error(1, _("The file is empty; the first line must name the columns."))
        return table
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        table.error(line, _("The file contains a NUL character; is it a CSV file?"))
        return table
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        names = [cell.strip().strip('"').lower() for cell in header]
        code_at = _find(names, CODE_COLUMNS)
        inhabitants_at = _find(names, INHABITANT_COLUMNS)
        households_at = _find(names, HOUSEHOLD_COLUMNS)
        period_at = _find(names, PERIOD_COLUMNS)
        if code_at is None or inhabitants_at is None:
            table.error(
                1,
                _(
                    "The first line must name the columns: the region's code (WijkenEnBuurten, "
                    "Codering_3 or code) and the inhabitants (AantalInwoners_5 or inwoners)."
                ),
            )
            return table
        seen: dict[str, int] = {}
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                message = _("%(found)s fields where the first line names %(expected)s.")
                table.error(line, message % {"found": len(cells), "expected": len(names)})
            else:
                _row(
                    table,
                    cells,
                    line,
                    code_at,
                    inhabitants_at,
                    households_at,
                    period_at,
                    year,
                    municipality_numbers,
                    seen,
                )
            if len(table.errors) >= MAX_ERRORS:
                break
    except csv.Error as error:
        table.error(reader.line_num, _("The CSV cannot be read (%(error)s).") % {"error": error})
    if not table.rows and not table.errors:
        table.error(
            1, _("The file has no figures for the neighbourhoods, districts or villages here.")
        )
    return table


def _row(
    table: PopulationTable,
    cells: list[str],
    line: int,
    code_at: int,
    inhabitants_at: int,
    households_at: int | None,
    period_at: int | None,
    year: int,
    municipality_numbers: set[str],
    seen: dict[str, int],
) -> None:
    code = cells[code_at].strip().upper()
    if MUNICIPALITY_CODE.fullmatch(code) or code == "NL00" or code == "NL01":
        table.elsewhere += 1
        return
    if not AREA_CODE.fullmatch(code):
        message = _(
            "“%(code)s” is not a CBS code of a neighbourhood (BU and 8 digits) or a district "
            "(WK and 6 digits)."
        )
        table.error(line, message % {"code": code})
        return
    if code[2:6] not in municipality_numbers:
        table.elsewhere += 1
        return
    if period_at is not None:
        period = cells[period_at].strip()
        if not period.startswith(str(year)):
            message = _("The row is about %(period)s, not %(year)s.")
            table.error(line, message % {"period": period, "year": year})
            return
    if code in seen:
        message = _("%(code)s appears twice (first on line %(first)s).")
        table.error(line, message % {"code": code, "first": seen[code]})
        return
    seen[code] = line
    written = cells[inhabitants_at].strip()
    if written in MISSING:
        table.without_figure += 1
        return
    inhabitants = _number(written)
    if inhabitants is None:
        if written.startswith("-"):
            message = _("Inhabitants of %(code)s is negative (%(value)s).")
        else:
            message = _("Inhabitants of %(code)s is not a whole number (%(value)s).")
        table.error(line, message % {"code": code, "value": written})
        return
    households = None
    if households_at is not None:
        written = cells[households_at].strip()
        if written not in MISSING:
            households = _number(written)
            if households is None:
                if written.startswith("-"):
                    message = _("Households of %(code)s is negative (%(value)s).")
                else:
                    message = _("Households of %(code)s is not a whole number (%(value)s).")
                table.error(line, message % {"code": code, "value": written})
                return
    table.rows.append(PopulationRow(line, code, inhabitants, households))
