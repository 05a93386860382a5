"""Kinds of case the ledger books money for beside initiatives, registered by the apps that own
them (the funds app sits below them and imports none of them).

An initiative is the ledger's own kind of case (`LedgerEntry.initiative`, a foreign key, as from
the start). Any other kind registers a `CaseType` in its `AppConfig.ready()`; its entries name
the case by `case_type` (the key registered) and `case_id`, with the case's title as it was
when the money was booked (`case_title`: entries are never changed, so the ledger page, the
payment batches and the bank's description read it without loading the case).

The case object itself is a `services.Bookable`: `pk`, `area`, `accepts_commitments`,
`accepts_payments`, `get_status_display()` and `ledger_title` (what the ledger calls it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class CaseType:
    key: str  # stored in LedgerEntry.case_type: never change it once money is booked
    model: str  # the model's label, "challenges.Challenge"
    verbose_name: str | Promise  # "right to challenge", in a sentence
    url_name: str  # the case's page: reverse(url_name, args=[pk])
    permission: str  # who may book money for a case of this kind: actor.has_perm(permission, case)

    def url(self, pk: Any) -> str:
        return reverse(self.url_name, args=[pk])


_BY_KEY: dict[str, CaseType] = {}
_BY_MODEL: dict[str, CaseType] = {}


def register(case_type: CaseType) -> None:
    known = _BY_KEY.get(case_type.key)
    if known is not None and known != case_type:
        raise ValueError(f"The case type {case_type.key!r} is registered already.")
    _BY_KEY[case_type.key] = case_type
    _BY_MODEL[case_type.model.lower()] = case_type


def get(key: str) -> CaseType | None:
    return _BY_KEY.get(key)


def of(obj: Any) -> CaseType | None:
    """The registered kind of `obj`, or None (an initiative, or anything not registered)."""
    meta = getattr(obj, "_meta", None)
    return _BY_MODEL.get(meta.label_lower) if meta is not None else None


def registered() -> list[CaseType]:
    return list(_BY_KEY.values())
