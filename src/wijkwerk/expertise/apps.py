from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _area_questions(request: HttpRequest, *, area: Any) -> dict[str, Any] | None:
    from . import selectors

    found = selectors.area_questions(area)
    return {"questions": found, "area": area} if found else None


class ExpertiseConfig(AppConfig):
    name = "wijkwerk.expertise"
    label = "expertise"
    verbose_name = _("Offers and questions")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions, notifications, policy

        policy.register()
        # a question's followers are those of its areas (follows.registry)
        from wijkwerk.follows.registry import Followable
        from wijkwerk.follows.registry import register as followable

        followable(Followable("expertise.question", parents=lambda q: list(q.areas.all())))
        audit_actions.register()
        notifications.register()
        register(
            Panel(
                "area",
                "expertise_questions",
                "expertise/_area_questions.html",
                _area_questions,
                max_queries=1,
                order=60,
                shared=True,
                depends_on=("expertise.Question",),
            )
        )
        register(Panel("nav", "expertise", "expertise/_nav.html", order=40))
