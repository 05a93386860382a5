"""Reads: which funds a person may see, and the figures of funds, areas and initiatives.

Balances are never stored; every figure here is one aggregate query over the ledger. The balance
equation lives in `Figures` and nowhere else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Area

from . import cases
from .models import EntryKind, Fund, LedgerEntry, PaymentBatch, PaymentInstruction, Scheme
from .policy import FUND_POLICY


@dataclass(frozen=True)
class Figures:
    """Sums of the ledger of one fund (or of one initiative, or one area, within a fund).

    committed, paid, released, refunded: sums of the entries of that kind (all positive).
    corrected: the signed sum of corrections; a correction moves the available amount directly.

    open_commitments = committed - paid - released   (granted, not yet paid or given back)
    available        = amount - open_commitments - paid + refunded + corrected
                     = amount - committed + released + refunded + corrected

    A payment turns an open commitment into money paid, so it leaves `available` unchanged; a
    release gives an unspent commitment back; a refund is money an initiative paid back.
    """

    amount: int = 0
    committed: int = 0
    paid: int = 0
    released: int = 0
    refunded: int = 0
    corrected: int = 0
    initiatives: int = 0

    @property
    def open_commitments(self) -> int:
        return self.committed - self.paid - self.released

    @property
    def available(self) -> int:
        return self.amount - self.open_commitments - self.paid + self.refunded + self.corrected

    @property
    def refundable(self) -> int:
        """What an initiative can still pay back: paid minus refunded."""
        return self.paid - self.refunded


_KIND_FIELDS = {
    EntryKind.COMMITMENT: "committed",
    EntryKind.PAYMENT: "paid",
    EntryKind.RELEASE: "released",
    EntryKind.REFUND: "refunded",
    EntryKind.CORRECTION: "corrected",
}


def _sums(prefix: str = "") -> dict[str, Any]:
    """One SUM per kind of entry, for aggregate() on entries or annotate() on funds."""
    return {
        name: Coalesce(Sum(f"{prefix}amount_cents", filter=Q(**{f"{prefix}kind": kind})), 0)
        for kind, name in _KIND_FIELDS.items()
    }


def _initiative_count(prefix: str = "") -> Any:
    return Count(
        f"{prefix}initiative",
        distinct=True,
        filter=Q(**{f"{prefix}kind": EntryKind.COMMITMENT}),
    )


def _figures(row: dict[str, Any] | Any, amount: int = 0) -> Figures:
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return Figures(
        amount=amount,
        committed=get("committed") or 0,
        paid=get("paid") or 0,
        released=get("released") or 0,
        refunded=get("refunded") or 0,
        corrected=get("corrected") or 0,
        initiatives=get("initiative_count") or 0,
    )


def fund_figures(fund: Fund) -> Figures:
    """The figures of one fund: one aggregate query."""
    row = LedgerEntry.objects.filter(fund_id=fund.pk).aggregate(
        **_sums(), initiative_count=_initiative_count()
    )
    return _figures(row, amount=fund.amount_cents)


def initiative_figures(initiative: Any, fund: Fund | None = None) -> Figures:
    """The money of one initiative (in one fund, or over all its funds): one query."""
    entries = LedgerEntry.objects.filter(initiative_id=initiative.pk)
    if fund is not None:
        entries = entries.filter(fund_id=fund.pk)
    return _figures(entries.aggregate(**_sums()))


def case_figures(case: Any, fund: Fund | None = None) -> Figures:
    """The money of one initiative or one case of a registered kind (`funds.cases`), in one
    fund or over all its funds: one query."""
    if cases.of(case) is None:
        return initiative_figures(case, fund)
    entries = _case_entries(case)
    if fund is not None:
        entries = entries.filter(fund_id=fund.pk)
    return _figures(entries.aggregate(**_sums()))


def _case_entries(case: Any) -> QuerySet[LedgerEntry]:
    case_type = cases.of(case)
    if case_type is None:
        return LedgerEntry.objects.filter(initiative_id=case.pk)
    return LedgerEntry.objects.filter(case_type=case_type.key, case_id=case.pk)


def initiative_funds(initiative: Any) -> list[tuple[Fund, Figures]]:
    """Every fund an initiative (or a case of a registered kind) has entries in, with its
    figures for it, by fund id (the oldest fund first)."""
    rows = _case_entries(initiative).values("fund_id").annotate(**_sums()).order_by("fund_id")
    by_fund = {row["fund_id"]: _figures(row) for row in rows}
    funds = Fund.objects.filter(pk__in=by_fund).select_related("scheme")
    return [(fund, by_fund[fund.pk]) for fund in funds.order_by("pk")]


case_funds = initiative_funds


def with_figures(funds: QuerySet[Fund]) -> list[tuple[Fund, Figures]]:
    """Funds with their figures in one query (a GROUP BY over the ledger)."""
    annotated = funds.annotate(
        **_sums("entries__"), initiative_count=_initiative_count("entries__")
    ).select_related("scheme", "municipality")
    return [(fund, _figures(fund, amount=fund.amount_cents)) for fund in annotated]


def area_figures(fund: Fund) -> list[tuple[Area | None, Figures]]:
    """The fund's figures per area of the initiatives; corrections without one under None."""
    rows = (
        LedgerEntry.objects.filter(fund_id=fund.pk)
        .values("initiative__area_id")
        .annotate(**_sums(), initiative_count=_initiative_count())
        .order_by("initiative__area_id")
    )
    by_area: dict[int | None, Figures] = {row["initiative__area_id"]: _figures(row) for row in rows}
    areas = {a.pk: a for a in Area.objects.filter(pk__in=[k for k in by_area if k is not None])}
    result: list[tuple[Area | None, Figures]] = [
        (areas[pk], figures) for pk, figures in by_area.items() if pk is not None
    ]
    result.sort(key=lambda item: item[0].name if item[0] else "")
    if None in by_area:
        result.append((None, by_area[None]))
    return result


def visible_funds(user: Any) -> QuerySet[Fund]:
    """The funds this person may see in the overview (without figures): the policy's list."""
    return FUND_POLICY.instances_user_has_permission_for(user, "view_fund")


def funds_for_area(area: Area, year: int, *, active_only: bool = True) -> QuerySet[Fund]:
    """Funds an initiative in `area` can be paid from in `year`: those of the area's municipality
    that are municipality-wide or cover the area or an area it lies in."""
    lineage = Area.objects.filter(
        Q(pk=area.pk) | Q(children=area.pk) | Q(children__children=area.pk)
    ).values("pk")
    matching = Fund.objects.filter(municipality_id=area.municipality_id, year=year).filter(
        Q(areas__isnull=True) | Q(areas__in=lineage)
    )
    if active_only:
        matching = matching.filter(is_active=True)
    return (
        Fund.objects.filter(pk__in=matching.values("pk")).select_related("scheme").order_by("name")
    )


def fund_covers_area(fund: Fund, area: Area) -> bool:
    return funds_for_area(area, fund.year, active_only=False).filter(pk=fund.pk).exists()


def ledger_entries(
    fund: Fund,
    *,
    kind: str | None = None,
    search: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[LedgerEntry]:
    """A fund's ledger, newest first, filtered; with everything the page shows joined in."""
    entries = LedgerEntry.objects.filter(fund_id=fund.pk).select_related(
        "initiative__area", "author"
    )
    if kind:
        entries = entries.filter(kind=kind)
    if search:
        entries = entries.filter(
            Q(reason__icontains=search)
            | Q(initiative__title__icontains=search)
            | Q(case_title__icontains=search)
        )
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    return entries.order_by("-created_at", "-id")


def schemes_for(user: Any) -> QuerySet[Scheme]:
    """Schemes an admin manages."""
    if user.is_superuser:
        return Scheme.objects.select_related("municipality")
    return Scheme.objects.filter(
        municipality_id__in=role_index(user).admin_municipality_ids
    ).select_related("municipality")


def managed_funds(user: Any) -> QuerySet[Fund]:
    return FUND_POLICY.instances_user_has_permission_for(user, "manage_fund").select_related(
        "scheme", "municipality"
    )


def area_figures_for_funds(funds: list[Fund]) -> list[tuple[Fund, Area | None, Figures]]:
    """Per fund and area of the initiatives, for the export: one query for all funds."""
    by_pk = {fund.pk: fund for fund in funds}
    rows = list(
        LedgerEntry.objects.filter(fund_id__in=by_pk)
        .values("fund_id", "initiative__area_id")
        .annotate(**_sums(), initiative_count=_initiative_count())
        .order_by("fund_id", "initiative__area_id")
    )
    area_ids = {row["initiative__area_id"] for row in rows} - {None}
    areas = {a.pk: a for a in Area.objects.filter(pk__in=area_ids)}
    result = [
        (by_pk[row["fund_id"]], areas.get(row["initiative__area_id"]), _figures(row))
        for row in rows
    ]
    result.sort(key=lambda r: (r[0].year, r[0].name, r[1] is None, r[1].name if r[1] else ""))
    return result


def unbatched_payments(fund: Fund) -> list[PaymentInstruction]:
    """Payments of the fund not yet handed to the bank in a batch, oldest first."""
    return list(
        PaymentInstruction.objects.filter(entry__fund=fund, batch__isnull=True)
        .select_related("entry__initiative", "entry__author")
        .order_by("entry__created_at", "entry_id")
    )


def payment_batches(fund: Fund) -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.filter(fund=fund).select_related("created_by")


def batch_instructions(batch: PaymentBatch) -> list[PaymentInstruction]:
    return list(
        batch.instructions.select_related("entry__initiative", "entry__author").order_by(
            "entry__created_at", "entry_id"
        )
    )
