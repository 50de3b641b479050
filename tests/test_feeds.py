"""RSS and Atom feeds of the latest articles and of each column."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
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
    newest = Article.objects.get(title="主席之声第0篇")
    assert items[0].findtext("link") == f"http://testserver{newest.get_absolute_url()}"
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


# --- hostile text (issue 14 item 3): any character, escaped for feed readers ----------------

FEED_URLS = ("/feeds/latest/rss/", "/feeds/latest/atom/")
MARKUP = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "]]><injected/>",
    "&lt;script&gt;alert(2)&lt;/script&gt;",
    "&amp; &#60;b&#62;",
    "<b>粗体</b>",
]
CONTROL = ["\x1b", "\x00", "\x01\x02\x08", "\x0b\x0c", "\x1f", "\x7f", "\ufffe", "\uffff"]


class _Tags(HTMLParser):
    """Every start tag, and the text a reader would be shown, of an HTML fragment."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _hostile_article(kicker="", title="标题", subtitle="", dateline="本报讯", body="正文", column="主席之声"):
    page = factories.PageFactory(issue=factories.IssueFactory(date=datetime.date(2020, 10, 23)), number=1)
    art = factories.ArticleFactory(
        page=page,
        position=1,
        kicker=kicker,
        title=title,
        subtitle=subtitle,
        dateline=dateline,
        body=[{"type": "paragraph", "text": body}],
        column=factories.ColumnFactory(name=column),
    )
    factories.BylineFactory(article=art, person=factories.PersonFactory(name="马学礼" + kicker[:3]))
    return art


def _stored(text: str) -> bool:
    """PostgreSQL refuses NUL in text columns, so NUL cannot reach a feed there."""
    from django.db import connection

    return not ("\x00" in text and connection.vendor == "postgresql")


@pytest.mark.parametrize("payload", MARKUP, ids=range(len(MARKUP)))
def test_markup_in_any_field_reaches_feed_readers_as_text_not_markup(client, db, payload):
    _hostile_article(kicker=f"引题{payload}", subtitle=f"副题{payload}", body=f"正文{payload}")
    for url in FEED_URLS:
        response = client.get(url)
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        (entry,) = parsed.entries
        assert entry.summary_detail.type == "text/html"
        # The summary is HTML: the only markup in it is ours, and the reader is shown the
        # payload literally, as it stands in the kicker, subtitle and body.
        summary = _Tags(entry.summary)
        assert set(summary.tags) <= {"p", "br"}, summary.tags
        shown = "".join(summary.text)
        assert f"引题{payload}" in shown and f"副题{payload}" in shown and f"正文{payload}" in shown
        # The raw XML carries the description once more escaped: no tag of the payload.
        raw = _raw_summary(response.content, url)
        assert set(_Tags(raw).tags) <= {"p", "br"}


def _raw_summary(content: bytes, url: str) -> str:
    root = ET.fromstring(content)
    if "rss" in url:
        return root.find("channel/item").findtext("description")
    return root.find(f"{ATOM}entry").findtext(f"{ATOM}summary")


def test_markup_in_a_title_stays_plain_text(client, db):
    _hostile_article(title="<script>alert(1)</script>标题 & 副题")
    for url in FEED_URLS:
        (entry,) = feedparser.parse(client.get(url).content).entries
        assert entry.title_detail.type == "text/plain"
        assert entry.title == "<script>alert(1)</script>标题 & 副题"


@pytest.mark.parametrize("control", CONTROL, ids=[repr(c) for c in CONTROL])
def test_control_characters_anywhere_never_break_a_feed(client, db, control):
    text = f"职工{control}之家"
    if not _stored(text):
        pytest.skip("PostgreSQL stores no NUL")
    art = _hostile_article(
        kicker=text,
        title=text,
        subtitle=text,
        dateline=f"本报讯{control}",
        body=text,
        column=f"栏目{control}",
    )
    art.column.description = text
    art.column.save()
    urls = [*FEED_URLS, f"/feeds/columns/{art.column.slug}/rss/", f"/feeds/columns/{art.column.slug}/atom/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (url, parsed.get("bozo_exception"))
        (entry,) = parsed.entries
        assert entry.title == "职工之家"
        assert "职工之家" in entry.summary
        assert entry.author == "马学礼职工"
