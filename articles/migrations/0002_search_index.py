"""The search index: an FTS5 table on SQLite, a tsvector table with GIN indexes on PostgreSQL.

Not a Django model: the tables are written and read with SQL by articles.search.index.
Plain SQL, frozen here (a migration never imports application code); 0003 recreates
the tables in the layout they have had since.
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


def run(statements):
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}),
            run({"sqlite": SQLITE_DROP, "postgresql": PG_DROP}),
            elidable=False,
        ),
    ]
