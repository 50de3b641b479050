from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "报纸内容"

    def ready(self):
        # Each module connects its own signal handlers.
        from . import changes, checks, editing, photo_files, roles  # noqa: F401  change path; revisions; 编辑
        from .cache import bump_content_version  # noqa: F401  reader page cache: a change-path receiver
        from .search import signals  # noqa: F401  search index: a change-path receiver

        post_migrate.connect(search_index_current, sender=self, dispatch_uid="search_index_current")


def search_index_current(sender, using="default", verbosity=1, **kwargs):
    """After ``migrate``: rebuild the search index if it holds an older row format.

    The migrations create the index tables with plain SQL; filling them needs the
    application's tokenizer, so it happens here, with the current code, once per format.
    """
    from django.db import connections, transaction

    from .search import index, rebuild_index

    connection = connections[using]
    if not index.supported(connection):
        return
    stored = index.stored_format(connection)
    if stored is None and index.META_TABLE not in connection.introspection.table_names():
        return  # migrated backwards past 0010
    if stored == index.FORMAT:
        return
    with transaction.atomic(using=using):
        done = rebuild_index()
        index.set_format()
    if verbosity >= 1 and done:
        print(f"Search index rebuilt in format {index.FORMAT}: {done} articles.")
