"""The article admin: list, review queue, form, publish/unpublish/review actions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from ..editing import ArticleGone, keep_first_revision, lock_article, lock_page, record_edit
from ..models import Article, EditorialState, PageSource, Photo
from ..search import SearchQueryError, highlight, search_articles
from .filters import PageNumberFilter, ReviewQueueFilter, StateFilter
from .forms import ArticleForm, reconcile_rows
from .inlines import ArticlePhotoInline, BylineInline
from .merge_split import MergeSplitMixin
from .revisions import RevisionsMixin


@admin.register(Article)
class ArticleAdmin(RevisionsMixin, MergeSplitMixin, admin.ModelAdmin):
    form = ArticleForm
    # Fits a 1280 px window beside the filters (tests/test_admin_layout.py measures it).
    list_display = ("title", "place", "column", "state", "review", "last_change")
    list_display_links = ("title",)
    list_filter = (ReviewQueueFilter, StateFilter, "needs_review", "edited", "column", PageNumberFilter)
    date_hierarchy = "page__issue__date"
    search_fields = ("title",)  # shows the box; the search itself is articles.search (get_search_results)
    search_help_text = "搜索引题、主题、副题、正文和署名（每个词至少两个字，可用引号括住词组）。"
    ordering = ("-page__issue__date", "page__number", "position")
    list_select_related = ("page__issue", "column")
    list_per_page = 50
    autocomplete_fields = ("column", "page", "continued_from")
    inlines = (BylineInline, ArticlePhotoInline)
    readonly_fields = (
        "warnings_list",
        "state_display",
        "preview_link",
        "edited",
        "edited_at",
        "edited_by",
        "created_at",
        "updated_at",
    )
    actions = ("publish_selected", "unpublish_selected", "mark_reviewed", "merge_selected", "split_selected")
    save_on_top = True

    fieldsets = (
        ("标题", {"fields": ("kicker", "title", "subtitle", "loaded_version", "loaded_state")}),
        ("版面与栏目", {"fields": (("page", "position"), "column", "dateline")}),
        ("正文", {"fields": ("body",)}),
        ("编者按、阅读提示与来源", {"fields": ("editor_note", "reading_tip", "source_note")}),
        ("转版", {"fields": (("continued_from_page", "continued_to_page"), "continued_from")}),
        (
            "审核与发布",
            {"fields": (("state_display", "preview_link"), ("status", "published_at"), "needs_review")},
        ),
        ("修改记录", {"fields": (("edited", "edited_by", "edited_at"), ("created_at", "updated_at"))}),
    )

    class Media:
        css = {"all": ("admin_extra/workspace.css",)}
        js = ("admin_extra/workspace.js",)

    def view_on_site(self, article):
        """“在站点上查看” only where readers can see the article (a draft would be a 404)."""
        return article.get_absolute_url() if article.is_published else None

    # list columns

    @admin.display(description="日期·版次", ordering="page__issue__date")
    def place(self, article):
        """2020-10-23 03版·2 (the issue date, page and position on it); 约 marks an estimated date."""
        issue = article.page.issue
        return format_html(
            '<span class="nr-nowrap">{}{}</span> <span class="nr-nowrap">{}·{}</span>',
            "约" if issue.date_estimated else "",
            issue.date.isoformat(),
            article.page.label,
            article.position,
        )

    @admin.display(description="状态", ordering="status")
    def state(self, article):
        """草稿, 待审, 定时 (with its time, on a line of its own) or 已发布, as a tag."""
        state = article.editorial_state
        tag = format_html('<span class="nr-state nr-state-{}">{}</span>', state.value, state.label)
        if state != EditorialState.SCHEDULED:
            return tag
        when = timezone.localtime(article.published_at)
        return format_html(
            '{}<br><time class="nr-nowrap" datetime="{}">{}</time>',
            tag,
            when.isoformat(),
            when.strftime("%m-%d %H:%M"),
        )

    @admin.display(description="审核", ordering="needs_review")
    def review(self, article):
        """待审核 / 已改 marks, short enough for the list."""
        marks = []
        if article.needs_review:
            marks.append(
                format_html('<span class="nr-review" title="{}">待审核</span>', "导入时有需要人工核对的猜测")
            )
        if article.edited:
            marks.append(
                format_html('<span class="nr-edited" title="{}">已改</span>', "编辑已修改，重新导入时保留")
            )
        return format_html_join(" ", "{}", ((m,) for m in marks)) or "—"

    @admin.display(description="最后修改", ordering="updated_at")
    def last_change(self, article):
        return format_html(
            '<span class="nr-nowrap">{}</span>',
            timezone.localtime(article.updated_at).strftime("%m-%d %H:%M"),
        )

    @admin.display(description="当前状态")
    def state_display(self, article):
        if not article.pk:
            return "—"
        return self.state(article)

    @admin.display(description="预览")
    def preview_link(self, article):
        """A draft or scheduled article: the reader page as it will look (staff only, never cached)."""
        if not article.pk:
            return "保存后可预览"
        if article.is_published:
            return format_html(
                '<a href="{}" target="_blank" rel="noopener">在读者网站上查看</a>', article.get_absolute_url()
            )
        return format_html(
            '<a class="nr-preview" href="{}" target="_blank" rel="noopener">预览（仅编辑可见）</a>',
            article.get_absolute_url(),
        )

    @admin.display(description="导入提示")
    def warnings_list(self, article):
        if not article.warnings:
            return "无"
        return format_html(
            '<ul class="nr-warnings">{}</ul>',
            format_html_join("", "<li>{}</li>", ((w,) for w in article.warnings)),
        )

    # the form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.warnings:
            fieldsets = (("导入提示（请核对）", {"fields": ("warnings_list",)}), *fieldsets)
        return fieldsets

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        article = self.get_object(request, object_id)
        if article is not None:
            source = PageSource.objects.filter(page_id=article.page_id).first()
            if source is not None:
                extra_context["ocr_source"] = source
                extra_context["ocr_text"] = highlight(source.text, [article.title] if article.title else [])
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        """On a save, the article as it is now with its page locked (the rule for every
        writer of a page's content); None (the admin's “no longer exists”) if it is gone."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST" and connection.in_atomic_block:
            try:
                return lock_article(obj.pk)
            except ArticleGone:
                return None
        return obj

    def save_model(self, request, obj, form, change):
        if not change:
            lock_page(obj.page_id)
            obj.save()
            return
        # Write only what the editor changed (measured from what they loaded), so nothing
        # saved meanwhile by someone else is put back.
        fields = [name for name in form.changed_data if name in form.edited_fields]
        if "status" in fields and obj.status == Article.Status.PUBLISHED and obj.published_at is None:
            fields.append("published_at")
        if fields:
            obj.save(update_fields=[*fields, "updated_at"])

    def log_addition(self, request, obj, message):
        return record_edit(obj, request.user, message, added=True)

    def log_change(self, request, obj, message):
        """The one record of an editor's change (edited mark, revision, history); none if
        nothing changed."""
        if message:
            return record_edit(obj, request.user, message)
        return None

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """On a save, the bylines and photos posted are brought in line with those that exist
        now (:func:`reconcile_rows`), so a re-import meanwhile never blocks the save; a change
        the editor made to a row that is gone is named in a warning."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if "data" in kwargs and obj is not None and obj.pk:
            current = inline.get_queryset(request).filter(article=obj)
            noun = inline.verbose_name or inline.model._meta.verbose_name
            kwargs["data"], kwargs["files"], notes = reconcile_rows(
                kwargs["data"], kwargs.get("files"), prefix, current, inline.form, noun, "article", obj.pk
            )
            for note in notes:
                messages.warning(request, note)
        return kwargs

    def save_formset(self, request, form, formset, change):
        if formset.model is not Photo:
            return super().save_formset(request, form, formset, change)
        article = form.instance
        photos = formset.save(commit=False)
        next_position = (
            Photo.objects.filter(page_id=article.page_id).aggregate(m=Max("position"))["m"] or 0
        ) + 1
        for photo in photos:
            if photo.pk is None or photo.page_id != article.page_id:
                photo.page_id = article.page_id
                photo.position = next_position
                next_position += 1
            photo.save()
        for photo in formset.deleted_objects:
            photo.delete()
        formset.save_m2m()

    # search

    def get_search_results(self, request, queryset, search_term):
        search_term = search_term.strip()
        if not search_term:
            return queryset, False
        try:
            return search_articles(queryset, search_term), False
        except SearchQueryError as exc:
            match = getattr(request, "resolver_match", None)
            if not (match and match.url_name == "autocomplete"):
                self.message_user(request, f"没有执行搜索：{exc}", messages.WARNING)
            return queryset.none(), False

    def get_ordering(self, request):
        if request.GET.get(ReviewQueueFilter.parameter_name) == ReviewQueueFilter.QUEUE:
            return ("-needs_review", *self.ordering)
        return self.ordering

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        extra_context["review_count"] = Article.objects.needing_review().count()
        extra_context["review_queue_query"] = f"?{ReviewQueueFilter.parameter_name}={ReviewQueueFilter.QUEUE}"
        return super().changelist_view(request, extra_context)

    # actions

    def _locked(self, queryset):
        """The selected articles as they are now, their pages locked (inside a transaction)."""
        ids = list(queryset.values_list("pk", flat=True))
        for page_id in sorted(set(Article.objects.filter(pk__in=ids).values_list("page_id", flat=True))):
            lock_page(page_id)
        return Article.objects.filter(pk__in=ids)

    def _edited(self, request, article, message):
        keep_first_revision(Article.objects.get(pk=article.pk))
        article.save()
        record_edit(article, request.user, message)

    @admin.action(description="发布所选稿件", permissions=["change"])
    def publish_selected(self, request, queryset):
        done = 0
        with transaction.atomic():
            for article in self._locked(queryset).exclude(status=Article.Status.PUBLISHED):
                article.publish()
                self._edited(request, article, "发布了稿件。")
                done += 1
        already = queryset.filter(status=Article.Status.PUBLISHED).count() - done
        text = f"已发布 {done} 篇稿件。"
        if already > 0:
            text += f"另有 {already} 篇原本就是已发布状态。"
        self.message_user(request, text, messages.SUCCESS if done else messages.INFO)

    @admin.action(description="撤回所选稿件（改为草稿）", permissions=["change"])
    def unpublish_selected(self, request, queryset):
        done = 0
        with transaction.atomic():
            for article in self._locked(queryset).filter(status=Article.Status.PUBLISHED):
                article.status = Article.Status.DRAFT
                self._edited(request, article, "撤回了稿件（改为草稿）。")
                done += 1
        self.message_user(
            request,
            f"已撤回 {done} 篇稿件，读者网站上不再显示。",
            messages.SUCCESS if done else messages.INFO,
        )

    @admin.action(description="标记为已审核", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        done = 0
        with transaction.atomic():
            for article in self._locked(queryset).filter(needs_review=True):
                article.needs_review = False
                self._edited(request, article, "标记为已审核。")
                done += 1
        self.message_user(
            request, f"已将 {done} 篇稿件标记为已审核。", messages.SUCCESS if done else messages.INFO
        )
