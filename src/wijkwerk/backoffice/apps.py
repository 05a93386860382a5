from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "wijkwerk.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        register(Panel("nav", "backoffice", "backoffice/_nav.html", order=50))
