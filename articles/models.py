"""The paper's data: issues, pages, articles, photos, the people named on them.

An :class:`Issue` is one publication date. It has printed :class:`Page` s (版), each
keeping its OCR source verbatim in a :class:`PageSource` row. A page carries
:class:`Article` s and :class:`Photo` s in page order; people are credited through
:class:`Byline` (articles) and :class:`PhotoCredit` (photos). Every import is
recorded as an :class:`ImportRun`.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo

from django.conf import settings
from django.core.signals import setting_changed
from django.db import models, router, transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.dispatch import Signal, receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.text import slugify

from .images import rendition_field


class Role(models.TextChoices):
    """The role a person plays on an article or photo, as printed in the paper."""

    REPORTER = "记者", "记者"
    CORRESPONDENT = "通讯员", "通讯员"
    INTERN = "实习生", "实习生"
    TRAINEE_REPORTER = "见习记者", "见习记者"
    SPECIAL_REPORTER = "特约记者", "特约记者"
    SPECIAL_CORRESPONDENT = "特约通讯员", "特约通讯员"
    AUTHOR = "作者", "作者"
    PHOTOGRAPHER = "摄影", "摄影"
    UNKNOWN = "", "未注明"


class EditorialState(models.TextChoices):
    """Where an article stands, as editors see it (from ``status``, ``published_at``, ``needs_review``)."""

    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审"
    SCHEDULED = "scheduled", "定时"
    PUBLISHED = "published", "已发布"


class BlockType(models.TextChoices):
    PARAGRAPH = "paragraph", "段落"
    SUBHEAD = "subhead", "小标题"


def sees_drafts(user) -> bool:
    """Who reads drafts (marked as such) on the site and through the API: an active staff
    account with the permission to view or change articles. Everyone else — readers, and
    staff without that permission (a clerk who only manages people) — sees published
    content only. The one rule behind every ``visible_to(user)``."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.has_perm("articles.view_article") or user.has_perm("articles.change_article"))
    )


is_staff = sees_drafts  # its former name


ISSUE_TIME = datetime.time(0, 0)
"""The time of day an issue is dated at, in the paper's time zone (``TIME_ZONE``,
Asia/Shanghai): the start of its date. A reader or machine sees an imported article's
publication date as its issue's date — feeds, JSON-LD, the sitemap — never the import time."""


def issue_datetime(date: datetime.date) -> datetime.datetime:
    """``date`` at :data:`ISSUE_TIME` in the paper's time zone (aware)."""
    return datetime.datetime.combine(date, ISSUE_TIME, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


_ID_MARK = 987654321


@functools.lru_cache(maxsize=64)
def _id_pattern(name: str, prefix: str, urlconf) -> str:
    return reverse(name, kwargs={"pk": _ID_MARK}, urlconf=urlconf)


@functools.lru_cache(maxsize=4096)
def _reversed(name: str, prefix: str, urlconf, args: tuple, kwargs: tuple) -> str:
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None, urlconf=urlconf)


def id_path(name: str, pk: int) -> str:
    """``reverse(name, kwargs={"pk": pk})``, reversed once per URL name (a list page links
    hundreds of articles, pages and people: a ``reverse()`` each cost more than the rest of
    the page). The script prefix and URLconf in force are part of the cached pattern."""
    return _id_pattern(name, get_script_prefix(), get_urlconf()).replace(str(_ID_MARK), str(int(pk)), 1)


def id_url_format(name: str) -> str:
    """``id_path`` as a format string (``"/articles/{}/"``), for a list of many links."""
    return _id_pattern(name, get_script_prefix(), get_urlconf()).replace(str(_ID_MARK), "{}", 1)


def cached_reverse(name: str, *args, **kwargs) -> str:
    """``reverse(name, args, kwargs)``, remembered (the site's fixed links, URLs by slug or
    date that pages repeat)."""
    return _reversed(name, get_script_prefix(), get_urlconf(), args, tuple(sorted(kwargs.items())))


@receiver(setting_changed)
def _forget_reversed(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _id_pattern.cache_clear()
        _reversed.cache_clear()


def dated_path(date, number: int, position: int | None = None) -> str:
    """``/2020/10/23/3/`` (a page) or ``/2020/10/23/3/2/`` (an article by position)."""
    path = f"/{date:%Y/%m/%d}/{number}/"
    return f"{path}{position}/" if position is not None else path


content_changed = Signal()
"""Sent (``sender`` = model, ``using`` = alias) after a queryset write that sends no model
signals: ``update()``, ``bulk_create()``, ``bulk_update()``. It says which rows were written:
``objs`` (the instances, for ``bulk_create`` / ``bulk_update``; ``created=True`` for the
former) or ``rows`` (for ``update()``: ``(before, after)`` pairs of dicts holding ``pk`` and
the model's ``CHANGE_FIELDS``). With
``post_save`` and ``post_delete`` it feeds the change path (:mod:`articles.changes`)."""


class ContentQuerySet(models.QuerySet):
    """The paper's content: bulk writes announce which rows they wrote (``content_changed``)."""

    # Each write and its announcement share a transaction (savepoint-free when one is open
    # already), so the change path's receivers commit or roll back with the write itself.

    def update(self, **kwargs):
        fields = getattr(self.model, "CHANGE_FIELDS", ())
        with transaction.atomic(using=self.db, savepoint=False):
            before = list(self.values("pk", *fields))  # which rows (one cheap query), for the change path
            rows = super().update(**kwargs)
            moved = {self.model._meta.get_field(name).attname for name in kwargs} & set(fields)
            after = before
            if moved and before:
                found = self.model._base_manager.using(self.db).filter(pk__in=[r["pk"] for r in before])
                by_pk = {r["pk"]: r for r in found.values("pk", *fields)}
                after = [by_pk.get(r["pk"], r) for r in before]
            content_changed.send(sender=self.model, using=self.db, rows=list(zip(before, after, strict=True)))
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            content_changed.send(sender=self.model, using=self.db, objs=created, created=True)
        return created

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            rows = super().bulk_update(objs, *args, **kwargs)
            content_changed.send(sender=self.model, using=self.db, objs=objs)
        return rows


class TracksChanges(models.Model):
    """A content model: remembers the ``CHANGE_FIELDS`` values it was loaded with.

    The change path needs them when a row points elsewhere after a save (a byline moved to
    another article: the old article changed too) or when a change reaches every article
    under it (a person renamed, an issue redated).
    """

    #: attnames whose loaded value the change path compares with the saved one
    CHANGE_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Save in a transaction (savepoint-free), so the change path's receivers commit with it."""
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if cls.CHANGE_FIELDS:
            loaded = zip(field_names, values, strict=False)
            instance._change_loaded = {name: value for name, value in loaded if name in cls.CHANGE_FIELDS}
        return instance


class VisibleQuerySet(ContentQuerySet):
    """A queryset with ``published()`` (what readers may see) and ``visible_to(user)``."""

    def published(self):
        raise NotImplementedError

    def visible_to(self, user):
        return self.all() if sees_drafts(user) else self.published()


class TimeStampedModel(TracksChanges):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class IssueQuerySet(VisibleQuerySet):
    def published(self):
        """Issues with at least one published article."""
        return self.filter(Exists(Article.objects.published().filter(page__issue=OuterRef("pk"))))


class Issue(TimeStampedModel):
    """One day's paper."""

    CHANGE_FIELDS = ("date",)

    date = models.DateField("出版日期", help_text="这一期报纸的出版日期。")
    number = models.PositiveIntegerField("期号", null=True, blank=True, help_text="报纸总期号，可不填。")
    date_estimated = models.BooleanField(
        "日期为推测",
        default=False,
        help_text="导入时出版日期是根据版面内容推测的，需要核实。",
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "期"
        verbose_name_plural = "期"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date"], name="issue_unique_date"),
            models.UniqueConstraint(
                fields=["number"],
                condition=Q(number__isnull=False),
                name="issue_unique_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y年%m月%d日}" + (f" 第{self.number}期" if self.number else "")

    def get_absolute_url(self) -> str:
        return cached_reverse("site:issue", year=self.date.year, month=self.date.month, day=self.date.day)

    @property
    def published_on(self) -> datetime.datetime:
        """When the issue appeared: its date at :data:`ISSUE_TIME`, in the paper's time zone."""
        return issue_datetime(self.date)


class PageQuerySet(VisibleQuerySet):
    def published(self):
        """Pages with at least one published article."""
        return self.filter(Exists(Article.objects.published().filter(page=OuterRef("pk"))))


class Page(TimeStampedModel):
    """A printed page (版) of an issue."""

    CHANGE_FIELDS = ("issue_id", "number")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="pages", verbose_name="期")
    number = models.PositiveSmallIntegerField("版次", help_text="印刷版次，如 3 表示第03版。")
    name = models.CharField("版名", max_length=50, blank=True, help_text="如：要闻、工会新闻。")

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = "版面"
        verbose_name_plural = "版面"
        ordering = ["issue__date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="page_unique_number_per_issue"),
            models.CheckConstraint(condition=Q(number__gte=1), name="page_number_positive"),
        ]

    def __str__(self) -> str:
        label = f"{self.issue.date:%Y-%m-%d} 第{self.number:02d}版"
        return f"{label} {self.name}" if self.name else label

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            Address.objects.record_page(self)

    def get_absolute_url(self) -> str:
        """The page's permanent address (its id): it never changes while the page exists."""
        return id_path("site:page", self.pk)

    @property
    def dated_path(self) -> str:
        """The page's address by date and number (``/2020/10/23/3/``), which redirects."""
        return dated_path(self.issue.date, self.number)

    @property
    def label(self) -> str:
        """The page as printed: 03版."""
        return f"{self.number:02d}版"


class PageSource(TracksChanges):
    """The OCR text a page was imported from, kept verbatim and off the page row."""

    CHANGE_FIELDS = ("page_id",)

    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, primary_key=True, related_name="source", verbose_name="版面"
    )
    filename = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    encoding = models.CharField("原始编码", max_length=20, blank=True)
    text = models.TextField("OCR 原文")
    imported_at = models.DateTimeField("导入时间", default=timezone.now)

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = "版面原文"
        verbose_name_plural = "版面原文"

    def __str__(self) -> str:
        return self.filename


class ColumnQuerySet(VisibleQuerySet):
    def published(self):
        """Columns with at least one published article."""
        return self.filter(Exists(Article.objects.published().filter(column=OuterRef("pk"))))

    def with_article_counts(self, bound: int | None = None):
        """Each column with ``article_count``, its published articles, counted by a correlated
        subquery on the (column, status, published_at) index: an index-only count per column
        instead of joining every article to its column and grouping (seconds on PostgreSQL
        at a million articles). With ``bound`` a column counts at most ``bound + 1`` of
        them (a short index walk however long the column): more than ``bound`` means "at
        least that many"."""
        counted = Article.objects.published().filter(column=OuterRef("pk")).order_by()
        if bound is None:
            # COUNT(*): answered from the index alone
            counted = counted.values("column").annotate(n=Count("*")).values("n")
            return self.annotate(article_count=Coalesce(Subquery(counted), 0))
        return self.annotate(article_count=CountOf(counted.values("pk")[: bound + 1]))


class CountOf(Subquery):
    """How many rows a (sliced, correlated) subquery gives: ``SELECT COUNT(*) FROM (…)``."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = models.IntegerField()


class Column(TracksChanges):
    """A column (栏目) such as 主席之声 or 工会博览."""

    name = models.CharField("栏目名", max_length=50, help_text="如：主席之声、工会博览。")
    slug = models.SlugField(
        "网址名", max_length=80, help_text="只含英文字母、数字和连字符，用于网址；留空则按拼音生成。"
    )
    description = models.TextField("简介", blank=True)

    objects = ColumnQuerySet.as_manager()

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="column_unique_name"),
            models.UniqueConstraint(fields=["slug"], name="column_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug_for(self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return cached_reverse("site:column", slug=self.slug)

    @classmethod
    def unique_slug_for(cls, name: str, exclude_pk=None) -> str:
        """An ASCII slug from the name's pinyin, made unique with a numeric suffix."""
        from pypinyin import lazy_pinyin

        base = slugify(" ".join(lazy_pinyin(name))) or "column"
        base = base[:70]
        slug, n = base, 2
        while cls.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug


class PersonQuerySet(VisibleQuerySet):
    def published(self):
        """People credited on a published article or on a photo readers may see."""
        bylines = Byline.objects.filter(person=OuterRef("pk"), article__in=Article.objects.published())
        credits = PhotoCredit.objects.filter(person=OuterRef("pk"), photo__in=Photo.objects.published())
        return self.filter(Exists(bylines) | Exists(credits))


class Person(TracksChanges):
    """A reporter, correspondent, author or photographer."""

    CHANGE_FIELDS = ("name", "affiliation")

    name = models.CharField("姓名", max_length=50)
    affiliation = models.CharField(
        "单位职务", max_length=200, blank=True, help_text="署名中姓名前的单位和职务，如某某总工会主席。"
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人物"
        verbose_name_plural = "人物"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "affiliation"], name="person_unique_name_affiliation"),
        ]
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.affiliation}）" if self.affiliation else self.name

    def get_absolute_url(self) -> str:
        return id_path("site:person", self.pk)


class ArticleQuerySet(VisibleQuerySet):
    def published(self):
        """What readers may see: published, with a publication time that has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def in_state(self, state: str):
        """Articles in one :class:`EditorialState` (草稿 is a draft needing no review)."""
        published = Q(status=Article.Status.PUBLISHED)
        due = Q(published_at__lte=timezone.now())
        return self.filter(
            {
                EditorialState.DRAFT: ~published & Q(needs_review=False),
                EditorialState.REVIEW: ~published & Q(needs_review=True),
                EditorialState.SCHEDULED: published & ~due,
                EditorialState.PUBLISHED: published & due,
            }[state]
        )

    def needing_review(self):
        return self.filter(needs_review=True)

    def newest_first(self):
        """Newest issue first, then in page order: by the article's own copy of its issue date
        and page number (:attr:`Article.issue_date`), which the list indexes cover, instead of
        sorting the whole list through the page and issue join."""
        return self.order_by("-issue_date", "page_number", "position", "pk")

    def with_page(self):
        """Join what every listing shows: the page, its issue and the column."""
        return self.select_related("page__issue", "column")

    def with_bylines(self):
        """Prefetch the bylines, in print order, with their people."""
        bylines = Byline.objects.select_related("person").order_by("order", "pk")
        return self.prefetch_related(models.Prefetch("bylines", queryset=bylines))

    def publish(self) -> int:
        """Publish every draft in the queryset now; returns how many changed."""
        return self.exclude(status=Article.Status.PUBLISHED).update(
            status=Article.Status.PUBLISHED, published_at=timezone.now(), updated_at=timezone.now()
        )

    def unpublish(self) -> int:
        return self.filter(status=Article.Status.PUBLISHED).update(
            status=Article.Status.DRAFT, updated_at=timezone.now()
        )


class Article(TimeStampedModel):
    """A story (稿件) on a page."""

    CHANGE_FIELDS = ("page_id", "column_id", "status", "published_at")

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已发布"

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="articles", verbose_name="版面")
    position = models.PositiveSmallIntegerField("版内顺序", help_text="在本版中的先后顺序，从 1 开始。")
    column = models.ForeignKey(
        Column,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name="栏目",
    )
    kicker = models.CharField("引题", max_length=300, blank=True, help_text="主题上方的引题，可为空。")
    title = models.CharField("主题", max_length=300, help_text="主标题。")
    subtitle = models.CharField("副题", max_length=300, blank=True, help_text="主题下方的副题，可为空。")
    dateline = models.CharField(
        "电头", max_length=60, blank=True, help_text="如：本报讯、本报广州6月23日电。"
    )
    body = models.JSONField(
        "正文",
        default=list,
        blank=True,
        help_text="按顺序排列的正文块：段落或小标题。",
    )
    editor_note = models.TextField("编者按", blank=True)
    reading_tip = models.TextField("阅读提示", blank=True)
    source_note = models.CharField("来源", max_length=300, blank=True, help_text="如：来源:《工人日报》")
    continued_from_page = models.PositiveSmallIntegerField(
        "上接版次", null=True, blank=True, help_text="本文上接第几版（转版）。"
    )
    continued_to_page = models.PositiveSmallIntegerField(
        "下转版次", null=True, blank=True, help_text="本文下转第几版（转版）。"
    )
    continued_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continued_in",
        verbose_name="上接稿件",
        help_text="本文是哪篇稿件的续篇（跨版连接）。",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    needs_review = models.BooleanField("待审核", default=False, help_text="导入时有需要人工核对的猜测。")
    warnings = models.JSONField("导入提示", default=list, blank=True)
    edited = models.BooleanField(
        "编辑已修改", default=False, help_text="编辑改过的稿件，重新导入时不会被覆盖。"
    )
    edited_at = models.DateTimeField("最后人工修改时间", null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最后修改人",
    )
    version = models.PositiveIntegerField(
        "版本",
        default=1,
        editable=False,
        help_text="稿件（含署名、配图）每次修改后加一；据此发现别人在你打开之后保存过的修改。",
    )
    # Copies of the page's issue date and number, for the newest-first lists (column,
    # person, search, feeds) and their indexes. The change path
    # (articles.changes.keep_article_rows) sets them right when the transaction commits,
    # whatever wrote the article, its page or its issue; until then a new article's copy is
    # empty (the importer's fast path writes them with the row, and the change path checks them).
    issue_date = models.DateField(
        "出版日期（排序用）",
        null=True,
        blank=True,
        editable=False,
        help_text="所在期的出版日期的副本，供按日期排序的列表使用；保存时自动更新，请勿手工修改。",
    )
    page_number = models.PositiveSmallIntegerField(
        "版次（排序用）",
        null=True,
        blank=True,
        editable=False,
        help_text="所在版面版次的副本，供按日期排序的列表使用；保存时自动更新，请勿手工修改。",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["page__issue__date", "page__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="article_unique_position_per_page"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_status_published_idx"),
            models.Index(fields=["needs_review", "status"], name="article_review_idx"),
            # Covers the per-column counts of published articles (home, column list).
            models.Index(fields=["column", "status", "published_at"], name="article_column_visible_idx"),
            # Newest-first lists (newest_first()): a column page, feeds, search without words.
            models.Index(
                fields=["column", "status", "-issue_date", "page_number", "position"],
                name="article_column_newest_idx",
            ),
            models.Index(
                fields=["status", "-issue_date", "page_number", "position"], name="article_newest_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title or "（无标题）"

    def save(self, *args, **kwargs):
        """Save; an existing article is saved by UPDATE only, and never writes ``version``.

        The change path (:mod:`articles.changes`) bumps ``version`` in the database when the
        transaction commits, so a stale instance can never put an old version back; and an
        article deleted meanwhile (a re-import) is an error, never silently inserted again.
        """
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        adding = self._state.adding
        if not adding and not kwargs.get("force_insert") and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = self.saved_field_names()
        super().save(*args, **kwargs)
        if adding:
            Address.objects.record_positions([self])

    def get_absolute_url(self) -> str:
        """The article's permanent address (its id): never changes while the article exists.

        Addresses that served it before (its printed position, the ids of articles merged
        into it) redirect here; see :class:`Address`.
        """
        return id_path("site:article", self.pk)

    @property
    def date_published(self) -> datetime.datetime:
        """The publication date readers and machines see: the issue's date (not the import,
        not when it was made visible; ``published_at`` only says from when readers may see it)."""
        return self.page.issue.published_on

    @property
    def date_modified(self) -> datetime.datetime:
        """The last change a reader could notice: an editor's last edit, else the issue's date."""
        published = self.date_published
        return max(published, self.edited_at) if self.edited_at else published

    @property
    def position_path(self) -> str:
        """The address by printed position (``/2020/10/23/3/2/``), as links used to be."""
        return dated_path(self.page.issue.date, self.page.number, self.position)

    #: fields only the change path writes (:func:`articles.changes.keep_article_rows`)
    DERIVED_FIELDS = ("version", "issue_date", "page_number")

    @classmethod
    def saved_field_names(cls) -> list[str]:
        """What ``save()`` writes on an existing article: every field but the key and the
        fields the change path keeps (``version``, the copies of the issue date and page number)."""
        derived = cls.DERIVED_FIELDS
        return [f.name for f in cls._meta.concrete_fields if not f.primary_key and f.name not in derived]

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def editorial_state(self) -> EditorialState:
        """草稿, 待审 (a draft the import flagged), 定时 (published from a later time) or 已发布."""
        if self.status != self.Status.PUBLISHED:
            return EditorialState.REVIEW if self.needs_review else EditorialState.DRAFT
        return EditorialState.PUBLISHED if self.is_published else EditorialState.SCHEDULED

    @property
    def headline(self) -> str:
        """Kicker, title and subtitle as one line."""
        return " ".join(part for part in (self.kicker, self.title, self.subtitle) if part)

    @property
    def body_text(self) -> str:
        """The body's text, one block per line (subheads included)."""
        return "\n".join(block.get("text", "") for block in self.body or [])

    @property
    def paragraphs(self) -> list[dict]:
        return [b for b in self.body or [] if b.get("type") == BlockType.PARAGRAPH]

    def mark_edited(self, user=None) -> None:
        """Record a human change, so a later re-import keeps this article."""
        self.edited = True
        self.edited_at = timezone.now()
        if user is not None and getattr(user, "is_authenticated", False):
            self.edited_by = user

    def publish(self) -> None:
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()


class Byline(TracksChanges):
    """A person credited on an article, with the role printed beside the name."""

    CHANGE_FIELDS = ("article_id", "person_id")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines", verbose_name="稿件"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bylines", verbose_name="人物")
    role = models.CharField("身份", max_length=10, choices=Role.choices, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    # The article's place in print (its issue date, page number, position), copied for a
    # person's newest-first list and its index, on the person's first byline of the article
    # only (empty on the others: a person credited twice is listed once); kept right by the
    # change path (articles.changes.keep_article_rows) when the transaction commits.
    issue_date = models.DateField(
        "出版日期（排序用）", null=True, blank=True, editable=False, help_text="稿件出版日期的副本。"
    )
    page_number = models.PositiveSmallIntegerField(
        "版次（排序用）", null=True, blank=True, editable=False, help_text="稿件版次的副本。"
    )
    position = models.PositiveSmallIntegerField(
        "版内顺序（排序用）", null=True, blank=True, editable=False, help_text="稿件版内顺序的副本。"
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = "署名"
        verbose_name_plural = "署名"
        ordering = ["article", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "person", "role"], name="byline_unique_person_role"),
        ]
        indexes = [
            # A person's articles, newest first (the person page).
            models.Index(
                fields=["person", "-issue_date", "page_number", "position", "article"],
                name="byline_person_newest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}{self.person.name}" if self.role else self.person.name


class PhotoQuerySet(VisibleQuerySet):
    def published(self):
        """Photos readers may see: with a published article, or standing alone on a page
        that has a published article (a page imported as drafts keeps its photos hidden)."""
        visible = Article.objects.published()
        # Correlated EXISTS on the photo's own article and page (a lookup each), not
        # ``article__in=<every published article>``, which reads the whole archive.
        article_published = Exists(visible.filter(pk=OuterRef("article_id")))
        page_published = Exists(visible.filter(page=OuterRef("page")))
        return self.filter(Q(article_published) | (Q(article__isnull=True) & Q(page_published)))

    def with_credits(self):
        """Prefetch the credits, in print order, with their people."""
        credits = PhotoCredit.objects.select_related("person").order_by("order", "pk")
        return self.prefetch_related(models.Prefetch("credits", queryset=credits))


def photo_upload_to(instance: Photo, filename: str) -> str:
    d = instance.page.issue.date if instance.page_id else timezone.localdate()
    return f"photos/{d:%Y/%m/%d}/{filename}"


class Photo(TimeStampedModel):
    """A news photo (图片新闻) on a page, optionally illustrating an article."""

    CHANGE_FIELDS = ("page_id", "article_id")

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="photos", verbose_name="版面")
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name="所属稿件",
        help_text="这张图片配发的稿件；独立的图片新闻留空。",
    )
    position = models.PositiveSmallIntegerField("版内顺序", default=1)
    title = models.CharField("图片标题", max_length=200, blank=True)
    caption = models.TextField("图片说明", blank=True)
    agency = models.CharField("图片来源机构", max_length=50, blank=True, help_text="如：新华社、视觉中国。")
    image = models.ImageField("图片文件", upload_to=photo_upload_to, blank=True)
    width = models.PositiveIntegerField("宽度（像素）", null=True, blank=True, editable=False)
    height = models.PositiveIntegerField("高度（像素）", null=True, blank=True, editable=False)
    thumbnail = models.ImageField("缩略图", upload_to="photos/thumbs/", blank=True, editable=False)
    warnings = models.JSONField("导入提示", default=list, blank=True)

    # Renditions for readers (articles.images): made when the image is saved, kept.
    rendition_480 = rendition_field(480, "jpeg")
    rendition_960 = rendition_field(960, "jpeg")
    rendition_1600 = rendition_field(1600, "jpeg")
    rendition_480_webp = rendition_field(480, "webp")
    rendition_960_webp = rendition_field(960, "webp")
    rendition_1600_webp = rendition_field(1600, "webp")

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = "新闻图片"
        verbose_name_plural = "新闻图片"
        ordering = ["page__issue__date", "page__number", "position"]
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="photo_unique_position_per_page"),
        ]

    def __str__(self) -> str:
        return self.title or (self.caption[:20] + "…" if self.caption else "（无标题图片）")

    def get_absolute_url(self) -> str:
        return f"{self.page.get_absolute_url()}#photo-{self.position}"


class PhotoCredit(TracksChanges):
    """A person credited on a photo (…摄)."""

    CHANGE_FIELDS = ("photo_id", "person_id")

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="credits", verbose_name="图片")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="photo_credits", verbose_name="人物"
    )
    role = models.CharField("身份", max_length=10, choices=Role.choices, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    # The photo's place in print (issue date, page number, position), copied for a person's
    # newest-first photos and their index; kept right by the change path
    # (articles.changes.keep_article_rows) when the transaction commits.
    issue_date = models.DateField(
        "出版日期（排序用）", null=True, blank=True, editable=False, help_text="图片出版日期的副本。"
    )
    page_number = models.PositiveSmallIntegerField(
        "版次（排序用）", null=True, blank=True, editable=False, help_text="图片版次的副本。"
    )
    position = models.PositiveSmallIntegerField(
        "版内顺序（排序用）", null=True, blank=True, editable=False, help_text="图片版内顺序的副本。"
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = "图片署名"
        verbose_name_plural = "图片署名"
        ordering = ["photo", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["photo", "person"], name="photocredit_unique_person"),
        ]
        indexes = [
            # A person's photos, newest first (the person page).
            models.Index(
                fields=["person", "-issue_date", "page_number", "position", "photo"],
                name="photocredit_person_newest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}{self.person.name}" if self.role else self.person.name


class ImportRun(models.Model):
    """One import run (``articles.importer.runs``): what it read, what it wrote, what went wrong."""

    class Result(models.TextChoices):
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "成功"
        PARTIAL = "partial", "部分失败"
        FAILED = "failed", "失败"
        INTERRUPTED = "interrupted", "中断"

    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    status = models.CharField("结果", max_length=20, choices=Result.choices, default=Result.RUNNING)
    host = models.CharField("主机", max_length=255, blank=True, help_text="运行导入的机器。")
    pid = models.PositiveIntegerField(
        "进程号", null=True, blank=True, help_text="导入进程；进程已不在而记录仍为“进行中”时标记为中断。"
    )
    options = models.JSONField("参数", default=dict, blank=True)
    files = models.JSONField("文件", default=list, blank=True, help_text="每个文件的处理结果。")
    counts = models.JSONField("计数", default=dict, blank=True)
    errors = models.JSONField("错误", default=list, blank=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["-started_at"], name="importrun_started_idx")]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"


class AddressQuerySet(models.QuerySet):
    def record_positions(self, articles) -> None:
        """Record each article's printed-position address, unless one already leads elsewhere.

        The first article ever shown at a position keeps that address: a later split,
        merge or re-import that puts another article there does not take it over.
        """
        self.bulk_create(
            [Address(path=a.position_path, article_id=a.pk) for a in articles], ignore_conflicts=True
        )

    def record_page(self, page: Page) -> None:
        self.bulk_create([Address(path=page.dated_path, page_id=page.pk)], ignore_conflicts=True)

    def move_to(self, article: Article, merged) -> None:
        """Articles merged into ``article``: their addresses (and ids) lead to it from now on."""
        merged = [a for a in merged if a.pk != article.pk]
        self.filter(article__in=merged).update(article=article)
        self.bulk_create(
            [Address(path=reverse("site:article", kwargs={"pk": a.pk}), article=article) for a in merged],
            ignore_conflicts=True,
        )

    def target(self, path: str):
        """The article or page that ``path`` once served, or None."""
        address = self.select_related("article", "page").filter(path=path).first()
        if address is None:
            return None
        return address.article or address.page


class Address(models.Model):
    """A public address that once served an article or a page, and leads to it (301) now.

    Recorded: each article's printed position (``/2020/10/23/3/2/``) when it is first
    written, each page's date and number, and the id address of every article merged
    into another. The permanent address of an article or page is its id
    (``/articles/17/``, ``/pages/4/``); these are the old ways to reach it.
    """

    path = models.CharField("网址", max_length=200, help_text="曾经指向这篇稿件或这个版面的网址。")
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="addresses",
        verbose_name="稿件",
    )
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, null=True, blank=True, related_name="addresses", verbose_name="版面"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = AddressQuerySet.as_manager()

    class Meta:
        verbose_name = "旧网址"
        verbose_name_plural = "旧网址"
        constraints = [
            models.UniqueConstraint(fields=["path"], name="address_unique_path"),
            models.CheckConstraint(
                condition=Q(article__isnull=False, page__isnull=True)
                | Q(article__isnull=True, page__isnull=False),
                name="address_one_target",
            ),
        ]

    def __str__(self) -> str:
        return self.path


class Freshness(models.Model):
    """How fresh one part of the reader site is: a counter that every change to it bumps.

    Keys name what a cached page shows (``site``, ``home``, ``issue:2020-10-23``,
    ``page:2020-10-23/3``, ``column:<slug>``, ``person:<id>``, ``feeds`` …; see
    :mod:`articles.cache`). Bumped inside the writing transaction, so every server
    process, and every command-line import, agrees on what is stale once it commits.
    """

    key = models.CharField("键", max_length=120, primary_key=True)
    version = models.PositiveBigIntegerField("版本", default=0)
    changed_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "页面缓存版本"
        verbose_name_plural = "页面缓存版本"

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class ScheduledChange(models.Model):
    """A moment at which a part of the reader site changes with no write: an article
    scheduled for publication appears then. Counted with :class:`Freshness` once due."""

    key = models.CharField("键", max_length=120)
    due_at = models.DateTimeField("生效时间")

    class Meta:
        verbose_name = "定时变化"
        verbose_name_plural = "定时变化"
        constraints = [
            models.UniqueConstraint(fields=["key", "due_at"], name="scheduledchange_unique_key_due"),
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.due_at:%Y-%m-%d %H:%M}"
