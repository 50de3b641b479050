"""SQLite: let the FTS5 index hold a whole import batch in memory before writing it.

FTS5 keeps the tokens of the rows a transaction inserts in an in-memory hash and writes
them as a new index segment when the hash passes ``hashsize`` (default 1 MB) and at the
commit. An import batch (50 pages, about 350 articles of ~900 pair tokens) is a few MB:
with the default it was written as several small segments per batch, which FTS5 then
merges again. With 16 MB a batch becomes one segment at its commit, and the index insert
costs about 40 % less (bench figures in the README). The setting is stored in the index
(its ``articles_search_config`` table). PostgreSQL: nothing to do.
"""

from django.db import migrations

HASHSIZE = 16 * 1024 * 1024
DEFAULT_HASHSIZE = 1024 * 1024


def set_hashsize(size):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f"INSERT INTO articles_search (articles_search, rank) VALUES ('hashsize', {int(size)})"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_search_text_rows"),
    ]

    operations = [
        migrations.RunPython(set_hashsize(HASHSIZE), set_hashsize(DEFAULT_HASHSIZE), elidable=False),
    ]
