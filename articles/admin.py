"""The editors' workspace: review what the import guessed, fix it, publish.

Every content change made here marks the article as edited (``Article.mark_edited``)
so a later re-import keeps it, and is recorded in the admin history (LogEntry) with
the editor's name. Merge and split are thin shells over :mod:`articles.editing`.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .editing import (
    EditingError,
    body_to_text,
    default_split_title,
    merge_articles,
    split_article,
    text_to_body,
)
from .images import ALLOWED_FORMATS, refresh_thumbnail, validate_photo_upload
from .models import (
    Article,
    Byline,
    Column,
    ImportRun,
    Issue,
    Page,
    PageSource,
    Person,
    Photo,
    PhotoCredit,
)
from .search import SearchQueryError, highlight, search_articles

PAPER = settings.NEWSROOM_PAPER_NAME
admin.site.site_header = f"{PAPER} 编辑部"
admin.site.site_title = f"{PAPER} 编辑部"
admin.site.index_title = "稿件编辑与发布"
admin.site.site_url = "/"

BODY_HELP = (
    "正文书写约定：空一行分段；以“## ”（两个井号加一个空格）开头的一行是小标题；"
    "同一段内不空行的换行会原样保留。若某段确实以“## ”开头，请在行首加反斜杠写成“\\## ”。"
    "详见 docs/editing.md。"
)


# --- forms ------------------------------------------------------------------------------------


class BodyField(forms.CharField):
    """Article.body (a list of paragraph/subhead blocks) edited as plain text; see articles.editing."""

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 24, "class": "nr-body vLargeTextField"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return body_to_text(value) if isinstance(value, list) else value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        return text_to_body(super().to_python(value))


class SplitDateTimeWithSeconds(AdminSplitDateTime):
    """The admin's date + time widget, showing seconds so an unchanged time stays unchanged."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[1].format = "%H:%M:%S"


class ArticleForm(forms.ModelForm):
    body = BodyField(label="正文", required=False, help_text=BODY_HELP)

    class Meta:
        model = Article
        fields = (
            "page",
            "position",
            "column",
            "kicker",
            "title",
            "subtitle",
            "dateline",
            "body",
            "editor_note",
            "reading_tip",
            "source_note",
            "continued_from_page",
            "continued_to_page",
            "continued_from",
            "status",
            "published_at",
            "needs_review",
        )
        widgets = {"published_at": SplitDateTimeWithSeconds}

    def clean(self):
        cleaned = super().clean()
        page, position = cleaned.get("page"), cleaned.get("position")
        if page is not None and position is not None:
            taken = Article.objects.filter(page=page, position=position).exclude(pk=self.instance.pk).first()
            if taken is not None:
                self.add_error(
                    "position",
                    f"{page.label}已有第 {position} 篇稿件“{taken.title}”，请换一个版内顺序。",
                )
        return cleaned

    def clean_continued_from(self):
        value = self.cleaned_data.get("continued_from")
        if value is not None and self.instance.pk and value.pk == self.instance.pk:
            raise forms.ValidationError("一篇稿件不能是它自己的续篇。")
        return value


class PhotoImageField(forms.ImageField):
    """An image upload checked by articles.images (content, format, size), saved with the right extension."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        fmt = validate_photo_upload(upload)
        stem = upload.name.rsplit(".", 1)[0] if "." in upload.name else upload.name
        upload.name = f"{stem}.{ALLOWED_FORMATS[fmt]}"
        return super().to_python(upload)


class PhotoForm(forms.ModelForm):
    """A photo with a checked upload; the thumbnail is remade whenever the image changes."""

    image = PhotoImageField(
        label="图片文件",
        required=False,
        help_text="只接受 JPEG、PNG、WebP 图片，最大 %s MB。"
        % (settings.NEWSROOM_PHOTO_MAX_BYTES // (1024 * 1024)),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f"image/{f.lower()}" for f in ALLOWED_FORMATS)}
        ),
    )

    class Meta:
        model = Photo
        fields = ("page", "article", "position", "image", "title", "caption", "agency")

    def save(self, commit=True):
        photo = super().save(commit=False)
        if "image" in self.changed_data:
            if photo.image and isinstance(getattr(photo.image, "file", None), UploadedFile):
                refresh_thumbnail(photo)
            elif not photo.image:
                photo.thumbnail = None
        if commit:
            photo.save()
            self._save_m2m()
        return photo


def thumbnail_html(photo: Photo | None):
    if photo is None or not photo.pk:
        return "—"
    if photo.thumbnail:
        return format_html('<img src="{}" alt="{}" class="nr-thumb">', photo.thumbnail.url, str(photo))
    if photo.image:
        return format_html('<img src="{}" alt="{}" class="nr-thumb">', photo.image.url, str(photo))
    return "（无图片文件）"


# --- inlines ----------------------------------------------------------------------------------


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ("person", "role", "order")
    autocomplete_fields = ("person",)
    extra = 0
    ordering = ("order", "pk")


class ArticlePhotoInline(admin.StackedInline):
    """Photos illustrating the article; new ones go on the article's page, after its other photos."""

    model = Photo
    form = PhotoForm
    fk_name = "article"
    fields = (("image", "thumbnail_preview"), "title", "caption", "agency")
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


class PagePhotoInline(admin.TabularInline):
    model = Photo
    form = PhotoForm
    fk_name = "page"
    fields = ("position", "thumbnail_preview", "image", "title", "caption", "agency", "article")
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


# --- list filters -----------------------------------------------------------------------------


class ReviewQueueFilter(admin.SimpleListFilter):
    """The review queue: what still needs an editor (needs review, or not yet published)."""

    title = "审核队列"
    parameter_name = "queue"
    QUEUE = "review"

    def lookups(self, request, model_admin):
        return [(self.QUEUE, "待处理（待审核的在前）")]

    def queryset(self, request, queryset):
        if self.value() == self.QUEUE:
            return queryset.filter(Q(needs_review=True) | Q(status=Article.Status.DRAFT))
        return queryset


class PageNumberFilter(admin.SimpleListFilter):
    title = "版次"
    parameter_name = "page_number"

    def lookups(self, request, model_admin):
        numbers = Page.objects.order_by("number").values_list("number", flat=True).distinct()
        return [(str(n), f"第{n:02d}版") for n in numbers]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdecimal():
            raise IncorrectLookupParameters(f"版次必须是数字：{value}")  # the admin's "?e=1" page
        return queryset.filter(page__number=int(value))


# --- articles ---------------------------------------------------------------------------------


class SplitForm(forms.Form):
    block = forms.TypedChoiceField(label="拆分点", coerce=int, widget=forms.RadioSelect)
    title = forms.CharField(
        label="新稿件标题", max_length=300, help_text="拆出的后半部分作为新稿件，使用这个标题。"
    )

    def __init__(self, *args, article: Article, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].choices = [(i, f"第 {i + 1} 段之前") for i in range(1, len(article.body or []))]
        self.fields["block"].error_messages["required"] = "请选择从哪一段开始拆出新稿件。"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    list_display = (
        "title",
        "column",
        "issue_date",
        "page_label",
        "position",
        "status",
        "needs_review",
        "edited",
        "last_change",
    )
    list_display_links = ("title",)
    list_filter = (ReviewQueueFilter, "status", "needs_review", "edited", "column", PageNumberFilter)
    date_hierarchy = "page__issue__date"
    search_fields = ("title",)  # shows the box; the search itself is articles.search (get_search_results)
    search_help_text = "搜索引题、主题、副题、正文和署名（每个词至少两个字，可用引号括住词组）。"
    ordering = ("-page__issue__date", "page__number", "position")
    list_select_related = ("page__issue", "column")
    list_per_page = 50
    autocomplete_fields = ("column", "page", "continued_from")
    inlines = (BylineInline, ArticlePhotoInline)
    readonly_fields = ("warnings_list", "edited", "edited_at", "edited_by", "created_at", "updated_at")
    actions = ("publish_selected", "unpublish_selected", "mark_reviewed", "merge_selected", "split_selected")
    save_on_top = True

    fieldsets = (
        ("标题", {"fields": ("kicker", "title", "subtitle")}),
        ("版面与栏目", {"fields": (("page", "position"), "column", "dateline")}),
        ("正文", {"fields": ("body",)}),
        ("编者按、阅读提示与来源", {"fields": ("editor_note", "reading_tip", "source_note")}),
        ("转版", {"fields": (("continued_from_page", "continued_to_page"), "continued_from")}),
        ("审核与发布", {"fields": (("status", "published_at"), "needs_review")}),
        ("修改记录", {"fields": (("edited", "edited_by", "edited_at"), ("created_at", "updated_at"))}),
    )

    class Media:
        css = {"all": ("admin_extra/workspace.css",)}
        js = ("admin_extra/workspace.js",)

    def view_on_site(self, article):
        """“在站点上查看” only where readers can see the article (a draft would be a 404)."""
        return article.get_absolute_url() if article.is_published else None

    # list columns

    @admin.display(description="出版日期", ordering="page__issue__date")
    def issue_date(self, article):
        return article.page.issue.date

    @admin.display(description="版次", ordering="page__number")
    def page_label(self, article):
        return article.page.label

    @admin.display(description="最后修改", ordering="updated_at")
    def last_change(self, article):
        return article.updated_at

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

    def save_model(self, request, obj, form, change):
        if not change or form.has_changed():
            obj.mark_edited(request.user)
        super().save_model(request, obj, form, change)

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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        if change and not form.has_changed() and any(fs.has_changed() for fs in formsets):
            article.mark_edited(request.user)
            article.save(update_fields=["edited", "edited_at", "edited_by", "updated_at"])

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

    def _edited(self, request, article, message):
        article.mark_edited(request.user)
        article.save()
        self.log_change(request, article, message)

    @admin.action(description="发布所选稿件", permissions=["change"])
    def publish_selected(self, request, queryset):
        done = 0
        with transaction.atomic():
            for article in (
                queryset.select_related(None).select_for_update().exclude(status=Article.Status.PUBLISHED)
            ):
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
            for article in (
                queryset.select_related(None).select_for_update().filter(status=Article.Status.PUBLISHED)
            ):
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
            for article in queryset.select_related(None).select_for_update().filter(needs_review=True):
                article.needs_review = False
                self._edited(request, article, "标记为已审核。")
                done += 1
        self.message_user(
            request, f"已将 {done} 篇稿件标记为已审核。", messages.SUCCESS if done else messages.INFO
        )

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
        first, rest = articles[0], articles[1:]
        try:
            with transaction.atomic():
                self.log_deletions(request, Article.objects.filter(pk__in=[a.pk for a in rest]))
                merged = merge_articles(articles, request.user)
                self.log_change(
                    request,
                    merged,
                    "合并了稿件：" + "、".join(f"“{a.title}”（第{a.position}篇）" for a in articles) + "。",
                )
        except EditingError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return None
        self.message_user(
            request,
            format_html(
                '已把 {} 篇稿件合并为 <a href="{}">{}</a>，请核对正文。',
                len(articles),
                reverse("admin:articles_article_change", args=[quote(first.pk)]),
                merged.title,
            ),
            messages.SUCCESS,
        )
        return None

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
                else:
                    article.refresh_from_db()
                    self.log_change(
                        request,
                        article,
                        f"拆分了稿件：第 {form.cleaned_data['block'] + 1} 段起成为新稿件“{new.title}”。",
                    )
                    self.log_addition(request, new, f"由“{article.title}”拆分而来。")
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


# --- the other models -------------------------------------------------------------------------


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
class PageAdmin(admin.ModelAdmin):
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
            article.mark_edited(request.user)
            article.save(update_fields=["edited", "edited_at", "edited_by", "updated_at"])

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


class ColumnForm(forms.ModelForm):
    class Meta:
        model = Column
        fields = ("name", "slug", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False  # Column.save() makes one from the name's pinyin


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
class PhotoAdmin(admin.ModelAdmin):
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
            article = photo.article
            article.mark_edited(request.user)
            article.save(update_fields=["edited", "edited_at", "edited_by", "updated_at"])


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


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "finished_at", "status", "file_count", "counts_summary", "error_count")
    list_filter = ("status",)
    date_hierarchy = "started_at"
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
        import json

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
