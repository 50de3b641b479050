"""RSS and Atom feeds: the latest published articles, and each column's."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Article, Byline, Column

FEED_ITEMS = 30


def _latest(queryset):
    return list(
        queryset.published()
        .select_related("page__issue", "column")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("person").order_by("order", "pk"))
        )
        .newest_first()[:FEED_ITEMS]
    )


class ArticleItemsMixin:
    """How an article appears as a feed item (all text is escaped by the feed writer)."""

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        """Kicker and subtitle, then the dateline and the start of the body, as plain text."""
        heads = " ".join(p for p in (item.kicker, item.subtitle) if p)
        text = "".join(b.get("text", "") for b in item.paragraphs[:2])
        lead = f"{item.dateline} {text}".strip() if item.dateline else text
        if len(lead) > 300:
            lead = lead[:300] + "…"
        return f"{heads}\n{lead}" if heads else lead

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Article) -> str:
        return "、".join(b.person.name for b in item.bylines.all()) or None

    def item_pubdate(self, item: Article) -> datetime.datetime:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return item.updated_at

    def item_categories(self, item: Article):
        return [item.column.name] if item.column else []


class LatestRssFeed(ArticleItemsMixin, Feed):
    language = "zh-CN"

    def title(self) -> str:
        return f"{settings.NEWSROOM_PAPER_NAME} · 最新稿件"

    def link(self) -> str:
        return reverse("site:home")

    def description(self) -> str:
        return f"{settings.NEWSROOM_PAPER_NAME}最新发布的稿件"

    def items(self):
        return _latest(Article.objects.all())


class LatestAtomFeed(LatestRssFeed):
    feed_type = Atom1Feed
    subtitle = LatestRssFeed.description


class ColumnRssFeed(ArticleItemsMixin, Feed):
    language = "zh-CN"

    def get_object(self, request, slug):
        return get_object_or_404(Column, slug=slug)

    def title(self, obj: Column) -> str:
        return f"{settings.NEWSROOM_PAPER_NAME} · {obj.name}"

    def link(self, obj: Column) -> str:
        return obj.get_absolute_url()

    def description(self, obj: Column) -> str:
        return obj.description or f"{settings.NEWSROOM_PAPER_NAME}「{obj.name}」栏目的最新稿件"

    def items(self, obj: Column):
        items = _latest(Article.objects.filter(column=obj))
        for item in items:
            item.column = obj
        return items


class ColumnAtomFeed(ColumnRssFeed):
    feed_type = Atom1Feed
    subtitle = ColumnRssFeed.description
