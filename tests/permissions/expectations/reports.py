"""Quarterly reports: everyone reads a published report (page and PDF) and the list; a draft is
for the council clerk (griffie) and the administrators of its municipality, who generate, edit,
regenerate and publish it; a published report changes for no one (409 with the reason)."""

from __future__ import annotations

from typing import Any
from unittest import mock

from wijkwerk.core.quarters import Quarter
from wijkwerk.reports import services

from ..framework import Case, World, everyone, logged_in

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def quarter() -> Quarter:
    """The quarter the generate form is tried with: the last full one."""
    return Quarter.current().previous()


def _report(world: World, of: Quarter) -> Any:
    """The report of the quarter, generated once: the page tour runs every setup on one
    database (drafts are of the current quarter, published reports of the last one)."""
    from wijkwerk.reports.models import QuarterlyReport

    found = QuarterlyReport.objects.filter(
        municipality=world.municipality, year=of.year, number=of.number
    ).first()
    world.extra["quarter"] = of
    world.extra["report"] = found or services.generate(world.cast.clerk, world.municipality, of)
    return world.extra["report"]


def draft(world: World) -> None:
    _report(world, Quarter.current())


def published(world: World) -> None:
    report = _report(world, Quarter.current().previous())
    if report.states.draft:
        # the matrix asks who may do what, not how the PDF looks: a stand-in PDF, made fast
        with mock.patch("wijkwerk.reports.rendering.render_pdf", return_value=PDF):
            world.extra["report"] = services.publish(world.cast.clerk, report)


def at(world: World) -> dict[str, Any]:
    return {"municipality": world.municipality.slug, "quarter": world.extra["quarter"].slug}


# the clerk's office and the administrator of Oosterhout (another municipality's administrator
# does not know the draft exists; a superuser may do all)
CLERKS = {"oss_admin": 404, "superuser": 200}

CASES = [
    Case("reports:list", everyone(200)),
    Case("reports:list", everyone(200), setup=published, label="with a published report"),
    Case(
        "reports:drafts",
        logged_in(403, clerk=200, admin=200),
        setup=draft,
        also={"oss_admin": 200, "outsider": 403, "superuser": 200},
    ),
    Case(
        "reports:drafts",
        logged_in(403, clerk=302, admin=400),
        method="post",
        data=lambda w: {"municipality": w.municipality.pk, "quarter": quarter().slug},
        label="generate (the administrator finds the clerk's draft)",
    ),
    Case(
        "reports:drafts",
        logged_in(403, clerk=400, admin=400),
        method="post",
        data=lambda w: {"municipality": w.municipality.pk, "quarter": "2026-K9"},
        label="an unreadable quarter",
    ),
    Case(
        "reports:detail",
        everyone(404, clerk=200, admin=200),
        kwargs=at,
        setup=draft,
        label="draft",
        also=CLERKS,
    ),
    Case("reports:detail", everyone(200), kwargs=at, setup=published, label="published"),
    Case(
        "reports:detail",
        everyone(404),
        kwargs=lambda w: {"municipality": w.municipality.slug, "quarter": "2026-K9"},
        label="an unreadable quarter",
    ),
    Case("reports:pdf", everyone(200), kwargs=at, setup=published, label="published"),
    Case("reports:pdf", everyone(404), kwargs=at, setup=draft, label="draft"),
    Case(
        "reports:edit",
        logged_in(404, clerk=200, admin=200),
        kwargs=at,
        setup=draft,
        label="draft",
        also=CLERKS,
    ),
    Case(
        "reports:edit",
        logged_in(404, clerk=302, admin=302),
        kwargs=at,
        setup=draft,
        method="post",
        data=lambda w: {"introduction": "Een inleiding.", "note_money": "Het geld."},
        label="save the texts",
    ),
    Case(
        "reports:edit",
        logged_in(404, clerk=400, admin=400),
        kwargs=at,
        setup=draft,
        method="post",
        data=lambda w: {"introduction": "x" * 10_001},
        label="an introduction too long",
    ),
    Case(
        "reports:edit",
        logged_in(403, clerk=409, admin=409),
        kwargs=at,
        setup=published,
        label="published",
    ),
    Case(
        "reports:edit",
        logged_in(403, clerk=409, admin=409),
        kwargs=at,
        setup=published,
        method="post",
        data=lambda w: {"introduction": "Anders."},
        label="published, a change tried",
    ),
    Case(
        "reports:regenerate",
        logged_in(404, clerk=302, admin=302),
        kwargs=at,
        setup=draft,
        method="post",
        label="draft",
    ),
    Case(
        "reports:regenerate",
        logged_in(403, clerk=409, admin=409),
        kwargs=at,
        setup=published,
        method="post",
        label="published",
    ),
    Case("reports:regenerate", logged_in(405), kwargs=at, setup=draft, label="by GET"),
    Case(
        "reports:publish",
        logged_in(404, clerk=200, admin=200),
        kwargs=at,
        setup=draft,
        label="draft",
        also=CLERKS,
    ),
    Case(
        "reports:publish",
        logged_in(404, clerk=302, admin=409),
        kwargs=at,
        setup=draft,
        method="post",
        label="draft (the administrator comes after the clerk published it)",
    ),
    Case(
        "reports:publish",
        logged_in(403, clerk=409, admin=409),
        kwargs=at,
        setup=published,
        method="post",
        label="published",
    ),
]
