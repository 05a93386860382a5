"""The table of the database cache that every app process shares (settings.CACHES).

Made here so that `migrate` is the one step a deployment needs. `createcachetable` does the same
and leaves tables that exist alone; Django runs it when it creates the test database.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    for cache in settings.CACHES.values():
        if cache["BACKEND"] == DATABASE_CACHE:
            table = schema_editor.quote_name(cache["LOCATION"])
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_event_municipality")]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables, elidable=False)]
