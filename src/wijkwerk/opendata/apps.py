from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "wijkwerk.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        # the page about the API, findable from every page (after the site's own links)
        register(Panel("footer", "opendata", "opendata/_footer.html", order=90))
