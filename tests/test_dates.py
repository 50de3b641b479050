"""True dates: what a reader or machine sees as an article's date is its issue's date.

An issue is dated at the start of its date in the paper's time zone (Asia/Shanghai,
``articles.models.ISSUE_TIME``); feeds, JSON-LD and the sitemap never carry the import
time, and an estimated issue date is marked as such to readers.
"""

from __future__ import annotations

import datetime
import email.utils
import io
import json
import re
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Issue

from . import factories
from .conftest import SEEDS

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

pytestmark = pytest.mark.django_db


def import_seeds(*args, **options):
    call_command("import_pages", *args, stdout=io.StringIO(), stderr=io.StringIO(), **options)


def json_ld(client, article) -> dict:
    body = client.get(article.get_absolute_url()).content.decode()
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))


def on_issue_date(value: datetime.datetime, article: Article) -> bool:
    return value.astimezone(SHANGHAI).date() == article.page.issue.date


def test_every_imported_article_is_dated_by_its_issue_in_feeds_json_ld_and_sitemap(client):
    import_seeds(publish=True)
    published = list(Article.objects.published().select_related("page__issue"))
    assert len({a.page.issue.date for a in published}) >= 3  # several issues, all imported today
    by_url = {f"http://testserver{a.get_absolute_url()}": a for a in published}

    rss = ET.fromstring(client.get("/feeds/latest/rss/").content).find("channel").findall("item")
    assert {i.findtext("link") for i in rss} == set(by_url)
    for item in rss:
        article = by_url[item.findtext("link")]
        pubdate = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
        assert pubdate == datetime.datetime.combine(article.page.issue.date, datetime.time(0), SHANGHAI)
        assert item.findtext("pubDate").endswith("+0800")
    dates = [by_url[i.findtext("link")].page.issue.date for i in rss]
    assert dates == sorted(dates, reverse=True)  # newest issue first

    for article in published:
        data = json_ld(client, article)
        assert data["datePublished"] == f"{article.page.issue.date.isoformat()}T00:00:00+08:00"
        assert on_issue_date(datetime.datetime.fromisoformat(data["dateModified"]), article)

    sitemap = ET.fromstring(client.get("/sitemap-articles.xml").content)
    urls = sitemap.findall(f"{SITEMAP_NS}url")
    assert len(urls) == len(published)
    for url in urls:
        article = by_url[url.findtext(f"{SITEMAP_NS}loc")]
        assert url.findtext(f"{SITEMAP_NS}lastmod") == article.page.issue.date.isoformat()
    for url in ET.fromstring(client.get("/sitemap-issues.xml").content).findall(f"{SITEMAP_NS}url"):
        lastmod = datetime.date.fromisoformat(url.findtext(f"{SITEMAP_NS}lastmod"))
        assert url.findtext(f"{SITEMAP_NS}loc").endswith(lastmod.strftime("/%Y/%m/%d/"))


def test_the_feed_is_ordered_by_issue_date_not_by_when_articles_were_published(client):
    old = factories.ArticleFactory(
        page=factories.PageFactory(issue=factories.IssueFactory(date=datetime.date(2019, 3, 5)), number=1),
        title="旧报纸今天才发布",
        published_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    new = factories.ArticleFactory(
        page=factories.PageFactory(issue=factories.IssueFactory(date=datetime.date(2020, 10, 23)), number=1),
        title="新一期的稿件",
        published_at=timezone.now() - datetime.timedelta(days=300),
    )
    items = ET.fromstring(client.get("/feeds/latest/rss/").content).find("channel").findall("item")
    assert [i.findtext("title") for i in items] == [new.title, old.title]
    assert items[1].findtext("pubDate") == "Tue, 05 Mar 2019 00:00:00 +0800"
    atom = client.get("/feeds/latest/atom/").content.decode()
    assert "<published>2019-03-05T00:00:00+08:00</published>" in atom


def test_an_editors_change_is_the_modification_date_an_import_is_not(client, article):
    assert json_ld(client, article)["dateModified"] == "2020-10-23T00:00:00+08:00"
    article.subtitle = "编辑补上的副题"
    article.mark_edited()
    article.save()
    article.refresh_from_db()
    data = json_ld(client, article)
    assert data["datePublished"] == "2020-10-23T00:00:00+08:00"
    assert datetime.datetime.fromisoformat(data["dateModified"]) == article.edited_at
    sitemap = client.get("/sitemap-articles.xml").content.decode()
    assert f"<lastmod>{article.edited_at.astimezone(SHANGHAI).date().isoformat()}</lastmod>" in sitemap


def test_an_estimated_issue_date_is_marked_for_readers(client, article):
    urls = [
        "/",
        article.page.issue.get_absolute_url(),
        article.page.get_absolute_url(),
        article.get_absolute_url(),
    ]
    for url in urls:
        assert "日期为推测" not in client.get(url).content.decode(), url
    Issue.objects.filter(pk=article.page.issue_id).update(date_estimated=True)
    for url in [*urls, f"/search/?q={article.title}", article.column and article.column.get_absolute_url()]:
        if url:
            body = client.get(url).content.decode()
            assert '2020年10月23日<span class="date-estimated"' in body and "（日期为推测）" in body, url


def test_the_seed_pages_estimated_dates_are_marked(client):
    import_seeds(publish=True)
    article = Article.objects.published().first()
    assert article.page.issue.date_estimated
    assert "（日期为推测）" in client.get(article.get_absolute_url()).content.decode()


def test_publishing_an_issue_dated_in_the_future_schedules_it_for_its_date(client, tmp_path):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "p.txt").write_bytes((SEEDS / "003_5e8ab85cd838b191.txt").read_bytes())
    (folder / "manifest.toml").write_text(
        f'[files."p.txt"]\ndate = "{tomorrow.isoformat()}"\npage = 1\n', encoding="utf-8"
    )
    import_seeds(str(folder), publish=True)
    clean = Article.objects.filter(needs_review=False)
    assert clean.exists() and not Article.objects.published().exists()
    start = datetime.datetime.combine(tomorrow, datetime.time(0), SHANGHAI)
    assert set(clean.values_list("published_at", flat=True)) == {start}
    assert set(clean.values_list("status", flat=True)) == {Article.Status.PUBLISHED}
    assert client.get(clean.first().get_absolute_url()).status_code == 404


SITEMAP_DAY = datetime.date(2020, 10, 23)


def test_the_sitemap_index_dates_each_section_by_its_newest_issue_or_later_edit(client, db):
    """The index's lastmod of the article and issue sections: the newest published issue's
    date, or an editor's edit after it (an unpublished newer issue does not count)."""
    old = factories.ArticleFactory(page=factories.PageFactory(issue=factories.IssueFactory(date=SITEMAP_DAY)))
    factories.ArticleFactory(
        page=factories.PageFactory(
            issue=factories.IssueFactory(date=SITEMAP_DAY + datetime.timedelta(days=1))
        ),
        status=Article.Status.DRAFT,
        published_at=None,
    )

    def lastmods() -> dict[str, str]:
        index = ET.fromstring(client.get("/sitemap.xml").content)
        return {
            s.find(f"{SITEMAP_NS}loc").text.rsplit("-", 1)[-1]: s.find(f"{SITEMAP_NS}lastmod").text
            for s in index.findall(f"{SITEMAP_NS}sitemap")
            if s.find(f"{SITEMAP_NS}lastmod") is not None
        }

    assert lastmods()["articles.xml"].startswith(f"{SITEMAP_DAY:%Y-%m-%d}T00:00:00")
    assert lastmods()["issues.xml"].startswith(f"{SITEMAP_DAY:%Y-%m-%d}T00:00:00")
    edited_at = datetime.datetime(2021, 3, 1, 9, 30, tzinfo=datetime.UTC)
    Article.objects.filter(pk=old.pk).update(edited=True, edited_at=edited_at)
    assert lastmods()["articles.xml"].startswith("2021-03-01T")
    assert lastmods()["issues.xml"].startswith("2021-03-01T")
