"""The readers' page cache and HTTP caching: pages come from the cache, any edit shows on the
next load, proxies get validators and Cache-Control, and a cache outage costs only speed."""

from __future__ import annotations

import datetime
import gzip
import logging
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.cache import bump_content_version
from articles.models import Article, Byline, Column, Page, Person, Photo

from . import factories

READER_URLS = [
    "/",
    "/2020/10/23/",
    "{page}",
    "{article}",
    "/columns/",
    "/columns/gong-hui-bo-lan/",
    "/people/{person}/",
    "/archive/",
    "/archive/2020/",
    "/archive/2020/10/",
    "/feeds/latest/rss/",
    "/feeds/columns/gong-hui-bo-lan/atom/",
    "/sitemap.xml",
    "/search/?q=宣讲",
]


def load(client, url, **headers):
    """GET ``url``; returns (response, number of database queries it ran)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=headers)
    return response, len(ctx)


@pytest.fixture
def in_column(article):
    article.column = Column.objects.create(name="工会博览", slug="gong-hui-bo-lan")
    article.save()
    return article


def reader_urls(article):
    person = article.bylines.first().person
    where = {
        "person": person.pk,
        "page": article.page.get_absolute_url(),
        "article": article.get_absolute_url(),
    }
    return [u.format(**where) for u in READER_URLS]


def test_second_load_comes_from_the_cache(client, article):
    first, queries = load(client, article.get_absolute_url())
    assert first.status_code == 200 and queries > 1
    assert first["X-Newsroom-Cache"] == "miss"
    second, queries = load(client, article.get_absolute_url())
    assert queries == 1  # only the freshness of what the page shows
    assert second["X-Newsroom-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]


def test_every_reader_page_is_cached(client, in_column):
    for url in reader_urls(in_column):
        assert load(client, url)[0].status_code == 200, url
        assert load(client, url)[1] == 1, url


def test_model_save_shows_on_next_load(client, article):
    url = article.get_absolute_url()
    assert "工会进企宣讲扶贫政策" in client.get(url).content.decode()
    article.title = "编辑改过的标题"
    article.save()
    body = client.get(url).content.decode()
    assert "编辑改过的标题" in body and "工会进企宣讲扶贫政策" not in body
    assert "编辑改过的标题" in client.get("/").content.decode()


def test_person_and_byline_changes_show(client, article):
    url = article.get_absolute_url()
    client.get(url)
    person = Person.objects.get(name="马学礼")
    person.name = "马学理"
    person.save()
    assert "马学理" in client.get(url).content.decode()
    Byline.objects.filter(article=article).delete()
    assert "马学理" not in client.get(url).content.decode()


def test_column_and_photo_changes_show(client, article):
    url = article.get_absolute_url()
    client.get(url)
    column = Column.objects.create(name="工会博览", slug="gong-hui-bo-lan")
    article.column = column
    article.save()
    assert "工会博览" in client.get(url).content.decode()
    column.name = "工会博览会"
    column.save()
    assert "工会博览会" in client.get(url).content.decode()
    photo = factories.PhotoFactory(page=article.page, article=article, caption="新的图片说明")
    assert "新的图片说明" in client.get(url).content.decode()
    photo.delete()
    assert "新的图片说明" not in client.get(url).content.decode()


def test_queryset_unpublish_and_publish_clear_the_cache(client, article):
    """publish()/unpublish() write with update(), which sends no signals."""
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert Article.objects.filter(pk=article.pk).unpublish() == 1
    assert client.get(url).status_code == 404
    assert Article.objects.filter(pk=article.pk).publish() == 1
    assert client.get(url).status_code == 200


def test_a_bulk_update_of_any_content_shows_on_next_load(client, article):
    """update() sends no model signals; the content querysets announce it themselves."""
    url = article.page.get_absolute_url()
    assert "工会新闻" in client.get(url).content.decode()
    Page.objects.filter(pk=article.page.pk).update(name="要闻")
    body = client.get(url).content.decode()
    assert "要闻" in body and "工会新闻" not in body
    assert "通讯员" not in client.get(article.get_absolute_url()).content.decode()
    Byline.objects.filter(article=article).update(role="通讯员")
    assert "通讯员" in client.get(article.get_absolute_url()).content.decode()


def test_raw_sql_writers_call_bump_content_version(client, article):
    """Writes the ORM cannot see (raw SQL) clear the cache when the writer says so."""
    url = article.page.get_absolute_url()
    assert "工会新闻" in client.get(url).content.decode()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_page SET name = %s WHERE id = %s", ["要闻", article.page.pk])
    assert "工会新闻" in client.get(url).content.decode()  # still the cached page
    bump_content_version()
    assert "要闻" in client.get(url).content.decode()


def test_bulk_create_of_articles_clears_the_cache(client, article):
    client.get("/")
    Article.objects.bulk_create(
        [factories.ArticleFactory.build(page=article.page, position=2, title="批量导入的稿件")]
    )
    assert "批量导入的稿件" in client.get("/").content.decode()


def test_staff_pages_are_never_cached_nor_served_from_cache(client, article, draft_article, editor):
    client.get(article.get_absolute_url())  # cached for readers
    client.force_login(editor)
    response, queries = load(client, article.get_absolute_url())
    assert queries > 1 and "已登录为编辑" in response.content.decode()
    assert "草稿预览" in client.get(draft_article.get_absolute_url()).content.decode()
    client.logout()
    response, _ = load(client, article.get_absolute_url())
    assert "已登录为编辑" not in response.content.decode()
    assert client.get(draft_article.get_absolute_url()).status_code == 404


def test_not_found_is_not_cached(client, draft_article):
    """A 404 is rendered again on the next load: the article is published by a writer that
    tells the cache nothing (raw SQL), so only a fresh render can show it."""
    url = draft_article.get_absolute_url()
    assert client.get(url).status_code == 404
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET status = %s, published_at = %s WHERE id = %s",
            ["published", timezone.now(), draft_article.pk],
        )
    assert client.get(url).status_code == 200


def test_photo_queryset_update_clears_the_cache(client, article):
    photo = factories.PhotoFactory(page=article.page, article=article, caption="原来的说明")
    client.get(article.get_absolute_url())
    Photo.objects.filter(pk=photo.pk).update(caption="批量改过的说明")
    assert "批量改过的说明" in client.get(article.get_absolute_url()).content.decode()


def test_a_scheduled_article_appears_at_its_time_on_cached_pages(client, article):
    url = article.page.get_absolute_url()
    soon = timezone.now() + datetime.timedelta(seconds=1)
    factories.ArticleFactory(page=article.page, position=2, title="定时发布的稿件", published_at=soon)
    assert "定时发布的稿件" not in client.get(url).content.decode()
    assert "定时发布的稿件" not in client.get(url).content.decode()  # cached, still hidden
    time.sleep((soon - timezone.now()).total_seconds() + 0.05)
    assert "定时发布的稿件" in client.get(url).content.decode()


# ---------------------------------------------------------------- HTTP caching


def test_every_reader_page_answers_a_conditional_get_with_304(client, in_column):
    for url in reader_urls(in_column):
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"] and first["Last-Modified"], url
        by_etag, queries = load(client, url, if_none_match=first["ETag"])
        assert by_etag.status_code == 304 and by_etag.content == b"" and queries == 1, url
        assert by_etag["ETag"] == first["ETag"]
        by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
        assert by_date.status_code == 304, url


def test_an_edit_changes_the_validators(client, article):
    url = article.get_absolute_url()
    etag = client.get(url)["ETag"]
    article.title = "改过的标题"
    article.save()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200 and "改过的标题" in response.content.decode()
    assert response["ETag"] != etag


def test_readers_get_a_public_short_cache_control_staff_a_private_one(client, article, editor, settings):
    settings.NEWSROOM_HTTP_MAX_AGE, settings.NEWSROOM_HTTP_STALE = 30, 45
    for url in (article.get_absolute_url(), "/api/v1/articles/"):
        for attempt in ("render", "cache"):
            control = client.get(url)["Cache-Control"]
            assert set(control.split(", ")) == {"public", "max-age=30", "stale-while-revalidate=45"}, (
                url,
                attempt,
            )
    client.force_login(editor)
    for url in (article.get_absolute_url(), "/api/v1/articles/"):
        response = client.get(url)
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"] and not response.has_header("ETag")


def test_api_gets_answer_conditional_requests(client, article):
    first = client.get("/api/v1/articles/")
    assert first.status_code == 200 and first["ETag"]
    assert client.get("/api/v1/articles/", headers={"if-none-match": first["ETag"]}).status_code == 304
    article.title = "接口也看得到的修改"
    article.save()
    changed = client.get("/api/v1/articles/", headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and "接口也看得到的修改" in changed.content.decode()


def test_html_and_json_are_gzipped_when_accepted(client, article):
    for url in (article.get_absolute_url(), "/", "/api/v1/articles/"):
        plain = client.get(url)
        assert not plain.has_header("Content-Encoding")
        packed = client.get(url, headers={"accept-encoding": "gzip, deflate"})
        assert packed["Content-Encoding"] == "gzip", url
        assert gzip.decompress(packed.content) == plain.content
        assert "Accept-Encoding" in packed["Vary"]


def test_pages_with_a_csrf_token_are_not_compressed(client, editor):
    """BREACH: a secret on a compressed page leaks through its length."""
    login = client.get("/admin/login/", headers={"accept-encoding": "gzip"})
    assert "csrfmiddlewaretoken" in login.content.decode()
    assert not login.has_header("Content-Encoding")
    client.force_login(editor)
    admin = client.get("/admin/", headers={"accept-encoding": "gzip"})
    assert admin.status_code == 200 and not admin.has_header("Content-Encoding")


# ---------------------------------------------------------------- Redis, and its outage


def use_redis(settings, url):
    from newsroom.settings import cache_from_url

    settings.CACHES = {
        "default": cache_from_url(url),
        "pages": cache_from_url(url, prefix="newsroom-pages"),
    }


def test_an_edit_shows_with_pages_cached_in_a_shared_redis(client, article, settings, redis_server):
    use_redis(settings, redis_server.url)
    assert load(client, article.get_absolute_url())[1] > 1
    assert load(client, article.get_absolute_url())[1] == 1
    article.title = "共享缓存中的新标题"
    article.save()
    response, queries = load(client, article.get_absolute_url())
    assert queries > 1 and "共享缓存中的新标题" in response.content.decode()


def test_a_redis_outage_serves_uncached_pages_and_logs_it(client, article, settings, redis_server, caplog):
    use_redis(settings, redis_server.url)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert load(client, url)[1] == 1  # from Redis
    for f in logging.getLogger("newsroom.cache").filters:
        f._last = float("-inf")  # the once-a-minute filter: a report is due now
    redis_server.kill()
    redis_server.wait()
    with caplog.at_level(logging.WARNING, logger="newsroom.cache"):
        for _ in range(3):
            response, queries = load(client, url)
            assert response.status_code == 200 and queries > 1  # rendered, not cached
            assert "工会进企宣讲扶贫政策" in response.content.decode()
        assert client.get("/").status_code == 200
        assert client.get("/api/v1/articles/").status_code == 200  # throttling uses the cache too
    reports = [r for r in caplog.records if r.name == "newsroom.cache"]
    assert len(reports) == 1  # once, not once per request
    assert "Connection" in (reports[0].exc_text or reports[0].getMessage())


def test_a_cache_url_of_an_unknown_kind_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from newsroom.settings import cache_from_url

    with pytest.raises(ImproperlyConfigured, match="memcached://x"):
        cache_from_url("memcached://x")
    assert cache_from_url("file:///tmp/c")["BACKEND"].endswith("FileBasedCache")


# ---------------------------------------------------------------- invalidation by what changed


@pytest.fixture
def two_issues(db):
    """Two issues of two pages, two articles a page; columns and reporters spread over them."""
    columns = [
        Column.objects.create(name=n, slug=s) for n, s in (("主席之声", "zhu-xi"), ("工会博览", "bo-lan"))
    ]
    people = [factories.PersonFactory(name=n) for n in ("马学礼", "郑莉", "刘友婷")]
    made = {}
    for day in (22, 23):
        issue = factories.IssueFactory(date=datetime.date(2020, 10, day))
        for number in (1, 2):
            page = factories.PageFactory(issue=issue, number=number, name=f"第{number}版")
            for position in (1, 2):
                art = factories.ArticleFactory(
                    page=page,
                    position=position,
                    title=f"{day}日{number}版{position}篇",
                    column=columns[position - 1],
                )
                factories.BylineFactory(article=art, person=people[(day + number + position) % 3])
                made[(day, number, position)] = art
    return made


def test_an_edit_makes_stale_only_the_pages_that_show_it(client, two_issues):
    edited = two_issues[(22, 1, 1)]  # an older issue: not on the home page
    neighbour = two_issues[(22, 1, 2)]
    reporter = edited.bylines.get().person
    others = [
        p for p in Person.objects.all() if p != reporter and not p.bylines.filter(article=neighbour).exists()
    ]
    stale = [
        edited.get_absolute_url(),
        neighbour.get_absolute_url(),  # lists its neighbour by title
        edited.page.get_absolute_url(),
        "/2020/10/22/",
        "/columns/zhu-xi/",
        reporter.get_absolute_url(),
        "/feeds/latest/rss/",
        "/sitemap.xml",
    ]
    fresh = [
        "/",
        "/2020/10/23/",
        two_issues[(22, 2, 1)].page.get_absolute_url(),
        two_issues[(22, 2, 1)].get_absolute_url(),
        two_issues[(23, 1, 1)].get_absolute_url(),
        "/columns/bo-lan/",
        "/columns/",
        "/archive/",
        "/archive/2020/10/",
        *[p.get_absolute_url() for p in others],
    ]
    assert others
    for url in stale + fresh:
        assert client.get(url).status_code == 200, url
        assert load(client, url)[1] == 1, url  # cached
    edited.title = "只改了这一篇"
    edited.save()
    for url in stale:
        assert load(client, url)[1] > 1, f"{url} should render again"
    for url in fresh:
        assert load(client, url)[1] == 1, f"{url} should still come from the cache"
    assert "只改了这一篇" in client.get(edited.get_absolute_url()).content.decode()
    assert "只改了这一篇" in client.get("/2020/10/22/").content.decode()


def test_an_edit_in_the_latest_issue_makes_the_home_page_stale(client, two_issues):
    edited = two_issues[(23, 2, 1)]
    client.get("/")
    assert load(client, "/")[1] == 1
    edited.title = "今天的新标题"
    edited.save()
    assert "今天的新标题" in client.get("/").content.decode()


def test_publishing_changes_the_lists_of_dates_and_columns(client, two_issues):
    assert 'href="/2020/10/23/"' in client.get("/archive/2020/10/").content.decode()
    assert "4篇" in client.get("/columns/").content.decode()
    assert "2020年10月23日" in client.get("/").content.decode()
    assert 'href="/2020/10/23/"' in client.get("/2020/10/22/").content.decode()  # next issue, cached
    Article.objects.filter(page__issue__date=datetime.date(2020, 10, 23)).unpublish()
    assert 'href="/2020/10/23/"' not in client.get("/archive/2020/10/").content.decode()
    assert 'href="/2020/10/23/"' not in client.get("/2020/10/22/").content.decode()
    assert "2020年10月22日" in client.get("/").content.decode()
    assert "4篇" not in client.get("/columns/").content.decode()  # each column lost two


def test_a_command_line_import_makes_its_pages_stale(client, two_issues, seeds_dir):
    from django.core.management import call_command

    client.get("/")
    client.get("/archive/2020/10/")
    call_command("import_pages", str(seeds_dir / "001_e80f7a4e58440405.txt"), "--date", "2020-10-24",
                 "--page", "1", "--publish", verbosity=0)  # fmt: skip
    assert "2020年10月24日" in client.get("/").content.decode()
    assert 'href="/2020/10/24/"' in client.get("/archive/2020/10/").content.decode()
