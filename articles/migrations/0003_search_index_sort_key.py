"""Search index keyed by issue date: the newest matches are read from the index alone.

Drops the 0002 tables, creates them in the current layout (see articles.search.index)
and indexes every existing article, so an upgraded database can be searched at once.
"""

from django.db import migrations


def recreate_index(apps, schema_editor):
    from articles.search import index, rebuild_index

    index.drop_tables(schema_editor)
    index.create_tables(schema_editor)
    if index.supported(schema_editor.connection):
        rebuild_index(apps=apps)


def drop_index(apps, schema_editor):
    from articles.search import index

    index.drop_tables(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_search_index"),
    ]

    operations = [
        migrations.RunPython(recreate_index, drop_index, elidable=False),
    ]
