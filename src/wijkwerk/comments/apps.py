from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "wijkwerk.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from . import audit_actions, notifications, panels, registry

        audit_actions.register()
        notifications.register()
        panels.register()
        registry.register_defaults()
