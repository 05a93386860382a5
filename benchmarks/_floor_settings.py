"""The floor of ``./dev bench budgeting``: the site's own settings (middleware, sessions in the
database, CSRF, the logged-in user) with one URL only, ``_floor_urls``."""

from wijkwerk.settings import *  # noqa: F403

ROOT_URLCONF = "_floor_urls"
