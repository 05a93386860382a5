from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wijkwerk.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core import checks
        from django.db.backends.signals import connection_created

        from .ratelimit import check_rate_limits
        from .similarity import register_sqlite_functions

        checks.register(check_rate_limits)
        connection_created.connect(register_sqlite_functions, dispatch_uid="wijkwerk_similarity")
