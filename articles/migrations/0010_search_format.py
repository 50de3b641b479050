"""Which row format the search index holds, so the index is rebuilt when it changes.

Format 2: the PostgreSQL documents carry date bucket lexemes (``~y2020``, ``~m202010``)
that the search reads its newest-first window by. The ``post_migrate`` hook in
articles/apps.py compares the stored format with the one the code writes and rebuilds
the index (and records the format) when they differ — the data step stays out of the
migration, which is plain SQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_page_freshness"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE TABLE articles_searchformat (version integer NOT NULL)",
            "DROP TABLE articles_searchformat",
        ),
    ]
