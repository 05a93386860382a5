from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "wijkwerk.funds"
    label = "funds"
    verbose_name = _("Funds")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions

        audit_actions.register()
        # The fund overview (with its exports) in the main navigation, for who may see funds.
        register(Panel("nav", "funds", "funds/_nav.html", order=20))
