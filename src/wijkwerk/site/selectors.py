"""Reads for the statements' pages: one query each, None when nothing is found (views decide)."""

from __future__ import annotations

from django.db.models import QuerySet

from wijkwerk.areas.models import Municipality

from .defaults import default_fields
from .models import STATEMENT_MODELS, Statement


def municipality_by_slug(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first()


def municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name")


def statement_for(municipality: Municipality, kind: str) -> Statement | None:
    """The municipality's own statement of this kind, or None when it has not written one."""
    model = STATEMENT_MODELS[kind]
    statement = model.objects.filter(municipality=municipality).first()
    if statement is not None:
        statement.municipality = municipality
    return statement


def statement_or_default(municipality: Municipality, kind: str) -> tuple[Statement, bool]:
    """The statement to show, and whether it is the municipality's own (False: the platform's
    default texts, not yet adopted by the municipality; nothing is saved)."""
    statement = statement_for(municipality, kind)
    if statement is not None:
        return statement, True
    model = STATEMENT_MODELS[kind]
    return model(municipality=municipality, **default_fields(kind, municipality)), False
