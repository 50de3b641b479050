"""Inlines: bylines, photos and credits on their article; articles and photos on their page."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from ..models import Article, Byline, Page, Photo, PhotoCredit
from .forms import ArticlePhotoForm, BylineForm, PhotoForm, thumbnail_html


class BylineInline(admin.TabularInline):
    model = Byline
    form = BylineForm
    fields = ("person", "role", "order", "loaded_row")
    autocomplete_fields = ("person",)
    extra = 0
    ordering = ("order", "pk")


class ArticlePhotoInline(admin.StackedInline):
    """Photos illustrating the article; new ones go on the article's page, after its other photos."""

    model = Photo
    form = ArticlePhotoForm
    fk_name = "article"
    fields = (("image", "thumbnail_preview"), "title", "caption", "credits_text", "agency", "loaded_row")
    readonly_fields = ("thumbnail_preview",)
    extra = 0
    ordering = ("position",)
    verbose_name = "配图"
    verbose_name_plural = "配图"

    @admin.display(description="缩略图")
    def thumbnail_preview(self, photo):
        return thumbnail_html(photo)


class PhotoCreditInline(admin.TabularInline):
    model = PhotoCredit
    fields = ("person", "role", "order")
    autocomplete_fields = ("person",)
    extra = 0


class PageArticleInline(admin.TabularInline):
    """The page's articles in page order (edit them on their own form)."""

    model = Article
    fields = ("position", "title", "column", "status", "needs_review", "edited")
    readonly_fields = fields
    ordering = ("position",)
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class PagePhotoInline(admin.StackedInline):
    """The page's photos, stacked so the form fits the window (a row of upload, caption and
    article fields was twice as wide as a 1280 px screen)."""

    model = Photo
    form = PhotoForm
    fk_name = "page"
    fields = (("position", "article"), ("image", "thumbnail_preview"), "title", "caption", "agency")
    verbose_name = "本版图片"
    verbose_name_plural = "本版图片"
    readonly_fields = ("thumbnail_preview",)
    ordering = ("position",)
    extra = 0

    @admin.display(description="缩略图")
    def thumbnail_preview(self, photo):
        return thumbnail_html(photo)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields.get("article")
        if field is not None:  # only this page's articles can be illustrated by its photos
            field.queryset = Article.objects.filter(page=obj) if obj else Article.objects.none()
        return formset


class PageInline(admin.TabularInline):
    model = Page
    fields = ("number", "name", "article_count")
    readonly_fields = ("article_count",)
    ordering = ("number",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description="稿件数")
    def article_count(self, page):
        return getattr(page, "n_articles", "—")
