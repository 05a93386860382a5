from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from wijkwerk.core.context_processors import site_settings


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": _("The form has expired"),
            "message": _(
                "For your security the form could not be sent: its security token was missing "
                "or wrong. Go back, reload the page and try again."
            ),
        },
        status=403,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the municipality's theme and name.

    Rendered without the request (no context processors): whatever failed may be the database,
    the session or the user, so the page uses settings only.
    """
    return HttpResponseServerError(loader.get_template("500.html").render(site_settings()))
