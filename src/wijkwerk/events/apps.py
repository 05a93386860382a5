from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "wijkwerk.events"
    label = "events"
    verbose_name = _("Meetings and events")

    def ready(self) -> None:
        from . import audit_actions, notifications, panels

        audit_actions.register()
        notifications.register()
        panels.register()
