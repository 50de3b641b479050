"""The readers' page cache: pages come from the cache, and any edit shows on the next load."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.cache import bump_content_version, content_version
from articles.models import Article, Byline, Column, Page, Person, Photo

from . import factories


def load(client, url):
    """GET ``url``; returns (response, number of database queries it ran)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx)


def test_second_load_comes_from_the_cache(client, article):
    first, queries = load(client, article.get_absolute_url())
    assert first.status_code == 200 and queries > 0
    second, queries = load(client, article.get_absolute_url())
    assert queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]


@pytest.mark.parametrize("url", ["/", "/2020/10/23/", "page", "/columns/", "/archive/", "/feeds/latest/rss/"])
def test_every_reader_page_is_cached(client, article, url):
    url = article.page.get_absolute_url() if url == "page" else url
    load(client, url)
    assert load(client, url)[1] == 0


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
    from django.db import connection

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


def test_version_changes_again_when_the_transaction_commits(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article.title = "事务中的修改"
        article.save()
        during = content_version()
    assert callbacks
    assert content_version() != during


def test_staff_pages_are_never_cached_nor_served_from_cache(client, article, draft_article, editor):
    client.get(article.get_absolute_url())  # cached for readers
    client.force_login(editor)
    response, queries = load(client, article.get_absolute_url())
    assert queries > 0 and "已登录为编辑" in response.content.decode()
    assert "草稿预览" in client.get(draft_article.get_absolute_url()).content.decode()
    client.logout()
    response, _ = load(client, article.get_absolute_url())
    assert "已登录为编辑" not in response.content.decode()
    assert client.get(draft_article.get_absolute_url()).status_code == 404


def test_not_found_is_not_cached(client, draft_article):
    url = draft_article.get_absolute_url()
    assert client.get(url).status_code == 404
    draft_article.status = Article.Status.PUBLISHED
    draft_article.save()
    assert client.get(url).status_code == 200


def test_photo_queryset_update_clears_the_cache(client, article):
    photo = factories.PhotoFactory(page=article.page, article=article, caption="原来的说明")
    client.get(article.get_absolute_url())
    Photo.objects.filter(pk=photo.pk).update(caption="批量改过的说明")
    assert "批量改过的说明" in client.get(article.get_absolute_url()).content.decode()


def _redis_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def test_an_edit_clears_pages_cached_in_a_shared_redis_cache(client, article, settings):
    """With DJANGO_CACHE_URL=redis://…, every worker sees the same content version."""
    import os
    import uuid

    from django.core.cache import caches

    from newsroom.settings import cache_from_url

    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("CI runs a Redis server on 127.0.0.1:6379")
        pytest.skip("no Redis server on 127.0.0.1:6379")
    config = cache_from_url("redis://127.0.0.1:6379/15")  # a database of its own: clear() empties it
    config["KEY_PREFIX"] = f"newsroom-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": config}
    try:
        assert load(client, article.get_absolute_url())[1] > 0
        assert load(client, article.get_absolute_url())[1] == 0
        article.title = "共享缓存中的新标题"
        article.save()
        response, queries = load(client, article.get_absolute_url())
        assert queries > 0 and "共享缓存中的新标题" in response.content.decode()
    finally:
        caches["default"].clear()


def test_a_cache_url_of_an_unknown_kind_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    from newsroom.settings import cache_from_url

    with pytest.raises(ImproperlyConfigured, match="memcached://x"):
        cache_from_url("memcached://x")
    assert cache_from_url("file:///tmp/c")["BACKEND"].endswith("FileBasedCache")
