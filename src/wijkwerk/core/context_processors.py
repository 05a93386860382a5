from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix


def site_settings() -> dict[str, Any]:
    """Site name and theme: settings only, so that error pages can use them too."""
    return {
        "site_name": settings.WIJKWERK_SITE_NAME,
        "theme_css": settings.WIJKWERK_THEME_CSS,
    }


def site(request: HttpRequest) -> dict[str, Any]:
    # the site's root, for the name in the header (whatever app serves the home page)
    return {**site_settings(), "script_prefix": get_script_prefix()}
