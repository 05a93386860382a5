"""Who approved (payment needs another official), the account the grant is paid to, and the
amount finally set on accepting the accountability.

On SQLite, adding NOT NULL columns makes Django rebuild the initiatives table, which drops the
search triggers of migration 0006 with the old table; they are created again here.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

search = importlib.import_module("wijkwerk.initiatives.migrations.0006_search_documents")


def recreate_sqlite_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    triggers = [s for s in search.SQLITE_FORWARD if s.startswith("CREATE TRIGGER")]
    for statement in [*search.SQLITE_BACKWARD[:3], *triggers]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0007_public_list_drafts_last"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="approved by",
            ),
        ),
        migrations.AddField(
            model_name="initiative",
            name="payee_iban",
            field=models.CharField(blank=True, max_length=34, verbose_name="IBAN"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="payee_name",
            field=models.CharField(blank=True, max_length=70, verbose_name="account holder"),
        ),
        migrations.AddField(
            model_name="initiative",
            name="final_cents",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="amount finally set"
            ),
        ),
        migrations.RunPython(recreate_sqlite_search_triggers, migrations.RunPython.noop),
    ]
