"""Texts of the framework that its own Dutch catalogue does not have yet (Django 6.1's new empty
choice of a select). Named here so that `makemessages` keeps them in core's catalogue, which
Django reads before its own: no English on a Dutch page, also where a form uses the default."""

from django.utils.translation import gettext_noop

FRAMEWORK_TEXTS = (gettext_noop("- Select an option -"),)
