from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _backoffice_nav(
    request: HttpRequest | None, municipality: Any = None, **kwargs: Any
) -> dict[str, Any] | None:
    return {"municipality": municipality} if municipality is not None else None


class FundsConfig(AppConfig):
    name = "wijkwerk.funds"
    label = "funds"
    verbose_name = _("Funds")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions

        audit_actions.register()
        # The fund overview (with its exports) in the main navigation, for who may see funds.
        register(Panel("nav", "funds", "funds/_nav.html", order=20))
        # In the back office: the funds, and the schemes and categories administrators manage.
        register(
            Panel(
                "backoffice_nav",
                "funds",
                "funds/_backoffice_nav.html",
                context=_backoffice_nav,
                order=40,
            )
        )
