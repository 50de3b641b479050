from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "报纸内容"

    def ready(self):
        # Each module connects its own signal handlers.
        from . import roles  # noqa: F401  the 编辑 group
        from .cache import bump_content_version  # noqa: F401  reader page cache: connects its handlers
        from .search import signals  # noqa: F401  keeps the search index in step
