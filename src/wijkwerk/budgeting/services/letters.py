"""The letters with the voting codes: one PDF, one page per voter (WeasyPrint, tagged PDF/UA-1
like the decision letters).

`make_letters` makes the codes (`codes.issue_codes`) and the PDF in one transaction and returns
the PDF: the plain codes exist only in it. The view sends it as the download of the very POST
that made it; it is written nowhere (no file, no cache, no mail). A download that broke off is
repaired with "make the letters again", which gives every unused letter code a new code.

The letters are in Dutch: a round has no language of its own, and the register extract says
nothing of a voter's language (the site itself can be read in English).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from wijkwerk.core.money import format_money
from wijkwerk.core.notifications import absolute

from ..models import BudgetProcess, ProcessArea
from ..texts import rules_in_words
from .codes import Issued, issue_codes, more_to_replace

LETTER_LANGUAGE = "nl"


@dataclass(frozen=True)
class Letter:
    """One page: to whom (the register's postcode, house number and reference, for the mail
    house that prints the envelope), the voter's area and the code with its QR code."""

    reference: str
    postcode: str
    house_number: str
    area: str
    budget: str
    code: str
    url: str
    qr_svg_uri: str


def entry_url(process: BudgetProcess, code: str = "") -> str:
    """The code page of the round, with the code filled in when given (the QR code's address)."""
    url = absolute(reverse("budgeting:code_entry", args=[process.pk]))
    return f"{url}?{urlencode({'code': code})}" if code else url


def qr_svg_uri(url: str) -> str:
    import segno

    return str(segno.make_qr(url, error="m").svg_data_uri(scale=4, border=2))


def postcode_spaced(postcode: str) -> str:
    """ "5107AB" -> "5107 AB" (as on an envelope)."""
    postcode = postcode.replace(" ", "").upper()
    return f"{postcode[:4]} {postcode[4:]}" if len(postcode) == 6 else postcode


def _voting_phase(process: BudgetProcess) -> Any:
    return next((phase for phase in process.phases.all() if phase.kind == "voting"), None)


def letters_html(process: BudgetProcess, issued: list[Issued]) -> str:
    process_areas: dict[int, ProcessArea] = {
        item.pk: item for item in process.process_areas.select_related("area")
    }
    letters = [
        Letter(
            reference=item.entry.reference,
            postcode=postcode_spaced(item.entry.postcode),
            house_number=item.entry.house_number,
            area=process_areas[item.code.process_area_id].area.name,
            budget=format_money(process_areas[item.code.process_area_id].budget_cents).replace(
                " ", "\u00a0"
            ),
            code=item.plain,
            url=entry_url(process, item.plain),
            qr_svg_uri=qr_svg_uri(entry_url(process, item.plain)),
        )
        for item in issued
    ]
    phase = _voting_phase(process)
    ends: datetime.datetime | None = phase.ends_at if phase else None
    with translation.override(LETTER_LANGUAGE):
        return render_to_string(
            "budgeting/codes/letters.html",
            {
                "process": process,
                "letters": letters,
                "rules": rules_in_words(process),
                "phase": phase,
                "ends": ends,
                "entry_url": entry_url(process),
                "areas": [
                    (item.area.name, format_money(item.budget_cents).replace(" ", "\u00a0"))
                    for item in process_areas.values()
                ],
                "made_on": timezone.localdate(),
            },
        )


def render_letters(process: BudgetProcess, issued: list[Issued]) -> bytes:
    from weasyprint import HTML  # imported when letters are made: it loads Pango

    return bytes(HTML(string=letters_html(process, issued)).write_pdf(pdf_variant="pdf/ua-1"))


@dataclass(frozen=True)
class Batch:
    """One PDF of letters: how many, the PDF (None when there were none to make), the first
    and last reference in it, and, when letters are made again and more are left, the
    reference the next batch starts after (else "")."""

    count: int
    pdf: bytes | None
    first: str = ""
    last: str = ""
    following: str = ""


def make_letters(
    *, actor: Any, process: BudgetProcess, again: bool = False, after: str = ""
) -> Batch:
    """The codes and their letters, one batch of at most `codes.letters_per_pdf()`."""
    made: dict[str, Any] = {}

    def letters(issued: list[Issued]) -> None:
        made.update(
            pdf=render_letters(process, issued),
            first=issued[0].entry.reference,
            last=issued[-1].entry.reference,
        )

    count = issue_codes(actor=actor, process=process, letters=letters, again=again, after=after)
    if not count:
        return Batch(0, None)
    following = made["last"] if again and more_to_replace(process, made["last"]) else ""
    return Batch(count, made["pdf"], made["first"], made["last"], following)
