"""The fund overview as CSV (Dutch Excel: UTF-8 with BOM, semicolons, decimal comma) and XLSX;
payment batches as CSV and as SEPA credit transfer XML (sepaxml)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from sepaxml import SepaTransfer

from wijkwerk.areas.models import Area
from wijkwerk.core.money import cents_to_decimal
from wijkwerk.core.spreadsheet import csv_row, neutralise_formulas

from .models import Fund, PaymentBatch, PaymentInstruction
from .selectors import Figures

EURO_FORMAT = "#,##0.00"


def _headers() -> list[str]:
    return [
        _("Fund"),
        _("Year"),
        _("Municipality"),
        _("Scheme"),
        _("Amount"),
        _("Committed"),
        _("Paid"),
        _("Released"),
        _("Refunded"),
        _("Corrections"),
        _("Open commitments"),
        _("Available"),
        _("Initiatives"),
    ]


def _money(figures: Figures) -> list[int]:
    return [
        figures.amount,
        figures.committed,
        figures.paid,
        figures.released,
        figures.refunded,
        figures.corrected,
        figures.open_commitments,
        figures.available,
    ]


def _dutch_decimal(cents: int) -> str:
    """1250.5 euros as "1250,50": what Dutch Excel reads as a number (no thousands dots)."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros},{rest:02d}"


def overview_csv(rows: Sequence[tuple[Fund, Figures]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(_headers())
    for fund, figures in rows:
        writer.writerow(
            csv_row(
                [fund.name, fund.year, fund.municipality.name, fund.scheme.name]
                + [_dutch_decimal(c) for c in _money(figures)]
                + [figures.initiatives]
            )
        )
    return buffer.getvalue().encode("utf-8-sig")


def overview_xlsx(
    rows: Sequence[tuple[Fund, Figures]],
    per_area: Sequence[tuple[Fund, Area | None, Figures]],
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Funds")
    sheet.append(_headers())
    for fund, figures in rows:
        sheet.append(
            [fund.name, fund.year, fund.municipality.name, fund.scheme.name]
            + [cents_to_decimal(c) for c in _money(figures)]
            + [figures.initiatives]
        )
    _format(sheet, first_money_column=5, money_columns=8)

    areas = workbook.create_sheet(_("Per area"))
    areas.append(
        [
            _("Fund"),
            _("Year"),
            _("Area"),
            _("Committed"),
            _("Paid"),
            _("Released"),
            _("Refunded"),
            _("Open commitments"),
            _("Initiatives"),
        ]
    )
    for fund, area, figures in per_area:
        areas.append(
            [fund.name, fund.year, area.name if area else _("(no area: fund corrections)")]
            + [
                cents_to_decimal(c)
                for c in (
                    figures.committed,
                    figures.paid,
                    figures.released,
                    figures.refunded,
                    figures.open_commitments,
                )
            ]
            + [figures.initiatives]
        )
    _format(areas, first_money_column=4, money_columns=5)
    neutralise_formulas(workbook)  # names typed by officials are text, never formulas
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _format(sheet: object, *, first_money_column: int, money_columns: int) -> None:
    for cell in sheet[1]:  # type: ignore[index]
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(  # type: ignore[attr-defined]
        min_row=2,
        min_col=first_money_column,
        max_col=first_money_column + money_columns - 1,
    ):
        for cell in row:
            cell.number_format = EURO_FORMAT
    sheet.freeze_panes = "A2"  # type: ignore[attr-defined]


def _remittance(instruction: PaymentInstruction) -> str:
    """What the payee reads on the bank statement (SEPA: at most 140 characters)."""
    entry = instruction.entry
    if entry.case_type:  # a case of another kind (funds.cases): its kind, number and title
        text = f"{entry.case_kind_name.capitalize()} {entry.case_id} {entry.case_title}"
        return " ".join(text.split())[:140]
    initiative = entry.initiative
    title = initiative.title if initiative is not None else ""
    text = _("Grant residents' initiative %(number)s %(title)s") % {
        "number": entry.initiative_id,
        "title": title,
    }
    return " ".join(text.split())[:140]


def payment_batch_csv(batch: PaymentBatch, instructions: Sequence[PaymentInstruction]) -> bytes:
    """The batch for people and for a bank upload that takes CSV: one row per payment."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Batch"),
            _("Paid on"),
            _("Fund"),
            _("Initiative"),
            _("Account holder"),
            _("IBAN"),
            _("Amount"),
            _("Description"),
            _("Booked by"),
        ]
    )
    for instruction in instructions:
        entry = instruction.entry
        writer.writerow(
            csv_row(
                [
                    batch.reference,
                    timezone.localdate(entry.created_at).isoformat(),
                    str(batch.fund),
                    entry.initiative_id,
                    instruction.payee_name,
                    instruction.payee_iban,
                    _dutch_decimal(entry.amount_cents),
                    _remittance(instruction),
                    entry.author.display_name,
                ]
            )
        )
    return buffer.getvalue().encode("utf-8-sig")


class SepaUnavailable(ValueError):
    """The fund has no account to pay from; the message says what to fill in."""


def payment_batch_sepa(
    batch: PaymentBatch,
    instructions: Sequence[PaymentInstruction],
    *,
    execution_date: datetime.date,
) -> bytes:
    """A SEPA credit transfer (pain.001.001.03, checked against its schema by sepaxml) from the
    fund's account to every payee of the batch."""
    fund = batch.fund
    if not fund.payment_iban:
        raise SepaUnavailable(
            _("Fund %(fund)s has no account to pay from: add its IBAN first.") % {"fund": fund}
        )
    config = {
        "name": fund.municipality.name[:70],
        "IBAN": fund.payment_iban,
        "batch": True,
        "currency": "EUR",
    }
    if fund.payment_bic:
        config["BIC"] = fund.payment_bic
    transfer = SepaTransfer(config, clean=True)
    for instruction in instructions:
        transfer.add_payment(
            {
                "name": instruction.payee_name[:70],
                "IBAN": instruction.payee_iban,
                "amount": int(instruction.entry.amount_cents),
                "execution_date": execution_date,
                "description": _remittance(instruction),
                "endtoend_id": f"WW{instruction.entry_id}",
            }
        )
    return bytes(transfer.export(validate=True))
