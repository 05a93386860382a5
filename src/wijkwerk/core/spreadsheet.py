"""Text written into CSV and XLSX exports never runs as a formula (CSV/formula injection).

A name typed as `=HYPERLINK(…)`, `+cmd|…`, `-2+3` or `@SUM(…)` would otherwise be evaluated by
Excel or LibreOffice when an official opens the export. In CSV the value gets a leading apostrophe,
which spreadsheets read as "this is text" (OWASP's advice); plain numbers such as `-100,00` are
left alone, they are no formula and must stay numbers. In XLSX a cell has a type, so text cells
are stored as text (never as a formula) and marked with the quote prefix, and the value is kept
exactly as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# What spreadsheets take as the start of a formula, also after leading blanks and in the
# full-width forms that East Asian keyboards type (and Excel accepts).
FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def looks_like_formula(value: str) -> bool:
    if not value:
        return False
    if value[0] in FORMULA_STARTS:
        return not _PLAIN_NUMBER.fullmatch(value)
    stripped = value.lstrip()
    return bool(stripped) and stripped[0] in FORMULA_STARTS


def csv_text(value: str) -> str:
    """The value for a CSV cell: with a leading apostrophe when it would start a formula."""
    return "'" + value if looks_like_formula(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row with every text cell made safe (numbers and other types unchanged)."""
    return [csv_text(value) if isinstance(value, str) else value for value in values]


def neutralise_formulas(workbook: Any) -> None:
    """Store every text cell of an openpyxl workbook as text: openpyxl writes a string that
    starts with `=` as a formula, and a spreadsheet may read other starts as one when the cell
    is edited. Call it just before saving; the exports write no formulas of their own."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and (cell.data_type == "f" or looks_like_formula(value)):
                    cell.data_type = "s"
                    cell.quotePrefix = True
