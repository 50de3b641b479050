"""The reader website: today's paper, the archive, columns, people, search, feeds."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from . import feeds, views
from .cache import reader_cache
from .sitemaps import SITEMAPS


class TwoDigitConverter:
    """A month or day: accepts 1 or 01, writes 01 (so URLs read /2020/01/05/)."""

    regex = "[0-9]{1,2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):02d}"


register_converter(TwoDigitConverter, "dd")

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:year>/", views.archive_year, name="archive-year"),
    path("archive/<int:year>/<dd:month>/", views.archive_month, name="archive-month"),
    path("columns/", views.columns, name="columns"),
    path("columns/<slug:slug>/", views.column, name="column"),
    path("people/<int:pk>/", views.person, name="person"),
    path("search/", views.search, name="search"),
    path("feeds/latest/rss/", reader_cache(feeds.LatestRssFeed()), name="feed-latest-rss"),
    path("feeds/latest/atom/", reader_cache(feeds.LatestAtomFeed()), name="feed-latest-atom"),
    path("feeds/columns/<slug:slug>/rss/", reader_cache(feeds.ColumnRssFeed()), name="feed-column-rss"),
    path("feeds/columns/<slug:slug>/atom/", reader_cache(feeds.ColumnAtomFeed()), name="feed-column-atom"),
    path(
        "sitemap.xml",
        reader_cache(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "site:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        reader_cache(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("pages/<int:pk>/", views.page, name="page"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("<int:year>/<dd:month>/<dd:day>/", views.issue, name="issue"),
    # Addresses by date and position, as links used to be made: they redirect (301).
    path("<int:year>/<dd:month>/<dd:day>/<int:number>/", views.dated_page, name="dated-page"),
    path(
        "<int:year>/<dd:month>/<dd:day>/<int:number>/<int:position>/",
        views.article_at_position,
        name="article-at-position",
    ),
]
