"""
Rebuild the article search index from scratch.

Usage::

    manage.py rebuild_search_index                  # empty the index, index every article
    manage.py rebuild_search_index --dry-run        # report what would be indexed, write nothing
    manage.py rebuild_search_index --batch-size 500

The index normally follows every change by itself (signals, the importer); run this
after restoring a backup, after raw SQL changes, or if search results look stale. The
rebuild runs in one transaction: readers see the old index until it commits. On SQLite
it ends with ANALYZE so the query planner has current statistics.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from articles.models import Article
from articles.search import index, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the article search index from scratch (SQLite FTS5 or PostgreSQL tsvector)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be indexed; change nothing"
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help="articles read and written per batch (default 1000)",
        )

    def handle(self, *args, **options):
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError(f"--batch-size must be at least 1 (got {batch_size})")
        if not index.supported():
            raise CommandError(
                f"search index needs SQLite or PostgreSQL; this database is {connection.vendor}"
            )
        verbosity = options["verbosity"]
        total = Article.objects.count()
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: would index {total} articles (index now holds {index.indexed_count()})."
            )
            return

        def progress(done, of):
            if verbosity >= 2:
                self.stdout.write(f"  {done}/{of}")

        started = time.monotonic()
        with transaction.atomic():
            done = rebuild_index(batch_size=batch_size, progress=progress)
        if connection.vendor == "sqlite":
            # Fresh statistics tell the planner to start from the few index matches rather
            # than from the (unselective) status index.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"Indexed {done} articles in {time.monotonic() - started:.1f} s.")
            )
