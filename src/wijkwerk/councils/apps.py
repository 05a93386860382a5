from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _area_panel(request: HttpRequest, *, area: Any) -> dict[str, Any] | None:
    from . import selectors

    found = selectors.area_councils(area)
    return None if found is None else {"found": found}


def _object_panel(request: HttpRequest, *, obj: Any) -> dict[str, Any] | None:
    """At the foot of an initiative's page: the council it is addressed to, and for the
    area's broker or coordinator the way to hand it to the council."""
    from wijkwerk.initiatives.models import Initiative
    from wijkwerk.initiatives.states import AWAITING_DECISION

    if not isinstance(obj, Initiative):
        return None
    may_hand = (
        obj.deciding_council_id is None
        and obj.status in AWAITING_DECISION
        and request.user.has_perm("councils.hand_to_council", obj)
    )
    if obj.deciding_council_id is None and not may_hand:
        return None
    return {"initiative": obj, "may_hand": may_hand}


def _meeting_panel(request: HttpRequest, *, obj: Any) -> dict[str, Any] | None:
    """At the foot of a council meeting's event page: the way to its agenda, documents, decisions
    and minutes, and to the council (events sits below councils and does not know them)."""
    from wijkwerk.events.models import Event

    from .models import Meeting

    if not isinstance(obj, Event) or obj.council_id is None:
        return None
    meeting = Meeting.objects.filter(event=obj).only("pk").first()
    if meeting is None:
        return None
    return {"meeting": meeting, "meeting_council": obj.council}


class CouncilsConfig(AppConfig):
    name = "wijkwerk.councils"
    label = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions, notifications, rules  # noqa: F401

        audit_actions.register()
        notifications.register()
        # the councils with their next meeting, and their recent decisions,
        # after the coming events (40) and the news (45): the next meeting and what it decided
        register(
            Panel(
                "area",
                "councils",
                "councils/_area_panel.html",
                _area_panel,
                max_queries=2,
                order=47,
                shared=True,
                depends_on=(
                    "areas.AreaCouncil",
                    "councils.Meeting",
                    "events.Event",
                    "councils.CouncilDecision",
                    "initiatives.Initiative",
                    "areas.Municipality",
                ),
            )
        )
        register(
            Panel(
                "object",
                "councils",
                "councils/_initiative_panel.html",
                _object_panel,
                max_queries=1,
            )
        )
        # a meeting's event page leads to the meeting (agenda, decisions) and the council
        register(
            Panel(
                "object",
                "councils_meeting",
                "councils/_meeting_panel.html",
                _meeting_panel,
                max_queries=2,
                order=5,
            )
        )
