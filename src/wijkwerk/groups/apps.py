from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _area_panel(request: HttpRequest, *, area: Any) -> dict[str, Any]:
    # the area page lists the groups themselves; the panel leads to their list and to founding
    # one, and costs no query
    return {"area": area}


class GroupsConfig(AppConfig):
    name = "wijkwerk.groups"
    label = "groups"
    verbose_name = _("Resident groups")

    def ready(self) -> None:
        from wijkwerk.core import fragments
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions, notifications, policy, selectors

        fragments.watch(selectors.ACTIVITY, *selectors.ACTIVITY_DEPENDS_ON)
        policy.register()
        audit_actions.register()
        notifications.register()
        register(
            Panel(
                "area_aside",
                "groups",
                "groups/_area_panel.html",
                _area_panel,
                max_queries=0,
                order=30,
                shared=True,
                depends_on=("areas.Area",),
            )
        )
