from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "wijkwerk.surveys"
    label = "surveys"
    verbose_name = _("Polls and surveys")

    def ready(self) -> None:
        from . import audit_actions, notifications, panels

        audit_actions.register()
        notifications.register()
        panels.register()
