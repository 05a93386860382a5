"""Reach and population (docs/learning.md, "Reach").

Reach is public: counts, suppressed below 5. Population tables are imported by the
municipality's administrators only (Oosterhout's admin; Oss's admin is refused, 403, as every
other official and resident). An unknown quarter, area or council is 404."""

from __future__ import annotations

from typing import Any

from ..framework import Case, World, everyone, logged_in


def place(world: World) -> dict[str, Any]:
    return {"municipality": world.municipality.slug}


def quarter(slug: str) -> Any:
    return lambda world: {"municipality": world.municipality.slug, "quarter": slug}


def area(world: World) -> dict[str, Any]:
    return {"municipality": world.municipality.slug, "area": world.neighbourhood.slug}


def council(world: World) -> dict[str, Any]:
    return {"municipality": world.municipality.slug, "pk": world.cast.council.pk}


ADMIN = logged_in(403, admin=200)


CASES = [
    Case("reach:municipality", everyone(200), kwargs=place),
    Case(
        "reach:municipality",
        everyone(302),
        kwargs=place,
        data=lambda w: {"kwartaal": "2026-K1"},
        label="quarter chosen",
    ),
    Case("reach:municipality_quarter", everyone(200), kwargs=quarter("2026-K1")),
    Case(
        "reach:municipality_quarter",
        everyone(404),
        kwargs=quarter("2026-K7"),
        label="no such quarter",
    ),
    Case(
        "reach:municipality_quarter",
        everyone(404),
        kwargs=quarter("2099-K1"),
        label="future quarter",
    ),
    Case("reach:area", everyone(200), kwargs=area),
    Case(
        "reach:area",
        everyone(404),
        kwargs=lambda w: {"municipality": w.municipality.slug, "area": "lith"},
        label="area of another municipality",
    ),
    Case("reach:council", everyone(200), kwargs=council),
    Case("reach:population", ADMIN, kwargs=place, also={"oss_admin": 403}),
    Case(
        "reach:population",
        {k: 400 if v == 200 else v for k, v in ADMIN.items()},
        kwargs=place,
        method="post",
        data=lambda w: {"year": "1800"},
        label="no file, wrong year",
    ),
]
