from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _home_activity(request: HttpRequest) -> dict[str, Any]:
    from . import selectors

    return {"activity": {"open": [], "example": selectors.good_examples()}}


def _area_activity(request: HttpRequest, *, area: Any) -> dict[str, Any]:
    from . import selectors

    return {"activity": selectors.area_activity(area)}


class InitiativesConfig(AppConfig):
    name = "wijkwerk.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions, notifications

        audit_actions.register()
        notifications.register()

        template = "initiatives/_area_activity.html"
        register(Panel("home", "initiatives", template, _home_activity, max_queries=1))
        register(
            Panel(
                "area",
                "initiatives",
                template,
                _area_activity,
                max_queries=1,
                shared=True,
                # the good examples: those with a photo of the result
                depends_on=("initiatives.Initiative", "initiatives.Attachment", "areas.Area"),
            )
        )
        register(Panel("nav", "initiatives", "initiatives/_nav.html", order=10))
