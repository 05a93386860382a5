from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "wijkwerk.funds"
    label = "funds"
    verbose_name = _("Funds")

    def ready(self) -> None:
        from . import audit_actions

        audit_actions.register()
