from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "wijkwerk.challenges"
    label = "challenges"
    verbose_name = _("Right to challenge")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        from . import audit_actions, notifications

        audit_actions.register()
        notifications.register()
        register(Panel("nav", "challenges", "challenges/_nav.html", order=40))
