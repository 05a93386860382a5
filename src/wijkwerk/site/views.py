"""The public front pages: the home page (find your area, and the panels the domain apps register
for it), the page about area-based working, and each municipality's privacy statement,
accessibility statement and contact page (ADR 005)."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from wijkwerk.areas.models import Area, Municipality
from wijkwerk.areas.selectors import SEARCH_LIMIT, area_search, municipalities_with_counts
from wijkwerk.core.forms import SingleLineFieldsMixin

from . import selectors
from .models import RESEARCH_VALID_MONTHS, StatementKind
from .services import add_months

SEARCH_MAX_LENGTH = 100


class AreaSearchForm(SingleLineFieldsMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Postcode, street or name of your area"),
        help_text=gettext_lazy("For example 4849 AB, Kerkstraat, Dorst or BU08260102."),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": gettext_lazy(
                "Type at most %(limit_value)d characters (you typed %(show_value)d): "
                "no area name or CBS code is longer."
            )
        },
        widget=forms.TextInput(
            attrs={
                "class": "utrecht-textbox utrecht-textbox--html-input",
                "type": "search",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )


def home(request: HttpRequest) -> HttpResponse:
    form = AreaSearchForm(request.GET if "q" in request.GET else None)
    query = ""
    results: list[Area] | None = None
    more_results = False
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        found = area_search(query)
        results, more_results = found[:SEARCH_LIMIT], len(found) > SEARCH_LIMIT
    return render(
        request,
        "site/home.html",
        {
            "form": form,
            "municipalities": municipalities_with_counts(),
            "query": query,
            "results": results,
            "more_results": more_results,
            "search_limit": SEARCH_LIMIT,
        },
        # A search that cannot be run (too long, forbidden characters) is the visitor's input
        # error: the page explains it at the field, with a 400 status for tools and caches.
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "site/about.html")


# ----- The statements every government site has -------------------------------------------------

TITLES = {
    StatementKind.PRIVACY: gettext_lazy("Privacy statement"),
    StatementKind.ACCESSIBILITY: gettext_lazy("Accessibility statement"),
    StatementKind.CONTACT: gettext_lazy("Contact"),
}


def _statement_page(
    request: HttpRequest, municipality: Municipality, kind: StatementKind, *, single: bool
) -> HttpResponse:
    statement, adopted = selectors.statement_or_default(municipality, kind)
    context = {
        "municipality": municipality,
        "statement": statement,
        "adopted": adopted,
        "title": TITLES[kind],
        "kind": kind.value,
        # at the well-known address (/toegankelijkheid) with one municipality: the page is the
        # statement itself, and names its own address per municipality as the canonical one
        "single": single,
    }
    if kind == StatementKind.ACCESSIBILITY:
        research = getattr(statement, "research_date", None)
        retest_before = (
            add_months(research, RESEARCH_VALID_MONTHS) if research is not None else None
        )
        context["retest_before"] = retest_before
        # a statement stays up when its research expires; the page then says so
        context["research_overdue"] = (
            adopted and retest_before is not None and retest_before < timezone.localdate()
        )
    return render(request, f"site/statements/{kind.value}.html", context)


def _index(request: HttpRequest, kind: StatementKind) -> HttpResponse:
    """The well-known address (/toegankelijkheid, /privacy, /contact): the statement itself when
    the platform serves one municipality, otherwise the municipalities to choose from."""
    municipalities = list(selectors.municipalities())
    if len(municipalities) == 1:
        return _statement_page(request, municipalities[0], kind, single=True)
    return render(
        request,
        "site/statements/index.html",
        {"municipalities": municipalities, "title": TITLES[kind], "kind": kind.value},
    )


def _one(request: HttpRequest, municipality: str, kind: StatementKind) -> HttpResponse:
    found = selectors.municipality_by_slug(municipality)
    if found is None:
        raise Http404
    return _statement_page(request, found, kind, single=False)


def privacy_index(request: HttpRequest) -> HttpResponse:
    return _index(request, StatementKind.PRIVACY)


def accessibility_index(request: HttpRequest) -> HttpResponse:
    return _index(request, StatementKind.ACCESSIBILITY)


def contact_index(request: HttpRequest) -> HttpResponse:
    return _index(request, StatementKind.CONTACT)


def privacy(request: HttpRequest, municipality: str) -> HttpResponse:
    return _one(request, municipality, StatementKind.PRIVACY)


def accessibility(request: HttpRequest, municipality: str) -> HttpResponse:
    return _one(request, municipality, StatementKind.ACCESSIBILITY)


def contact(request: HttpRequest, municipality: str) -> HttpResponse:
    return _one(request, municipality, StatementKind.CONTACT)
