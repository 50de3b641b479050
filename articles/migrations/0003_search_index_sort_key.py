"""Search index keyed by issue date: the newest matches are read from the index alone.

Drops the 0002 tables and creates them in the sort-key layout (plain SQL, frozen
here). The rows are filled after ``migrate`` by the ``post_migrate`` hook in
articles/apps.py, which rebuilds the index whenever its stored format (0010) is not the
one the code writes — a migration never imports application code.
"""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5("
    "head, body, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TABLE IF NOT EXISTS articles_searchkey "
    "(article_id INTEGER PRIMARY KEY, sort_key INTEGER NOT NULL)",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS articles_search", "DROP TABLE IF EXISTS articles_searchkey"]
PG_CREATE = [
    "CREATE TABLE IF NOT EXISTS articles_searchdoc ("
    " article_id bigint NOT NULL,"
    " part smallint NOT NULL DEFAULT 0,"
    " sort_key bigint NOT NULL,"
    " head tsvector,"
    " doc tsvector NOT NULL,"
    " PRIMARY KEY (article_id, part))",
    "CREATE INDEX IF NOT EXISTS articles_searchdoc_doc_gin ON articles_searchdoc USING gin (doc)",
    "CREATE INDEX IF NOT EXISTS articles_searchdoc_sort_key ON articles_searchdoc (sort_key)",
    "CREATE INDEX IF NOT EXISTS articles_searchdoc_head_gin ON articles_searchdoc USING gin (head) "
    "WHERE head IS NOT NULL",
]
PG_DROP = ["DROP TABLE IF EXISTS articles_searchdoc"]


def recreate_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_DROP + SQLITE_CREATE, "postgresql": PG_DROP + PG_CREATE}.get(
        vendor, []
    ):
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    for statement in {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_index"),
    ]

    operations = [
        migrations.RunPython(recreate_index, drop_index, elidable=False),
    ]
