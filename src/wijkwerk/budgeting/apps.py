from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "wijkwerk.budgeting"
    label = "budgeting"
    verbose_name = _("Neighbourhood budgets")

    def ready(self) -> None:
        from . import audit_actions, notifications, panels

        audit_actions.register()
        notifications.register()
        panels.register()
