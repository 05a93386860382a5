"""On PostgreSQL the database itself refuses UPDATE and DELETE on ledger entries.

The model and queryset refuse them too, but only a trigger stops raw SQL, other clients and bugs.
TRUNCATE (what test databases are flushed with on PostgreSQL) fires no row trigger. SQLite gets
no trigger: Django flushes SQLite test databases with DELETE, which a trigger would block.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION funds_ledgerentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funds_ledgerentry is append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funds_ledgerentry_no_update_or_delete
    BEFORE UPDATE OR DELETE ON funds_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION funds_ledgerentry_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS funds_ledgerentry_no_update_or_delete ON funds_ledgerentry;
DROP FUNCTION IF EXISTS funds_ledgerentry_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
