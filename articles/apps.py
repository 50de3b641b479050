from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "报纸内容"

    def ready(self):
        # Each module connects its own signal handlers.
        from . import changes, checks, roles  # noqa: F401  change path; deployment checks; 编辑
        from .cache import bump_content_version  # noqa: F401  reader page cache: a change-path receiver
        from .search import signals  # noqa: F401  search index: a change-path receiver
