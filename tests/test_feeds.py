"""RSS and Atom feeds of the latest articles and of each column."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from articles.models import Article

from . import factories

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def column_articles(db):
    column = factories.ColumnFactory(name="主席之声")
    other = factories.ColumnFactory(name="工会博览")
    made = []
    for i in range(3):
        page = factories.PageFactory(
            issue=factories.IssueFactory(date=datetime.date(2020, 10, 23) - datetime.timedelta(days=i)),
            number=1,
        )
        art = factories.ArticleFactory(page=page, position=1, column=column, title=f"主席之声第{i}篇")
        factories.BylineFactory(article=art, person=factories.PersonFactory(name="马学礼"))
        factories.ArticleFactory(page=page, position=2, column=other, title=f"工会博览第{i}篇")
        made.append(art)
    factories.ArticleFactory(
        page=made[0].page,
        position=3,
        column=column,
        title="未发布的草稿",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    return column, made


def test_latest_rss(client, column_articles):
    response = client.get("/feeds/latest/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "工人日报 · 最新稿件"
    assert channel.findtext("language") == "zh-CN"
    items = channel.findall("item")
    titles = [i.findtext("title") for i in items]
    assert len(items) == 6 and "未发布的草稿" not in titles
    assert titles[0] == "主席之声第0篇"  # newest issue first
    assert items[0].findtext("link") == "http://testserver/2020/10/23/1/1/"
    assert "本报讯" in items[0].findtext("description")
    assert items[0].findtext("category") == "主席之声"


def test_latest_atom(client, column_articles):
    response = client.get("/feeds/latest/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 6
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "马学礼"


def test_column_feeds_hold_only_that_column(client, column_articles):
    column, _ = column_articles
    rss = ET.fromstring(client.get(f"/feeds/columns/{column.slug}/rss/").content)
    titles = [i.findtext("title") for i in rss.find("channel").findall("item")]
    assert titles == ["主席之声第0篇", "主席之声第1篇", "主席之声第2篇"]
    atom = ET.fromstring(client.get(f"/feeds/columns/{column.slug}/atom/").content)
    assert atom.findtext(f"{ATOM}title") == "工人日报 · 主席之声"
    assert len(atom.findall(f"{ATOM}entry")) == 3


def test_unknown_column_feed_is_404(client, db):
    assert client.get("/feeds/columns/no-such/rss/").status_code == 404


def test_feed_text_is_escaped_xml(client, db):
    page = factories.PageFactory(issue=factories.IssueFactory(date=datetime.date(2020, 10, 23)), number=1)
    factories.ArticleFactory(page=page, position=1, title="<script>alert(1)</script>标题 & 副题")
    body = client.get("/feeds/latest/rss/").content
    assert b"<script>" not in body
    item = ET.fromstring(body).find("channel/item")
    assert item.findtext("title") == "<script>alert(1)</script>标题 & 副题"


def test_pages_advertise_the_feeds(client, column_articles):
    column, _ = column_articles
    home = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in home and 'href="/feeds/latest/rss/"' in home
    page = client.get(column.get_absolute_url()).content.decode()
    assert f'href="/feeds/columns/{column.slug}/rss/"' in page
