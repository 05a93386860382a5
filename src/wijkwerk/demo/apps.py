from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo (Oosterhout and Oss): loaders that write through every app's services, so it sits
    above all of them."""

    name = "wijkwerk.demo"
    label = "demo"
    verbose_name = _("Demo")
