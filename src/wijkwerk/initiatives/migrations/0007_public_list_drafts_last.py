"""The public list's index sorts drafts (no submission date) last, as the list's order does.

The list walks `initiative_public_list` in its order (no sort of all public rows) and checks the
status from it; counting reads the index alone. The list orders by `submitted_at DESC NULLS
LAST`. On PostgreSQL, where a descending index puts NULLs first, the list walked past every
draft before its first row; the index is made again with NULLS LAST. SQLite sorts NULLs last in
a descending index already and cannot declare NULLS LAST in one, so its index stays as it was.
Since the definitions differ per database, the index is no longer in the model's state.
"""

from django.db import migrations

NAME = "initiative_public_list"
COLUMNS = "consent_to_publish, submitted_at DESC{nulls}, id DESC, status"


def _replace(schema_editor, nulls):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}", params=None)
    schema_editor.execute(
        f"CREATE INDEX {NAME} ON initiatives_initiative ({COLUMNS.format(nulls=nulls)})",
        params=None,
    )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _replace(schema_editor, " NULLS LAST")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _replace(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0006_search_documents")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="initiative", name="initiative_public_list")
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        )
    ]
