from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def footer_context(request: HttpRequest | None, **kwargs: Any) -> dict[str, Any]:
    """The statements' links go to the municipality the visitor is looking at (an area page, a
    statement, the back office), otherwise to the well-known addresses, which let one choose."""
    match = getattr(request, "resolver_match", None)
    slug = match.kwargs.get("municipality") if match is not None else None
    return {"statement_municipality": slug if isinstance(slug, str) else None}


def backoffice_nav_context(
    request: HttpRequest | None, municipality: Any = None, **kwargs: Any
) -> dict[str, Any] | None:
    return {"municipality": municipality} if municipality is not None else None


class SiteConfig(AppConfig):
    """The public front pages (home, about) and the statements every government site has
    (privacy, accessibility, contact): composed of the panels the domain apps register, so they
    sit above every domain and core knows none."""

    name = "wijkwerk.site"
    label = "site"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions

        audit_actions.register()
        register(Panel("nav", "site", "site/_nav.html", order=0))
        register(Panel("footer", "site", "site/_footer.html", context=footer_context, order=0))
        register(
            Panel(
                "backoffice_nav",
                "site",
                "site/_backoffice_nav.html",
                context=backoffice_nav_context,
                order=50,
            )
        )
