"""sitemap.xml: an index of sections (articles are split into files of 50,000)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse

from .models import Article, Column, Issue, issue_datetime


def latest_change():
    """The newest lastmod among published articles: the newest issue's date or an editor's
    later edit, in two queries (the index's ``get_latest_lastmod`` would otherwise read every
    article of the archive, half a minute at a million)."""
    published = Article.objects.published()
    newest = published.newest_first().values_list("issue_date", flat=True).first()
    if newest is None:
        return None
    edited = published.aggregate(at=Max("edited_at"))["at"]
    dated = issue_datetime(newest)
    return max(dated, edited) if edited else dated


class ArticleSitemap(Sitemap):
    changefreq = "never"
    priority = 0.8
    limit = 50_000

    def items(self):
        return (
            Article.objects.published()
            .select_related("page__issue")
            .only("edited_at", "page__issue__date")
            .newest_first()
        )

    def get_latest_lastmod(self):
        return latest_change()

    def location(self, item: Article) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: Article):
        """The issue's date, or an editor's later change (an import is no modification)."""
        return item.date_modified


class IssueSitemap(Sitemap):
    changefreq = "never"
    priority = 0.6

    def items(self):
        published = Article.objects.published().filter(page__issue=OuterRef("pk"))
        return (
            Issue.objects.filter(Exists(published))
            .annotate(last_edit=Max("pages__articles__edited_at"))
            .order_by("-date")
        )

    def lastmod(self, item: Issue):
        published = item.published_on
        return max(published, item.last_edit) if item.last_edit else published

    def get_latest_lastmod(self):
        return latest_change()


class ColumnSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        published = Article.objects.published().filter(column=OuterRef("pk"))
        return Column.objects.filter(Exists(published)).order_by("name")


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["site:home", "site:archive", "site:columns"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "issues": IssueSitemap,
    "columns": ColumnSitemap,
    "articles": ArticleSitemap,
}
