from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _area_pilots(request: HttpRequest, *, area: Any) -> dict[str, Any] | None:
    from . import selectors

    found = selectors.running_pilots_in_area(area)
    return {"pilots": found, "area": area} if found else None


class LearningConfig(AppConfig):
    name = "wijkwerk.learning"
    label = "learning"
    verbose_name = _("Pilots and lessons")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register
        from wijkwerk.follows.registry import Followable
        from wijkwerk.follows.registry import register as followable

        from . import audit_actions, notifications, policy

        policy.register()
        audit_actions.register()
        notifications.register()
        # a pilot's followers are those of its areas (and of the districts around them)
        followable(Followable("learning.pilot", parents=lambda pilot: list(pilot.areas.all())))
        register(
            Panel(
                "area",
                "learning_pilots",
                "learning/_area_pilots.html",
                _area_pilots,
                max_queries=1,
                order=65,
                shared=True,
                depends_on=("learning.Pilot",),
            )
        )
        register(Panel("nav", "learning", "learning/_nav.html", order=45))
