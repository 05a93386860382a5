"""The funds' audit actions follow the one naming rule, "<object>.<verb>" ("fund.update",
"ledger.commit"), as every other app's; events recorded before keep working (issue 10)."""

from django.db import migrations

RENAMED = {
    "funds.scheme_created": "scheme.create",
    "funds.scheme_updated": "scheme.update",
    "funds.category_created": "category.create",
    "funds.category_updated": "category.update",
    "funds.fund_created": "fund.create",
    "funds.fund_updated": "fund.update",
    "funds.commitment": "ledger.commit",
    "funds.payment": "ledger.pay",
    "funds.release": "ledger.release",
    "funds.refund": "ledger.refund",
    "funds.correction": "ledger.correct",
    "funds.payment_batch": "payment_batch.create",
}


def rename(apps, schema_editor, mapping=RENAMED):
    events = apps.get_model("core", "AuditEvent").objects
    for old, new in mapping.items():
        events.filter(action=old).update(action=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0003_payments"),
        ("core", "0003_cache_table"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
