"""Full-text search that the database answers from an index, on both databases.

PostgreSQL: a stored generated column `search_document` (the same Dutch, weighted expression as
migration 0003's index) with a GIN index, replacing that expression index. The list checks the
stored vector instead of computing `to_tsvector` for every row it walks: a search with an area
filter walked about 2,000 rows at ~7 µs each. The column is not a model field; the selectors
read it through `selectors.SearchDocument`. Changing the type of `title` or `summary` later needs
the column dropped and added again (PostgreSQL refuses to alter a column a generated one uses).

SQLite: an FTS5 table `initiatives_initiative_search` over title and summary with the trigram
tokenizer (case-insensitive substring matches, as the list's former `icontains` search, but from
an index), kept in sync by triggers. A later migration that makes Django rebuild the initiatives
table on SQLite (most AlterField operations) drops these triggers with the old table and must
create them again; `test_sqlite_search_follows_changes` fails when that is forgotten.
"""

from django.db import migrations

PG_EXPRESSION = (
    "setweight(to_tsvector('dutch'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('dutch'::regconfig, COALESCE(summary, '')), 'B')"
)
PG_FORWARD = [
    "DROP INDEX IF EXISTS initiative_search_gin",
    "ALTER TABLE initiatives_initiative ADD COLUMN search_document tsvector "
    f"GENERATED ALWAYS AS ({PG_EXPRESSION}) STORED",
    "CREATE INDEX initiative_search_document ON initiatives_initiative "
    "USING gin (search_document)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS initiative_search_document",
    "ALTER TABLE initiatives_initiative DROP COLUMN IF EXISTS search_document",
    f"CREATE INDEX IF NOT EXISTS initiative_search_gin ON initiatives_initiative "
    f"USING gin (({PG_EXPRESSION}))",
]

SQLITE_TABLE = "initiatives_initiative_search"
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(title, summary, "
    "content='initiatives_initiative', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER {SQLITE_TABLE}_insert AFTER INSERT ON initiatives_initiative BEGIN
        INSERT INTO {SQLITE_TABLE}(rowid, title, summary) VALUES (new.id, new.title, new.summary);
    END""",
    f"""CREATE TRIGGER {SQLITE_TABLE}_delete AFTER DELETE ON initiatives_initiative BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, title, summary)
        VALUES ('delete', old.id, old.title, old.summary);
    END""",
    f"""CREATE TRIGGER {SQLITE_TABLE}_update AFTER UPDATE OF title, summary
        ON initiatives_initiative BEGIN
        INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}, rowid, title, summary)
        VALUES ('delete', old.id, old.title, old.summary);
        INSERT INTO {SQLITE_TABLE}(rowid, title, summary) VALUES (new.id, new.title, new.summary);
    END""",
    f"INSERT INTO {SQLITE_TABLE}({SQLITE_TABLE}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {SQLITE_TABLE}_update",
    f"DROP TABLE IF EXISTS {SQLITE_TABLE}",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_FORWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_BACKWARD)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0005_public_list_index")]

    operations = [migrations.RunPython(forward, backward)]
