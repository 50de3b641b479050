"""The search index: an FTS5 table on SQLite, a tsvector table with GIN indexes on PostgreSQL.

Not a Django model: the tables are written and read with SQL by articles.search.index.
Migration 0003 (re)creates the tables in their current layout and indexes existing articles.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    # The tables' layout changed in 0003, which drops, recreates and fills them.
    from articles.search import index

    index.create_tables(schema_editor)


def drop_index(apps, schema_editor):
    from articles.search import index

    index.drop_tables(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
