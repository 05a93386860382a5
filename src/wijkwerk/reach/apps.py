from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _area_reach(request: HttpRequest, *, area: Any) -> dict[str, Any] | None:
    # a link only: the figures take a dozen queries, so they stay on the reach page itself
    return {"area": area}


class ReachConfig(AppConfig):
    name = "wijkwerk.reach"
    label = "reach"
    verbose_name = _("Reach")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions, policy

        policy.register()
        audit_actions.register()
        register(
            Panel(
                "area_aside",
                "reach_area",
                "reach/_area_panel.html",
                _area_reach,
                max_queries=0,
                order=80,
                shared=True,
                depends_on=("areas.Area",),
            )
        )
