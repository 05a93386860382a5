"""What the codes' pages read: the figures of a round's codes, the desk's search."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from .models import BudgetProcess, Channel, CodeIssue, RegisterEntry, VotingCode

DESK_ROWS = 20  # the desk's search shows at most this many register entries


@dataclass(frozen=True)
class CodeFigures:
    entries: int  # rows in the register extract
    secret: int  # of which with a secret address (no letter)
    codes: int
    letters: int
    desk: int
    used_online: int
    used_paper: int
    letters_to_make: int  # entries without a secret address and without a code


def code_figures(process: BudgetProcess) -> CodeFigures:
    """Two queries, whatever the number of codes."""
    codes = VotingCode.objects.filter(process=process).aggregate(
        codes=Count("pk"),
        letters=Count("pk", filter=Q(issued=CodeIssue.LETTER)),
        desk=Count("pk", filter=Q(issued=CodeIssue.DESK)),
        used_online=Count("pk", filter=Q(used_channel=Channel.ONLINE)),
        used_paper=Count("pk", filter=Q(used_channel=Channel.PAPER)),
    )
    entries = RegisterEntry.objects.filter(process=process).aggregate(
        entries=Count("pk"),
        secret=Count("pk", filter=Q(secret_address=True)),
        letters_to_make=Count("pk", filter=Q(secret_address=False, code__isnull=True)),
    )
    return CodeFigures(**codes, **entries)


def desk_entries(
    process: BudgetProcess, *, reference: str = "", postcode: str = "", house_number: str = ""
) -> list[RegisterEntry]:
    """The register entries the desk official looks for (by reference, or by postcode and
    house number: a household may have several), with their code if any; one query."""
    entries = RegisterEntry.objects.filter(process=process).select_related(
        "process_area__area", "code"
    )
    if reference:
        entries = entries.filter(reference__iexact=reference)
    else:
        entries = entries.filter(postcode=postcode, house_number__iexact=house_number)
    return list(entries.order_by("reference")[:DESK_ROWS])
