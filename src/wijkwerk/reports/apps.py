from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "wijkwerk.reports"
    label = "reports"
    verbose_name = _("Quarterly reports")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions, notifications

        audit_actions.register()
        notifications.register()
        register(Panel("nav", "reports", "reports/_nav.html", order=70))
