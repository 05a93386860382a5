"""Full-text search of offers on PostgreSQL: a stored generated column `search_document` (the
title and the tags weighted A, the description B, with the Dutch configuration) and a GIN index.
The column is not a model field; `selectors.SearchDocument` reads it. SQLite has no column and
searches with icontains (selectors.search_offers). Changing the type of `title`, `tags_text` or
`description` later needs the column dropped and added again."""

from django.db import migrations

PG_EXPRESSION = (
    "setweight(to_tsvector('dutch'::regconfig, COALESCE(title, '') || ' ' || "
    "COALESCE(tags_text, '')), 'A') || "
    "setweight(to_tsvector('dutch'::regconfig, COALESCE(description, '')), 'B')"
)
PG_FORWARD = [
    "ALTER TABLE expertise_offer ADD COLUMN search_document tsvector "
    f"GENERATED ALWAYS AS ({PG_EXPRESSION}) STORED",
    "CREATE INDEX offer_search_document ON expertise_offer USING gin (search_document)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS offer_search_document",
    "ALTER TABLE expertise_offer DROP COLUMN IF EXISTS search_document",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("expertise", "0001_offers_and_questions")]

    operations = [migrations.RunPython(forward, backward)]
