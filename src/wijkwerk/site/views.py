"""The public front pages: the home page (find your area, and the panels the domain apps register
for it) and the page about area-based working."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from wijkwerk.areas.models import Area
from wijkwerk.areas.selectors import SEARCH_LIMIT, area_search, municipalities_with_counts
from wijkwerk.core.forms import SingleLineFieldsMixin

SEARCH_MAX_LENGTH = 100


class AreaSearchForm(SingleLineFieldsMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name or CBS code of your area"),
        help_text=gettext_lazy("For example Dorst, Slotjes-West or BU08260102."),
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
