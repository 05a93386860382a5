"""The responses as CSV and XLSX: one row per response, one column per question.

No personal data: not who answered (the account, the voting code, the browser), only the day it
came in. Where the survey asked and the respondent agreed to be contacted, the name and e-mail
address they gave are in the two columns for it; for everyone else those stay empty. Text is
made safe against formulas (`core.spreadsheet`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijkwerk.core.spreadsheet import csv_row, neutralise_formulas

from .models import Answer, QuestionKind, Response, Survey

CHUNK = 2000


def header(survey: Survey) -> list[str]:
    columns = [_("Response"), _("Date")]
    if survey.ask_contact:
        columns += [_("Name (with consent)"), _("E-mail address (with consent)")]
    return columns + [question.text for question in survey.questions.all()]


def rows(survey: Survey) -> Iterator[list[Any]]:
    questions = list(survey.questions.all())
    names = {option.pk: option.text for question in questions for option in question.options.all()}
    responses = (
        Response.objects.filter(survey=survey)
        .only("pk", "created_at", "contact_consent", "contact_name", "contact_email")
        .order_by("pk")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("number", "pk")))
    )
    for number, response in enumerate(responses.iterator(chunk_size=CHUNK), start=1):
        by_question: dict[int, list[Answer]] = {}
        for answer in response.answers.all():
            by_question.setdefault(answer.question_id, []).append(answer)
        row: list[Any] = [number, date_format(response.created_at, "Y-m-d")]
        if survey.ask_contact:
            consent = response.contact_consent
            row += [
                response.contact_name if consent else "",
                response.contact_email if consent else "",
            ]
        for question in questions:
            answers = by_question.get(question.pk, [])
            if not answers:
                row.append("")
            elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                row.append("; ".join(names.get(a.option_id or 0, "") for a in answers))
            elif question.kind == QuestionKind.RANKING:
                row.append(
                    "; ".join(f"{a.number}. {names.get(a.option_id or 0, '')}" for a in answers)
                )
            elif question.kind == QuestionKind.TEXT:
                row.append(answers[0].text)
            else:
                row.append(answers[0].number)
        yield row


def as_csv(survey: Survey) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(csv_row(header(survey)))
    for row in rows(survey):
        writer.writerow(csv_row(row))
    return "\ufeff" + out.getvalue()


def as_xlsx(survey: Survey) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Responses")[:31]
    sheet.append(header(survey))
    for row in rows(survey):
        sheet.append(row)
    neutralise_formulas(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
