"""The article admin's revisions: the list, a diff between any two, restore in one click.

Thin views over :mod:`articles.editing` (``article_versions``, ``diff_revisions``,
``restore_revision``); the revisions themselves are django-reversion's, kept by
``record_edit`` on every change (admin, API, merge, split, re-import).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..editing import EditingError, article_versions, diff_revisions, restore_revision
from ..models import Article


class RevisionsMixin:
    """Mixed into ArticleAdmin: 版本记录 (list), 比较 (diff of two), 恢复 (restore)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        urls = [
            path("<path:object_id>/revisions/", view(self.revisions_view), name="articles_article_revisions"),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.compare_view),
                name="articles_article_revisions_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                view(self.restore_view),
                name="articles_article_revisions_restore",
            ),
        ]
        return urls + super().get_urls()

    def _article(self, request, object_id, change=False) -> Article:
        article = get_object_or_404(Article.objects.select_related("page__issue"), pk=object_id)
        allowed = self.has_change_permission if change else self.has_view_or_change_permission
        if not allowed(request, article):
            raise PermissionDenied
        return article

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "original": article,
            "change_url": reverse("admin:articles_article_change", args=[quote(article.pk)]),
            "revisions_url": reverse("admin:articles_article_revisions", args=[quote(article.pk)]),
            "media": self.media,
            **extra,
        }

    def revisions_view(self, request, object_id):
        article = self._article(request, object_id)
        versions = list(article_versions(article))
        context = self._context(
            request,
            article,
            f"版本记录：{article.title}",
            versions=versions,
            can_restore=self.has_change_permission(request, article),
            compare_url=reverse("admin:articles_article_revisions_compare", args=[quote(article.pk)]),
        )
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def compare_view(self, request, object_id):
        article = self._article(request, object_id)
        versions = {v.pk: v for v in article_versions(article)}
        try:
            old, new = versions[int(request.GET.get("a", ""))], versions[int(request.GET.get("b", ""))]
        except (KeyError, ValueError) as exc:
            raise Http404("没有这两个版本") from exc
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = self._context(
            request, article, f"比较版本：{article.title}", old=old, new=new, diff=diff_revisions(old, new)
        )
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def restore_view(self, request, object_id, version_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self._article(request, object_id, change=True)
        change_url = reverse("admin:articles_article_change", args=[quote(article.pk)])
        try:
            restore_revision(article.pk, version_id, request.user)
        except EditingError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_revisions", args=[quote(article.pk)]))
        self.message_user(
            request,
            "已恢复到所选版本（标题、正文、署名、配图），恢复本身也记入了版本记录。",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url)
