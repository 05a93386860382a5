"""Reads for the register extract's back-office page: a fixed number of queries (four) however
many rows the extract has. Counts only: the page shows no person."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from .eligibility import Capacity
from .models import BudgetProcess, RegisterEntry, RegisterExtract, VotingCode


@dataclass(frozen=True)
class Summary:
    """What an extract holds."""

    extract: RegisterExtract
    rows: int
    residents: int
    entrepreneurs: int
    secret_addresses: int
    per_area: list[tuple[str, int]]

    @property
    def delete_after(self) -> datetime.date | None:
        return self.extract.delete_after

    @property
    def deleted(self) -> bool:
        return self.extract.deleted_at is not None


def current_extract(process: BudgetProcess) -> RegisterExtract | None:
    return (
        process.register_extracts.select_related("uploaded_by")
        .order_by("-uploaded_at", "-id")
        .first()
    )


def summary(extract: RegisterExtract) -> Summary:
    """The extract's counts (two queries)."""
    entries = RegisterEntry.objects.filter(extract=extract)
    totals = entries.aggregate(
        residents=Count("id", filter=Q(capacity=Capacity.RESIDENT)),
        entrepreneurs=Count("id", filter=Q(capacity=Capacity.ENTREPRENEUR)),
        secret=Count("id", filter=Q(secret_address=True)),
    )
    per_area = [
        (row["process_area__area__name"], row["n"])
        for row in entries.values("process_area__area__name")
        .annotate(n=Count("id"))
        .order_by("process_area__area__name")
    ]
    return Summary(
        extract=extract,
        rows=extract.row_count,
        residents=totals["residents"],
        entrepreneurs=totals["entrepreneurs"],
        secret_addresses=totals["secret"],
        per_area=per_area,
    )


def codes_used(process: BudgetProcess) -> int:
    """How many of the round's voting codes were used (online or on paper)."""
    return VotingCode.objects.filter(process=process).exclude(used_channel="").count()
