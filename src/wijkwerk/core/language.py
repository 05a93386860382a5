"""The site's language: Dutch, unless the visitor chose another with the language switch.

Django's LocaleMiddleware follows the browser's Accept-Language header, so a Dutch resident
whose browser or phone happens to be set to English got an English site. The platform is a
Dutch municipality's: it speaks Dutch (LANGUAGE_CODE) to everyone, and English only to whoever
asked for it with the switch (Django's `set_language` view, which stores the choice in the
language cookie). The header is not looked at. Mails follow the person's `User.language`
(wijkwerk.core.notifications), which is set on sign-up and on the profile.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language of the switch's cookie, when it is one the site has; else the default."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or ""
    if chosen and translation.check_for_language(chosen):
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """In the place of django.middleware.locale.LocaleMiddleware (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The answer depends on the cookie, not on the browser's header.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def site_language() -> translation.override:
    """For texts the records keep (a timeline note, a ledger entry's reason, a mail's note):
    in the site's language, whatever the language of the person taking the step (or none, as
    in a management command). The records are the municipality's and read by everyone; a note
    stored in English would show on Dutch pages.

        with site_language():
            move.note = _("Assigned to %(broker)s.") % {...}
    """
    return translation.override(settings.LANGUAGE_CODE)
