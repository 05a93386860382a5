"""The page tour: every page each kind of visitor sees, derived from the permission matrix.

Use it wherever a test must visit "every page for every role" (the Dutch crawl in
tests/core/test_dutch_crawl.py, the 320 px overflow browser test)::

    from tests.cast import build_cast          # or the `cast` fixture
    from tests.page_tour import tour

    for stop in tour(cast):
        stop.visitor   # "anonymous", "resident", "broker_this", "admin", ... (framework.VISITORS)
        stop.user      # the User to log in as, or None for the anonymous visitor
        stop.url       # the path to GET, e.g. "/initiatieven/12/" (with a query string if any)
        stop.name      # the URL name plus the matrix case's label, e.g. "initiatives:detail draft"

`tour(cast)` builds the objects the pages need in the database (it runs each matrix case's
setup once, on the given cast) and returns the stops in a stable order; call it once per test,
after the cast exists (in a browser test: inside the transactional test, after build_cast()).
The officials in the cast have TOTP; a browser test logs them in with
`log_in(page, base, stop.user.email, totp=True)` from tests/e2e/test_initiative_journey.py.

Where the pages come from: every case in tests/permissions/expectations/*.py that is a GET and
expects 200 for a visitor is a page that visitor sees (`test_matrix` proves the 200). Downloads
that are no HTML page (exports, payment files, attachments, decision letters) are left out
(`NOT_PAGES`). `by_visitor(stops)` groups the stops per visitor; `one_per_page(stops)` keeps one
stop per page type and visitor (the same URL name, label aside) for slower browser tests.

Besides the matrix's pages the tour adds the pages of initiatives the cast took through the
services (submitted, approved, advance paid and accounted), so lists, detail pages and the work
queue show real dates, amounts and states (`name` then ends in "(cast ...)").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from .permissions.framework import VISITORS, Case, World
from .permissions.test_matrix import all_cases

# URL names whose 200 answer is a file, not an HTML page.
NOT_PAGES = frozenset(
    {
        "budgeting:plan_picture",
        "budgeting:result_json",
        "budgeting:result_pb",
        "challenges:attachment",
        "challenges:letter",
        "councils:document",
        "events:area_feed",
        "events:ics",
        "funds:export_csv",
        "funds:export_xlsx",
        "funds:payment_batch_csv",
        "funds:payment_batch_xml",
        "initiatives:attachment",
        "initiatives:decision",
        "news:picture",
        "reports:pdf",
        # the open data API answers JSON (its page for people, opendata:docs, is a page)
        "opendata:area",
        "opendata:areas",
        "opendata:budget_round",
        "opendata:budget_round_plans",
        "opendata:budget_rounds",
        "opendata:fund",
        "opendata:funds",
        "opendata:index",
        "opendata:initiative",
        "opendata:initiatives",
        "opendata:municipalities",
        "opendata:municipality",
        "opendata:not_found",
        "opendata:openapi-json",
        "opendata:report",
        "opendata:reports",
        "surveys:export_csv",
        "surveys:export_xlsx",
    }
)


@dataclass(frozen=True)
class Stop:
    """One page one visitor sees. `user` is None for the anonymous visitor."""

    visitor: str
    user: Any
    url: str
    name: str

    @property
    def url_name(self) -> str:
        """The URL name without the case's label, e.g. "initiatives:detail"."""
        return self.name.split(" ", 1)[0]


def page_cases() -> list[Case]:
    """The matrix cases that are pages: GETs that some visitor gets a 200 for."""
    return [
        case
        for case in all_cases()
        if case.method == "get"
        and case.url_name not in NOT_PAGES
        and any(status == 200 for status in case.expect.values())
    ]


def _uniquify(before: dict[type, int], number: int) -> None:
    """Rename what a setup made whose names must be unique, so the next setup can make its own
    (the matrix runs each case on a fresh database; the tour runs them all on one)."""
    from wijkwerk.funds.models import Category, Fund, Scheme

    for scheme in Scheme.objects.filter(pk__gt=before[Scheme]):
        scheme.name = f"{scheme.name} {number}"
        scheme.save(update_fields=["name"])
    for fund in Fund.objects.filter(pk__gt=before[Fund]):
        fund.name = f"{fund.name} {number}"
        fund.save(update_fields=["name"])
    for category in Category.objects.filter(pk__gt=before[Category]):
        category.slug = f"{category.slug}-{number}"
        category.save(update_fields=["slug"])


def _last_pks() -> dict[type, int]:
    from django.db.models import Max

    from wijkwerk.funds.models import Category, Fund, Scheme

    return {
        model: model.objects.aggregate(last=Max("pk"))["last"] or 0
        for model in (Scheme, Fund, Category)
    }


def _url(case: Case, world: World) -> str:
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    query = case.data(world)
    return f"{url}?{urlencode(query)}" if query else url


def _cast_stops(cast: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    """Initiatives taken through the services by the cast: (url, name, visitors)."""
    everybody = VISITORS
    staff = ("broker_this", "alderman", "admin")
    logged_in = tuple(v for v in VISITORS if v != "anonymous")
    submitted = cast.submitted(title="Bankjes bij de speeltuin")
    approved = cast.approved(title="Buurtfeest Dorst-Zuid")
    paid = cast.advance_paid(title="Moestuin aan de Kerkstraat")
    accounted = cast.accounted(
        cast.advance_paid(title="Geveltuinen in de Molenstraat"), (60_000, 50_000)
    )
    draft = cast.draft(title="Speelbos achter de school", description="", planned_start=None)
    stops = [
        # The application's three pages: the scheme, the form, the check (with what is missing).
        (
            f"{reverse('initiatives:create')}?regeling={cast.scheme.pk}",
            "application form",
            ("applicant",),
        ),
        (reverse("initiatives:edit", kwargs={"pk": draft.pk}), "draft", ("applicant",)),
        (reverse("initiatives:submit", kwargs={"pk": draft.pk}), "draft", ("applicant",)),
        (reverse("initiatives:detail", kwargs={"pk": submitted.pk}), "submitted", everybody),
        (reverse("initiatives:detail", kwargs={"pk": approved.pk}), "approved", everybody),
        (reverse("initiatives:detail", kwargs={"pk": paid.pk}), "advance paid", everybody),
        (reverse("initiatives:detail", kwargs={"pk": accounted.pk}), "accounted", everybody),
        (
            reverse("initiatives:accountability", kwargs={"pk": paid.pk}),
            "advance paid",
            ("applicant",),
        ),
        (
            reverse("initiatives:transition", kwargs={"pk": submitted.pk, "action": "approve"}),
            "submitted",
            ("broker_this", "admin"),
        ),
        (reverse("initiatives:mine"), "with initiatives", logged_in),
        (reverse("initiatives:dashboard"), "with initiatives", staff),
        (reverse("funds:detail", kwargs={"pk": cast.fund.pk}), "with payments", staff),
        (reverse("funds:ledger", kwargs={"pk": cast.fund.pk}), "with payments", staff),
    ]
    return [(url, f"{_name_of(url)} (cast {label})", visitors) for url, label, visitors in stops]


def _name_of(url: str) -> str:
    from django.urls import resolve

    match = resolve(url.split("?", 1)[0])
    return match.view_name


def tour(cast: Any, cases: Iterable[Case] | None = None) -> list[Stop]:
    """Every page every visitor sees, with the objects it needs made on `cast` (see the module
    docstring). `cases` defaults to all the matrix's page cases."""
    world = World.of(cast)
    cases = list(page_cases() if cases is None else cases)
    # Each setup runs once; the cases that share it share its objects.
    urls: dict[int, str] = {}
    done: dict[Callable[[World], None], dict[str, Any]] = {}
    for case in cases:
        if case.setup not in done:
            before = _last_pks()
            world.extra = {}
            case.setup(world)
            _uniquify(before, len(done) + 1)
            done[case.setup] = dict(world.extra)
        world.extra = done[case.setup]
        urls[id(case)] = _url(case, world)
    stops = [
        Stop(
            visitor,
            world.users.get(visitor),
            urls[id(case)],
            f"{case.url_name} {case.label}".strip(),
        )
        for case in cases
        for visitor in VISITORS
        if case.expect[visitor] == 200
    ]
    stops += [
        Stop(visitor, world.users.get(visitor), url, name)
        for url, name, visitors in _cast_stops(cast)
        for visitor in visitors
    ]
    return stops


def by_visitor(stops: Iterable[Stop]) -> dict[str, list[Stop]]:
    grouped: dict[str, list[Stop]] = {visitor: [] for visitor in VISITORS}
    for stop in stops:
        grouped[stop.visitor].append(stop)
    return grouped


def one_per_page(stops: Iterable[Stop]) -> list[Stop]:
    """One stop per page type (URL name) and visitor: the first one the tour has."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for stop in stops:
        if (stop.visitor, stop.url_name) not in seen:
            seen.add((stop.visitor, stop.url_name))
            kept.append(stop)
    return kept
