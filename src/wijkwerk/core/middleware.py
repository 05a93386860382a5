"""Request bodies larger than the app accepts are refused before anything reads them.

Without this an anonymous visitor's 200 MB upload was read in full (the CSRF check parses the
form) before the login redirect. Logged-in visitors may send up to WIJKWERK_MAX_REQUEST_BYTES
(the largest form: a 5 MB file, or a boundary file and text); anonymous visitors only post small
forms (login, sign-up, password reset) and get WIJKWERK_MAX_ANONYMOUS_REQUEST_BYTES. The web
server in front should have the same cap (README: nginx's client_max_body_size), so that such a
body never reaches an app process at all.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def content_length(request: HttpRequest) -> int:
    """The announced body size; Django reads no body when it is missing or not a number."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size = content_length(request)
        if size > settings.WIJKWERK_MAX_ANONYMOUS_REQUEST_BYTES and (
            size > settings.WIJKWERK_MAX_REQUEST_BYTES or not request.user.is_authenticated
        ):
            return too_large(request)
        return self.get_response(request)


def too_large(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/error.html",
        {
            "title": _("What you sent is too large"),
            "message": _(
                "The form could not be sent: it was larger than this site accepts. A file may "
                "be at most 5 MB. Log in first if you want to add a file."
            ),
        },
        status=413,
    )
