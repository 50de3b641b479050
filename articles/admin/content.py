"""Issues, pages, people, columns and photos."""

from __future__ import annotations

from django.contrib import admin
from django.db import connection
from django.db.models import Count
from django.utils.html import format_html

from ..editing import lock_page, record_edit
from ..models import Article, Column, Issue, Page, PageSource, Person, Photo
from .forms import ColumnForm, PhotoForm, thumbnail_html
from .inlines import PageArticleInline, PageInline, PagePhotoInline, PhotoCreditInline


class LocksPageOnSave:
    """A save here writes a page's content: lock the page first (the rule for every writer)."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST" and connection.in_atomic_block:
            lock_page(obj.pk if isinstance(obj, Page) else obj.page_id)
        return obj


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ("__str__", "date", "number", "date_estimated", "page_count", "article_count")
    list_filter = ("date_estimated",)
    date_hierarchy = "date"
    search_fields = ("date", "number")
    ordering = ("-date",)
    inlines = (PageInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_pages=Count("pages", distinct=True), n_articles=Count("pages__articles", distinct=True)
            )
        )

    @admin.display(description="版数", ordering="n_pages")
    def page_count(self, issue):
        return issue.n_pages

    @admin.display(description="稿件数", ordering="n_articles")
    def article_count(self, issue):
        return issue.n_articles


@admin.register(Page)
class PageAdmin(LocksPageOnSave, admin.ModelAdmin):
    list_display = ("__str__", "issue", "number", "name", "article_count", "photo_count")
    list_filter = ("number", "name")
    list_select_related = ("issue",)
    date_hierarchy = "issue__date"
    search_fields = ("name", "issue__date")
    ordering = ("-issue__date", "number")
    autocomplete_fields = ("issue",)
    inlines = (PageArticleInline, PagePhotoInline)
    readonly_fields = ("source_filename", "source_text")
    fieldsets = (
        (None, {"fields": ("issue", "number", "name")}),
        ("OCR 原文（只读）", {"fields": ("source_filename", "source_text")}),
    )

    class Media:
        css = {"all": ("admin_extra/workspace.css",)}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=Count("articles", distinct=True), n_photos=Count("photos", distinct=True))
        )

    @admin.display(description="稿件数", ordering="n_articles")
    def article_count(self, page):
        return page.n_articles

    @admin.display(description="图片数", ordering="n_photos")
    def photo_count(self, page):
        return page.n_photos

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # A photo changed here is a change to the article it illustrates (before or after).
        touched = set()
        for photo_form in formset.forms:
            if photo_form.has_changed() and isinstance(photo_form.instance, Photo):
                touched |= {photo_form.instance.article_id, photo_form.initial.get("article")}
        for article in Article.objects.filter(pk__in=touched - {None}):
            record_edit(article, request.user, "在版面页修改了配图。")

    def _source(self, page):
        return PageSource.objects.filter(page_id=page.pk).first() if page and page.pk else None

    @admin.display(description="原文文件")
    def source_filename(self, page):
        source = self._source(page)
        return source.filename if source else "（没有原文）"

    @admin.display(description="OCR 原文")
    def source_text(self, page):
        source = self._source(page)
        if source is None:
            return "—"
        return format_html('<pre class="nr-source-text nr-source-page">{}</pre>', source.text)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "affiliation", "article_count", "photo_count")
    search_fields = ("name", "affiliation")
    ordering = ("name",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_articles=Count("bylines__article", distinct=True),
                n_photos=Count("photo_credits__photo", distinct=True),
            )
        )

    @admin.display(description="稿件数", ordering="n_articles")
    def article_count(self, person):
        return person.n_articles

    @admin.display(description="图片数", ordering="n_photos")
    def photo_count(self, person):
        return person.n_photos


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    form = ColumnForm
    list_display = ("name", "slug", "article_count")
    search_fields = ("name", "slug")
    ordering = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description="稿件数", ordering="n_articles")
    def article_count(self, column):
        return column.n_articles


@admin.register(Photo)
class PhotoAdmin(LocksPageOnSave, admin.ModelAdmin):
    form = PhotoForm
    list_display = ("thumbnail_preview", "__str__", "page", "position", "article")
    list_display_links = ("thumbnail_preview", "__str__")
    list_select_related = ("page__issue", "article")
    date_hierarchy = "page__issue__date"
    search_fields = ("title", "caption", "agency", "credits__person__name")
    ordering = ("-page__issue__date", "page__number", "position")
    autocomplete_fields = ("page", "article")
    fields = (
        "page",
        "position",
        "article",
        ("image", "thumbnail_preview"),
        "title",
        "caption",
        "agency",
        "warnings",
    )
    readonly_fields = ("thumbnail_preview", "warnings")
    inlines = (PhotoCreditInline,)

    class Media:
        css = {"all": ("admin_extra/workspace.css",)}

    @admin.display(description="缩略图")
    def thumbnail_preview(self, photo):
        return thumbnail_html(photo)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        photo = form.instance
        changed = not change or form.has_changed() or any(fs.has_changed() for fs in formsets)
        if changed and photo.article_id:  # a changed photo is a change to the article it illustrates
            record_edit(photo.article, request.user, f"修改了配图“{photo}”。")
