"""PostgreSQL: the search rows' pair tsvector is stored without compression.

``doc`` (every pair of an article once, no positions) is read by its GIN index only —
a search never reads the tsvector back — and a list of distinct character pairs barely
compresses, so pglz's attempt on every row was pure cost: about 0.8 ms of server CPU
per imported page of the bench (README). ``STORAGE EXTERNAL`` keeps it out of line,
uncompressed; rows written before keep their form. Plain SQL; SQLite: nothing to do.
"""

from django.db import migrations


def storage(kind):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE articles_searchdoc ALTER COLUMN doc SET STORAGE {kind}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_photocredit_print_order"),
    ]

    operations = [
        migrations.RunPython(storage("EXTERNAL"), storage("EXTENDED"), elidable=False),
    ]
