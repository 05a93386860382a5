"""A GIN index for the full-text search of the public list, on PostgreSQL only.

The expression must be the same as the one `selectors.public_initiatives` searches with, so the
planner can use it. SQLite has no full-text operators here and searches with icontains instead.
"""

from django.db import migrations

INDEX = "initiative_search_gin"
EXPRESSION = (
    "(setweight(to_tsvector('dutch'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('dutch'::regconfig, COALESCE(summary, '')), 'B'))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON initiatives_initiative USING gin ({EXPRESSION})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_initiative_lifecycle")]

    operations = [migrations.RunPython(create, drop)]
