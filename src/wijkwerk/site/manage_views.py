"""The back office's pages for a municipality's statements (under /beheer/<gemeente>/verklaringen/).

They live in the site app, which owns the statements, and wear the back office's layout (its
templates, by name): site and backoffice are independent layers and do not import each other.
Access follows the back office's convention: anonymous → login, not an administrator → 403, a
municipality the user does not manage → 404. The link in the back office's navigation is the
`backoffice_nav` panel (site/apps.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wijkwerk.areas.models import Municipality

from . import selectors
from .forms import form_class
from .models import StatementKind
from .services import statement_save
from .views import TITLES

View = Callable[..., HttpResponse]


def admin_of_municipality(view: View) -> View:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, municipality: str, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("backoffice.access"):
            raise PermissionDenied(_("The back office is for the municipality's administrators."))
        found = selectors.municipality_by_slug(municipality)
        if found is None or not request.user.has_perm("areas.manage_municipality", found):
            raise Http404
        return view(request, found, **kwargs)

    return wrapped


@admin_of_municipality
def statement_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    rows = []
    for kind in StatementKind:
        statement = selectors.statement_for(municipality, kind)
        rows.append({"kind": kind.value, "title": TITLES[kind], "statement": statement})
    return render(
        request,
        "site/manage/statement_list.html",
        {"municipality": municipality, "rows": rows},
    )


@admin_of_municipality
def statement_edit(request: HttpRequest, municipality: Municipality, kind: str) -> HttpResponse:
    if kind not in StatementKind.values:
        raise Http404
    statement, adopted = selectors.statement_or_default(municipality, kind)
    form = form_class(kind)(request.POST or None, instance=statement)
    if request.method == "POST" and form.is_valid():
        saved = form.call(
            statement_save,
            actor=request.user,
            municipality=municipality,
            kind=kind,
            **form.cleaned_data,
        )
        if saved is not None:
            messages.success(
                request,
                _("%(title)s saved and published.") % {"title": TITLES[StatementKind(kind)]},
            )
            return redirect("site:statement_edit", municipality=municipality.slug, kind=kind)
    return render(
        request,
        "site/manage/statement_form.html",
        {
            "municipality": municipality,
            "form": form,
            "kind": kind,
            "title": TITLES[StatementKind(kind)],
            "adopted": adopted,
            "statement": statement,
        },
        status=422 if form.is_bound and form.errors else 200,
    )
