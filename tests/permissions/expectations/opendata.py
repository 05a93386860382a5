"""The open data API (opendata/): everything is public and read-only. Every visitor, logged in
or not, gets the same public data (the API has no sessions): a draft initiative or a round not
yet published or a draft report is 404 even for its applicant or the municipality's
administrator, and anything
but GET, HEAD or OPTIONS is 405. Besides the matrix's visitors the cases try the outsider, Oss's
administrator and a superuser.
"""

from __future__ import annotations

from typing import Any

from ..framework import Case, World, everyone
from .budgeting import counted, draft_round
from .reports import draft as draft_report
from .reports import published as published_report

PUBLIC = everyone(200)
NOBODY = everyone(404)
READ_ONLY = everyone(405)
ALSO_200 = {"outsider": 200, "oss_admin": 200, "superuser": 200}
ALSO_404 = {"outsider": 404, "oss_admin": 404, "superuser": 404}
ALSO_405 = {"outsider": 405, "oss_admin": 405, "superuser": 405}


def public_initiative(world: World) -> None:
    world.extra["initiative"] = world.cast.submitted()


def draft_initiative(world: World) -> None:
    world.extra["initiative"] = world.cast.draft()


def no_consent(world: World) -> None:
    """Submitted, but its applicant did not agree to publication."""
    world.extra["initiative"] = world.cast.submitted(consent_to_publish=False)


def initiative(world: World) -> dict[str, Any]:
    return {"id": world.extra["initiative"].pk}


def budget_round(world: World) -> dict[str, Any]:
    return {"id": world.extra["process"].pk}


def municipality(world: World) -> dict[str, Any]:
    return {"id": world.municipality.pk}


def area(world: World) -> dict[str, Any]:
    return {"id": world.neighbourhood.pk}


def report(world: World) -> dict[str, Any]:
    return {"id": world.extra["report"].pk}


def fund(world: World) -> dict[str, Any]:
    return {"id": world.cast.fund.pk}


LISTS = (
    "opendata:index",
    "opendata:openapi-json",
    "opendata:municipalities",
    "opendata:areas",
    "opendata:initiatives",
    "opendata:funds",
    "opendata:budget_rounds",
    "opendata:reports",
)

CASES = [
    # the page about the API, for people
    Case("opendata:docs", PUBLIC, also=ALSO_200),
    # the collections and the OpenAPI document: everyone reads, nobody writes
    *(Case(name, PUBLIC, setup=public_initiative, also=ALSO_200) for name in LISTS),
    *(Case(name, READ_ONLY, method="post", also=ALSO_405) for name in LISTS),
    Case("opendata:municipality", PUBLIC, kwargs=municipality, also=ALSO_200),
    Case("opendata:area", PUBLIC, kwargs=area, also=ALSO_200),
    Case("opendata:fund", PUBLIC, kwargs=fund, also=ALSO_200),
    Case("opendata:fund", READ_ONLY, kwargs=fund, method="delete", also=ALSO_405),
    # initiatives: public ones only, for everyone alike
    Case(
        "opendata:initiative",
        PUBLIC,
        kwargs=initiative,
        setup=public_initiative,
        also=ALSO_200,
    ),
    Case(
        "opendata:initiative",
        NOBODY,
        kwargs=initiative,
        setup=draft_initiative,
        label="draft",
        also=ALSO_404,
    ),
    Case(
        "opendata:initiative",
        NOBODY,
        kwargs=initiative,
        setup=no_consent,
        label="no consent",
        also=ALSO_404,
    ),
    Case(
        "opendata:initiative",
        READ_ONLY,
        kwargs=initiative,
        setup=public_initiative,
        method="put",
        also=ALSO_405,
    ),
    # budget rounds: published ones, with their result once counted
    Case("opendata:budget_round", PUBLIC, kwargs=budget_round, setup=counted, also=ALSO_200),
    Case(
        "opendata:budget_round_plans",
        PUBLIC,
        kwargs=budget_round,
        setup=counted,
        also=ALSO_200,
    ),
    Case(
        "opendata:budget_round",
        NOBODY,
        kwargs=budget_round,
        setup=draft_round,
        label="draft",
        also=ALSO_404,
    ),
    Case(
        "opendata:budget_round_plans",
        NOBODY,
        kwargs=budget_round,
        setup=draft_round,
        label="draft",
        also=ALSO_404,
    ),
    # quarterly reports: published ones only
    Case("opendata:reports", PUBLIC, setup=published_report, label="published", also=ALSO_200),
    Case("opendata:report", PUBLIC, kwargs=report, setup=published_report, also=ALSO_200),
    Case(
        "opendata:report",
        NOBODY,
        kwargs=report,
        setup=draft_report,
        label="draft",
        also=ALSO_404,
    ),
    # any other path under /api/v1, a trailing slash too: 404, never a redirect
    Case("opendata:not_found", NOBODY, kwargs=lambda world: {"rest": "areas/"}, also=ALSO_404),
]
