from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "wijkwerk.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        register(Panel("nav", "accounts", "accounts/_nav.html", order=90))
