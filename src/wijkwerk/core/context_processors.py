from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site_settings() -> dict[str, Any]:
    """Site name and theme: settings only, so that error pages can use them too."""
    return {
        "site_name": settings.WIJKWERK_SITE_NAME,
        "theme_css": settings.WIJKWERK_THEME_CSS,
    }


def site(request: HttpRequest) -> dict[str, Any]:
    return site_settings()
