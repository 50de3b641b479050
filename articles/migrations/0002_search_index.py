"""The search index: an FTS5 table on SQLite, a tsvector table with GIN indexes on PostgreSQL.

Not a Django model: the tables are written and read with SQL by articles.search.index.
Existing articles are indexed here, so an upgraded database can be searched at once.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from articles.search import index, rebuild_index

    index.create_tables(schema_editor)
    if index.supported(schema_editor.connection):
        rebuild_index(apps=apps)


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
