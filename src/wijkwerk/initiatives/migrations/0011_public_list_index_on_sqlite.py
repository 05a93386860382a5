"""The public list's index again on SQLite, where a later migration had lost it.

Migration 0007 keeps `initiative_public_list` out of the model's state (its definition differs per
database). SQLite alters a table by making it anew from the model's state, so the first such
alteration after 0007 (0008's new fields) dropped the index there, and the list sorted every public
row again (10,000 initiatives: 14 ms of SQL for page 50 instead of about 2). PostgreSQL alters in
place and kept it. `tests/initiatives/test_search_and_queries.py` checks that the index exists on
both databases, so a future alteration that drops it again fails the suite; the next migration
that alters this table on SQLite must end with the same RunPython.
"""

from django.db import migrations

NAME = "initiative_public_list"
COLUMNS = "consent_to_publish, submitted_at DESC, id DESC, status"


def create_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON initiatives_initiative ({COLUMNS})", params=None
        )


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0010_pending_upload")]

    operations = [migrations.RunPython(create_on_sqlite, migrations.RunPython.noop)]
