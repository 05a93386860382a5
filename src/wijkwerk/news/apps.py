from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "wijkwerk.news"
    label = "news"
    verbose_name = _("News")

    def ready(self) -> None:
        from . import audit_actions, notifications, panels

        audit_actions.register()
        notifications.register()
        panels.register()
