from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowsConfig(AppConfig):
    name = "wijkwerk.follows"
    label = "follows"
    verbose_name = _("Follow and digests")

    def ready(self) -> None:
        from . import audit_actions, notifications, panels, registry

        registry.register_defaults()
        audit_actions.register()
        notifications.register()
        panels.register()
