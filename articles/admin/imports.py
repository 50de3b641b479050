"""What the import wrote (page sources, import runs, old addresses): for reference, read-only."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html

from ..importer.runs import mark_interrupted_runs
from ..models import Address, ImportRun, PageSource


class ReadOnlyAdmin(admin.ModelAdmin):
    """What the import wrote, for reference: nobody adds, changes or deletes it here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PageSource)
class PageSourceAdmin(ReadOnlyAdmin):
    list_display = ("filename", "page", "encoding", "imported_at")
    list_select_related = ("page__issue",)
    search_fields = ("filename", "sha256")
    fields = ("page", "filename", "sha256", "encoding", "imported_at", "text_display")
    readonly_fields = fields

    class Media:
        css = {"all": ("admin_extra/workspace.css",)}

    @admin.display(description="OCR 原文")
    def text_display(self, source):
        return format_html('<pre class="nr-source-text nr-source-page">{}</pre>', source.text)


@admin.register(Address)
class AddressAdmin(ReadOnlyAdmin):
    """Old addresses that redirect (written by imports, merges and the address migration)."""

    list_display = ("path", "article", "page", "created_at")
    list_select_related = ("article", "page__issue")
    search_fields = ("path",)
    fields = ("path", "article", "page", "created_at")
    readonly_fields = fields


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "finished_at", "status", "file_count", "counts_summary", "error_count")
    list_filter = ("status",)
    date_hierarchy = "started_at"

    def changelist_view(self, request, extra_context=None):
        mark_interrupted_runs()  # a killed import shows as 中断, not 进行中 for ever
        return super().changelist_view(request, extra_context)

    ordering = ("-started_at",)
    fields = (
        "started_at",
        "finished_at",
        "status",
        "options_display",
        "counts_display",
        "files_display",
        "errors_display",
    )
    readonly_fields = fields

    @admin.display(description="文件数")
    def file_count(self, run):
        return len(run.files or [])

    @admin.display(description="计数")
    def counts_summary(self, run):
        return "，".join(f"{k} {v}" for k, v in (run.counts or {}).items()) or "—"

    @admin.display(description="错误数")
    def error_count(self, run):
        return len(run.errors or [])

    def _json(self, value):
        return format_html('<pre class="nr-json">{}</pre>', json.dumps(value, ensure_ascii=False, indent=2))

    @admin.display(description="参数")
    def options_display(self, run):
        return self._json(run.options)

    @admin.display(description="计数")
    def counts_display(self, run):
        return self._json(run.counts)

    @admin.display(description="文件")
    def files_display(self, run):
        return self._json(run.files)

    @admin.display(description="错误")
    def errors_display(self, run):
        return self._json(run.errors)
