"""Keep the search index in step with the content: one receiver on the change path.

Whatever wrote the content (admin, API, editing functions, the importer, a shell; model
saves or bulk queryset writes), :mod:`articles.changes` sends the transaction's changes
once, just before it commits; the articles whose indexed text may have changed are
reindexed here, in the same transaction, so a committed article is always searchable and
a rolled-back or killed transaction leaves nothing half-indexed.
"""

from __future__ import annotations

from django.dispatch import receiver

from articles.changes import changes_committing

from . import reindex_articles


@receiver(changes_committing, dispatch_uid="search-index")
def reindex_changed(sender, changes, using, **kwargs):
    if changes.articles:
        reindex_articles(changes.articles, documents=changes.documents)
