"""PostgreSQL: a covering index of what ranking a search's window reads of an article.

A search ranks its window (up to 2,000 articles) by the article's own copies of its issue
date, page number and position, and keeps those readers may see (status, publication
time) or the search page asks for (column). Read through the primary key, each of the
2,000 is a heap fetch of a ~2.5 KB row (three to a table page); this index holds those
columns beside the id, so the ranking and the result count are index-only scans once the
table is vacuumed (articles/search/__init__.py, ``_SlicedRows``; docs/search.md).

Plain SQL, frozen here; SQLite (which ranks its window from FTS5 rowids) gets nothing.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS article_search_rank_idx ON articles_article (id) "
    "INCLUDE (status, published_at, issue_date, page_number, position, column_id)"
)
DROP = "DROP INDEX IF EXISTS article_search_rank_idx"


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_searchdoc_doc_uncompressed"),
    ]

    operations = [
        migrations.RunPython(run(CREATE), run(DROP), elidable=False),
    ]
