"""RSS and Atom feeds: the latest published articles, and each column's.

Two rules make any stored text safe for feed readers:

- Every string that goes into a feed passes :func:`xml_text`, which drops the characters
  XML 1.0 cannot carry (C0/C1 control characters such as ``\x1b``, U+FFFE/U+FFFF, lone
  surrogates). One stray OCR control character must not make every feed a 500.
- An item's description (RSS ``<description>``, Atom ``<summary type="html">``) is HTML,
  so it is built as HTML here — our ``<p>`` around the *escaped* text — and the XML
  writer escapes that HTML once more. A kicker ``<script>…`` reaches the reader as text.
  Titles, names and categories are plain text in both formats and escaped once.
"""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import format_html

from .models import Article, Byline, Column

FEED_ITEMS = 30

# Characters XML 1.0 does not allow (or, for C1 controls and DEL, discourages): dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    """``value`` with every character XML 1.0 cannot carry removed (strings in lists and
    dicts too); anything else (dates, enclosures, None) unchanged."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(v) for v in value)
    if isinstance(value, dict):
        return {k: xml_text(v) for k, v in value.items()}
    return value


class XmlSafeMixin:
    """A feed generator that passes the feed's and every item's text through :func:`xml_text`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_text(args), **xml_text(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_text(args), **xml_text(kwargs))


class SafeRssFeed(XmlSafeMixin, Rss201rev2Feed):
    pass


class SafeAtomFeed(XmlSafeMixin, Atom1Feed):
    pass


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
    """How an article appears as a feed item (plain-text fields are escaped by the feed writer)."""

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        """HTML: kicker and subtitle, then the dateline and the start of the body, each an
        escaped paragraph (feed readers render the description as HTML)."""
        heads = " ".join(p for p in (item.kicker, item.subtitle) if p)
        text = "".join(b.get("text", "") for b in item.paragraphs[:2])
        lead = f"{item.dateline} {text}".strip() if item.dateline else text
        if len(lead) > 300:
            lead = lead[:300] + "…"
        return "".join(format_html("<p>{}</p>", part) for part in (heads, lead) if part)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Article) -> str:
        return "、".join(b.person.name for b in item.bylines.all()) or None

    def item_pubdate(self, item: Article) -> datetime.datetime:
        """The issue's date (Article.date_published), never the import time; items come newest issue first."""
        return item.date_published

    def item_updateddate(self, item: Article) -> datetime.datetime:
        return item.date_modified

    def item_categories(self, item: Article):
        return [item.column.name] if item.column else []


class LatestRssFeed(ArticleItemsMixin, Feed):
    feed_type = SafeRssFeed
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
    feed_type = SafeAtomFeed
    subtitle = LatestRssFeed.description


class ColumnRssFeed(ArticleItemsMixin, Feed):
    feed_type = SafeRssFeed
    language = "zh-CN"

    def get_object(self, request, slug):
        return get_object_or_404(Column.objects.published(), slug=slug)  # no feed of drafts

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
    feed_type = SafeAtomFeed
    subtitle = ColumnRssFeed.description
