"""Permanent addresses: a URL that once served an article keeps serving it (or leads to it).

Articles live at ``/articles/<id>/`` and pages at ``/pages/<id>/``. The old addresses by
printed position (``/2020/10/23/3/2/``) and date (``/2020/10/23/3/``) redirect (301) to
what they meant when they were made, through split, merge, re-import and date fixes.
"""

from __future__ import annotations

import datetime
import importlib
import io
import types

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from articles.editing import merge_articles, split_article
from articles.models import Address, Article, Issue, Page

from . import factories
from .conftest import SEEDS

DAY = datetime.date(2020, 10, 23)
BODY = [{"type": "paragraph", "text": f"第{i}段，工会进企宣讲扶贫政策。"} for i in range(1, 5)]

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return factories.PageFactory(issue=factories.IssueFactory(date=DAY), number=3, name="工会新闻")


def story(page, position, title, **kwargs):
    return factories.ArticleFactory(page=page, position=position, title=title, body=list(BODY), **kwargs)


def lands_on(client, url) -> tuple[list, str]:
    """Follow ``url``'s redirects: the chain of (url, status) and the final page's text."""
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.redirect_chain, response.content.decode()


def test_an_article_and_a_page_live_at_their_ids(client, page):
    first = story(page, 1, "头条稿件")
    assert first.get_absolute_url() == f"/articles/{first.pk}/"
    assert page.get_absolute_url() == f"/pages/{page.pk}/"
    assert "头条稿件" in client.get(first.get_absolute_url()).content.decode()
    assert "头条稿件" in client.get(page.get_absolute_url()).content.decode()
    assert client.get("/articles/999999/").status_code == 404
    assert client.get("/pages/999999/").status_code == 404


def test_old_position_and_date_links_redirect_permanently(client, page):
    first = story(page, 1, "头条稿件")
    chain, text = lands_on(client, "/2020/10/23/3/1/")
    assert chain == [(first.get_absolute_url(), 301)] and "头条稿件" in text
    chain, _ = lands_on(client, "/2020/10/23/3/")
    assert chain == [(page.get_absolute_url(), 301)]
    assert client.get("/2020/10/23/3/7/").status_code == 404  # nothing was ever there


def test_after_a_split_the_first_part_keeps_its_address_and_old_links_keep_their_article(client, page):
    first = story(page, 1, "头条稿件")
    second = story(page, 2, "第二篇稿件")
    url_first, url_second = first.get_absolute_url(), second.get_absolute_url()
    new = split_article(first, 2, title="拆出的后半")
    assert Article.objects.get(pk=second.pk).position == 3  # moved down to make room
    assert "头条稿件" in lands_on(client, url_first)[1]
    assert "第二篇稿件" in lands_on(client, url_second)[1]
    assert "拆出的后半" in lands_on(client, new.get_absolute_url())[1]
    # The old position link to the second story still means it, not the new part now at 2.
    chain, text = lands_on(client, "/2020/10/23/3/2/")
    assert chain == [(url_second, 301)] and "<h1>第二篇稿件</h1>" in text
    chain, _ = lands_on(client, "/2020/10/23/3/1/")
    assert chain == [(url_first, 301)]


def test_after_a_merge_the_merged_away_addresses_redirect_to_the_merged_article(client, page):
    first = story(page, 1, "头条稿件")
    second = story(page, 2, "第二篇稿件")
    third = story(page, 3, "第三篇稿件")
    url_first, url_second = first.get_absolute_url(), second.get_absolute_url()
    assert "第二篇稿件" in lands_on(client, url_second)[1]  # now in the readers' page cache
    merged = merge_articles([first, second])
    assert merged.pk == first.pk
    assert not Article.objects.filter(pk=second.pk).exists()
    for old in (url_second, "/2020/10/23/3/2/"):
        chain, text = lands_on(client, old)
        assert chain == [(url_first, 301)], old
        assert "头条稿件" in text and "第二篇稿件" in text  # the merged article, with the part's text
    assert "第三篇稿件" in lands_on(client, third.get_absolute_url())[1]
    # Merging the merged article again carries the older redirect along.
    merge_articles([merged, third])
    for old in (url_second, third.get_absolute_url(), "/2020/10/23/3/2/", "/2020/10/23/3/3/"):
        assert lands_on(client, old)[0] == [(url_first, 301)], old


def test_a_merged_away_address_leads_nowhere_once_the_merged_article_is_deleted(client, page):
    first, second = story(page, 1, "头条稿件"), story(page, 2, "第二篇稿件")
    url_second = second.get_absolute_url()
    merge_articles([first, second])
    Article.objects.filter(pk=first.pk).delete()
    assert client.get(url_second).status_code == 404


def test_a_draft_is_not_revealed_by_its_old_address(client, page):
    draft = story(page, 1, "秘密草稿", status=Article.Status.DRAFT, published_at=None)
    response = client.get("/2020/10/23/3/1/", follow=True)
    assert response.status_code == 404
    assert "秘密草稿" not in response.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_corrected_issue_date_keeps_the_page_and_its_articles_reachable(client, page):
    first = story(page, 1, "头条稿件")
    Issue.objects.filter(pk=page.issue_id).update(date=datetime.date(2020, 10, 24), date_estimated=False)
    assert lands_on(client, "/2020/10/23/3/")[0] == [(page.get_absolute_url(), 301)]  # as it was
    assert lands_on(client, "/2020/10/24/3/")[0] == [(page.get_absolute_url(), 301)]  # as it is now
    assert lands_on(client, "/2020/10/23/3/1/")[0] == [(first.get_absolute_url(), 301)]


def import_seed(tmp_path, data: bytes, **options):
    folder = tmp_path / "pages"
    folder.mkdir(exist_ok=True)
    (folder / "p.txt").write_bytes(data)
    manifest = '[files."p.txt"]\ndate = "2020-10-23"\npage = 3\n'
    (folder / "manifest.toml").write_text(manifest, encoding="utf-8")
    call_command("import_pages", str(folder), stdout=io.StringIO(), stderr=io.StringIO(), **options)


SEED = (SEEDS / "000_3f26e5270c4c1202.txt").read_bytes()
CLEAN_TITLE = "汕头市总推动困难职工纳入政府兜底"  # an article the import does not flag


def test_a_reimport_keeps_an_edited_articles_address(client, tmp_path):
    import_seed(tmp_path, SEED, publish=True)
    article = Article.objects.get(title=CLEAN_TITLE)
    article.subtitle = "编辑加的副题"
    article.mark_edited()
    article.save()
    url = article.get_absolute_url()
    import_seed(tmp_path, SEED.replace("微论坛".encode(), "微讲坛".encode()), publish=True)
    assert "编辑加的副题" in lands_on(client, url)[1]


def test_a_reimport_keeps_every_existing_articles_address(client, tmp_path):
    import_seed(tmp_path, SEED, publish=True)
    before = {a.title: a.get_absolute_url() for a in Article.objects.filter(needs_review=False)}
    import_seed(tmp_path, SEED.replace("微论坛".encode(), "微讲坛".encode()), publish=True)
    for title, url in before.items():
        assert title.replace("微论坛", "微讲坛") in lands_on(client, url)[1], title


def test_the_migration_records_the_addresses_links_were_made_with(client, page):
    """Articles written before addresses were recorded keep their position links."""
    first, second = story(page, 1, "头条稿件"), story(page, 2, "第二篇稿件")
    Address.objects.all().delete()  # as before the migration
    migration = importlib.import_module("articles.migrations.0007_record_old_addresses")
    migration.record(apps, types.SimpleNamespace(connection=connection))
    assert lands_on(client, "/2020/10/23/3/2/")[0] == [(second.get_absolute_url(), 301)]
    assert lands_on(client, "/2020/10/23/3/")[0] == [(page.get_absolute_url(), 301)]
    split_article(first, 2, title="拆出的后半")
    assert lands_on(client, "/2020/10/23/3/2/")[0] == [(second.get_absolute_url(), 301)]


def test_an_import_records_each_articles_printed_position(tmp_path):
    import_seed(tmp_path, SEED)
    page = Page.objects.get()
    paths = set(Address.objects.filter(article__page=page).values_list("path", flat=True))
    assert paths == {f"/2020/10/23/3/{a.position}/" for a in page.articles.all()}
    assert Address.objects.filter(page=page, path="/2020/10/23/3/").exists()


def test_feeds_sitemap_and_api_give_the_permanent_address(client, page):
    first = story(page, 1, "头条稿件")
    url = f"http://testserver{first.get_absolute_url()}"
    assert f"<link>{url}</link>" in client.get("/feeds/latest/rss/").content.decode()
    assert f"<loc>{url}</loc>" in client.get("/sitemap-articles.xml").content.decode()
    assert client.get(f"/api/v1/articles/{first.pk}/").json()["public_url"] == url
