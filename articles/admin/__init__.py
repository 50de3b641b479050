"""The editors' workspace: review what the import guessed, fix it, publish.

Every content change made here marks the article as edited (``Article.mark_edited``)
so a later re-import keeps it, and is recorded in the admin history (LogEntry) with
the editor's name. Merge and split are thin shells over :mod:`articles.editing`.

One module per kind of code: ``forms`` (model forms and fields), ``filters`` (list
filters), ``inlines``, ``articles`` (the article admin), ``merge_split`` (its merge
action and split view), ``content`` (issues, pages, people, columns, photos) and
``imports`` (what the import wrote, read-only). Importing this package registers them.
"""

from django.conf import settings
from django.contrib import admin

from . import articles, content, imports  # noqa: F401  registers the model admins

PAPER = settings.NEWSROOM_PAPER_NAME
admin.site.site_header = f"{PAPER} 编辑部"
admin.site.site_title = f"{PAPER} 编辑部"
admin.site.index_title = "稿件编辑与发布"
admin.site.site_url = "/"
