"""PostgreSQL search rows hold the folded text; the pair tsvector loses its positions.

One row per article: ``head`` and ``body`` are the folded blocks joined by newlines, ``doc``
every pair once without positions, plus the date bucket lexemes. GIN then answers "has
every pair" exactly without reading the row's tsvector (no positions to check), and a
term of three or more characters is checked with ``strpos`` on the short folded text —
the check that used to read and position-check each candidate's tsvector (see
docs/search.md). Without positions no article needs several rows (a tsvector kept 16,383
positions, 256 per lexeme), so ``part`` goes and ``article_id`` is the key.

Plain SQL, frozen here (a migration never imports application code). The table is
recreated empty; the ``post_migrate`` hook in articles/apps.py refills it, because the
stored format (0010) differs from the one the code writes (3). SQLite is unchanged.
"""

from django.db import migrations

PG_CREATE = [
    "DROP TABLE IF EXISTS articles_searchdoc",
    "CREATE TABLE articles_searchdoc ("
    " article_id bigint NOT NULL PRIMARY KEY,"
    " sort_key bigint NOT NULL,"
    " head text NOT NULL,"
    " body text NOT NULL,"
    " doc tsvector NOT NULL)",
    "CREATE INDEX articles_searchdoc_doc_gin ON articles_searchdoc USING gin (doc)",
    "CREATE INDEX articles_searchdoc_sort_key ON articles_searchdoc (sort_key)",
    "DELETE FROM articles_searchformat",  # the rows are gone: the hook rebuilds them
]
PG_RESTORE = [  # the layout of 0003
    "DROP TABLE IF EXISTS articles_searchdoc",
    "CREATE TABLE articles_searchdoc ("
    " article_id bigint NOT NULL,"
    " part smallint NOT NULL DEFAULT 0,"
    " sort_key bigint NOT NULL,"
    " head tsvector,"
    " doc tsvector NOT NULL,"
    " PRIMARY KEY (article_id, part))",
    "CREATE INDEX articles_searchdoc_doc_gin ON articles_searchdoc USING gin (doc)",
    "CREATE INDEX articles_searchdoc_sort_key ON articles_searchdoc (sort_key)",
    "CREATE INDEX articles_searchdoc_head_gin ON articles_searchdoc USING gin (head) WHERE head IS NOT NULL",
    "DELETE FROM articles_searchformat",  # the rows are gone: the hook rebuilds them
]


def text_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_CREATE:
            schema_editor.execute(statement)


def position_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PG_RESTORE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_importrun_interrupted"),
    ]

    operations = [
        migrations.RunPython(text_rows, position_rows, elidable=False),
    ]
