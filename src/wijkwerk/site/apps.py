from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The public front pages (home, about): composed of the panels the domain apps register, so
    they sit above every domain and core knows none."""

    name = "wijkwerk.site"
    label = "site"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from wijkwerk.core.panels import Panel, register

        register(Panel("nav", "site", "site/_nav.html", order=0))
        register(Panel("footer", "site", "site/_footer.html", order=0))
