"""The article admin's merge action and split view (thin shells over articles.editing)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from ..editing import EditingError, default_split_title, merge_articles, split_article
from ..models import Article
from .forms import SplitForm


class MergeSplitMixin:
    """Mixed into ArticleAdmin: the “merge selected” and “split” actions and the split page."""

    @admin.action(description="合并所选稿件（同一版面）", permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        articles = list(queryset.select_related("page__issue").order_by("page_id", "position"))
        problem = None
        if len(articles) < 2:
            problem = "请至少选择两篇稿件才能合并。"
        elif len({a.page_id for a in articles}) > 1:
            pages = "、".join(sorted({str(a.page) for a in articles}))
            problem = f"只能合并同一版面的稿件，所选稿件分属不同版面：{pages}。"
        if problem:
            self.message_user(request, problem, messages.ERROR)
            return None
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "确认合并稿件",
                "opts": self.model._meta,
                "articles": articles,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "media": self.media,
            }
            return TemplateResponse(request, "admin/articles/article/merge_confirmation.html", context)
        rest = articles[1:]
        try:
            with transaction.atomic():
                self.log_deletions(request, Article.objects.filter(pk__in=[a.pk for a in rest]))
                merged = merge_articles(articles, request.user)  # records the edit (history, revision)
        except EditingError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        self.message_user(
            request, f"已把 {len(articles)} 篇稿件合并为“{merged.title}”，请核对正文。", messages.SUCCESS
        )
        # The editor lands on the merged article, to check the joined text.
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[quote(merged.pk)]))

    @admin.action(description="拆分稿件（只选一篇）", permissions=["change"])
    def split_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "拆分时请只选择一篇稿件。", messages.ERROR)
            return None
        return HttpResponseRedirect(reverse("admin:articles_article_split", args=[quote(queryset.get().pk)]))

    # the split page

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/split/",
                self.admin_site.admin_view(self.split_view),
                name="articles_article_split",
            )
        ]
        return urls + super().get_urls()

    def split_view(self, request, object_id):
        article = get_object_or_404(Article.objects.select_related("page__issue"), pk=object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[quote(article.pk)])
        if len(article.body or []) < 2:
            self.message_user(request, "这篇稿件的正文不足两段，无法拆分。", messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method == "POST":
            form = SplitForm(request.POST, article=article)
            if form.is_valid():
                try:
                    new = split_article(
                        article, form.cleaned_data["block"], request.user, form.cleaned_data["title"]
                    )
                except EditingError as exc:
                    form.add_error(None, str(exc))
                else:  # split_article recorded both edits (history, revisions)
                    self.message_user(
                        request,
                        format_html(
                            '已拆分：后半部分成为新稿件 <a href="{}">{}</a>（本版第 {} 篇）。',
                            reverse("admin:articles_article_change", args=[quote(new.pk)]),
                            new.title,
                            new.position,
                        ),
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url)
        else:
            middle = len(article.body) // 2 or 1
            form = SplitForm(
                article=article, initial={"block": middle, "title": default_split_title(article, middle)}
            )
        blocks = [
            {
                "index": i,
                "type": b.get("type"),
                "text": b.get("text", ""),
                "suggested_title": default_split_title(article, i) if i >= 1 else "",
            }
            for i, b in enumerate(article.body)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": f"拆分稿件：{article.title}",
            "opts": self.model._meta,
            "original": article,
            "form": form,
            "blocks": blocks,
            "selected": str(form["block"].value()),
            "change_url": change_url,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/articles/article/split.html", context)
