"""Which account a login attempt is for, as django-axes must know it to lock the right pair out."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def login_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """allauth authenticates with `email=...` while its form posts `login`; without this, axes
    would record every attempt under no name and lock out a whole address (an office, a library)
    instead of one account from it. Lower-cased, as e-mail addresses are when stored."""
    candidates = [(credentials or {}).get(key) for key in ("email", "username", "login")]
    if request is not None:
        candidates.append(getattr(request, "POST", {}).get("login"))
    for candidate in candidates:
        if candidate:
            return str(candidate).strip().lower()
    return None
