from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _area_officials(request: HttpRequest, *, area: Any) -> dict[str, Any]:
    from .selectors import area_officials

    return {"officials": area_officials(area)}


class AccountsConfig(AppConfig):
    name = "wijkwerk.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions, notifications

        audit_actions.register()
        notifications.register()

        register(Panel("nav", "accounts", "accounts/_nav.html", order=90))
        register(
            Panel(
                "area_aside",
                "officials",
                "accounts/_area_officials.html",
                _area_officials,
                max_queries=1,
                shared=True,
                # the officials' names and contact, or the municipality's address
                depends_on=("accounts.RoleAssignment", "accounts.User", "areas.Municipality"),
            )
        )
