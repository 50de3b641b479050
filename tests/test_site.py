"""The reader website: what a reader (and a logged-in editor) sees on every page."""

from __future__ import annotations

import datetime
import json
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.models import Article, Byline, Issue, Page, Photo, PhotoCredit, Role
from articles.views import PER_PAGE

from . import factories

DAY = datetime.date(2020, 10, 23)
COLUMN_NAMES = ["主席之声", "工会博览", "履职手记", "新闻特写"]
PEOPLE = ["马学礼", "郑莉", "刘友婷", "钱培坚", "邹偶然", "田国全"]
PAGE_NAMES = ["要闻", "工会新闻", "评论", "文化"]


def build_archive(issues: int, pages: int, per_page: int) -> dict:
    """Issues back from 2020-10-23, each with pages of articles, bylines, two photos per page.

    Objects come from the factories (``build``) and are written with ``bulk_create``, so
    the 60-article archive takes a fraction of a second.
    """
    columns = [factories.ColumnFactory(name=n) for n in COLUMN_NAMES]
    people = [factories.PersonFactory(name=n) for n in PEOPLE]
    photographer = factories.PersonFactory(name="杨长武")
    issue_objs = Issue.objects.bulk_create(
        factories.IssueFactory.build(date=DAY - datetime.timedelta(days=i)) for i in range(issues)
    )
    page_objs = Page.objects.bulk_create(
        factories.PageFactory.build(issue=issue, number=number, name=PAGE_NAMES[number % 4])
        for issue in issue_objs
        for number in range(1, pages + 1)
    )
    article_objs = Article.objects.bulk_create(
        factories.ArticleFactory.build(
            page=page,
            position=position,
            title=f"产业工人队伍建设第{n}篇",
            kicker="宁夏出台意见" if position == 1 else "",
            column=columns[n % len(columns)],
        )
        for n, (page, position) in enumerate(
            (page, position) for page in page_objs for position in range(1, per_page + 1)
        )
    )
    Byline.objects.bulk_create(
        [
            factories.BylineFactory.build(article=art, person=people[n % len(people)], role=Role.REPORTER)
            for n, art in enumerate(article_objs)
        ]
        + [
            factories.BylineFactory.build(
                article=art, person=people[(n + 1) % len(people)], role=Role.CORRESPONDENT, order=1
            )
            for n, art in enumerate(article_objs)
        ]
    )
    firsts = {art.page_id: art for art in reversed(article_objs)}
    photo_objs = Photo.objects.bulk_create(
        [
            factories.PhotoFactory.build(page=page, position=1, article=firsts[page.pk], agency="新华社")
            for page in page_objs
        ]
        + [factories.PhotoFactory.build(page=page, position=2, title="为劳动者留影") for page in page_objs]
    )
    PhotoCredit.objects.bulk_create(
        factories.PhotoCreditFactory.build(photo=photo, person=photographer, role=Role.PHOTOGRAPHER)
        for photo in photo_objs
        if photo.position == 1
    )
    return {"columns": columns, "people": people, "photographer": photographer, "articles": len(article_objs)}


@pytest.fixture
def small_archive(db):
    return build_archive(issues=1, pages=1, per_page=1)


@pytest.fixture
def large_archive(db):
    return build_archive(issues=3, pages=4, per_page=5)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text_of(response) -> str:
    """The visible text, tags removed (to assert what a reader reads)."""
    body = html(response)
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


# ---------------------------------------------------------------- HTML checker

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageChecker(HTMLParser):
    """Balanced tags, one h1, no skipped heading levels, lang=zh-CN, named links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.headings: list[int] = []
        self.lang = None
        self.links: list[dict] = []  # open <a>: attrs and text so far
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if "id" in attrs:
            if attrs["id"] in self.ids:
                self.problems.append(f"duplicate id {attrs['id']}")
            self.ids.add(attrs["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "a":
            self.links.append({"attrs": attrs, "text": ""})
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.problems.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()
        if tag == "a":
            link = self.links.pop()
            name = link["text"].strip() or (link["attrs"].get("aria-label") or "").strip()
            if not name:
                self.problems.append(f"link without a name: {link['attrs'].get('href')}")

    def handle_data(self, data):
        for link in self.links:
            link["text"] += data

    def check(self, body: str) -> list[str]:
        self.feed(body)
        self.close()
        problems = list(self.problems)
        if self.stack:
            problems.append(f"unclosed: {self.stack}")
        if self.lang != "zh-CN":
            problems.append(f'<html lang="{self.lang}">')
        if self.headings.count(1) != 1:
            problems.append(f"{self.headings.count(1)} h1 elements")
        if self.headings and self.headings[0] != 1:
            problems.append("first heading is not h1")
        for before, after in zip(self.headings, self.headings[1:], strict=False):
            if after > before + 1:
                problems.append(f"heading h{before} followed by h{after}")
        return problems


def test_checker_catches_broken_pages():
    """The checker itself fails on what it is meant to catch."""
    bad = '<html lang="en"><body><h1>a</h1><h3>b</h3><h1>c</h1><div><a href="/x"></a></body></html>'
    problems = PageChecker().check(bad)
    assert any("lang" in p for p in problems)
    assert any("h1 followed by h3" in p for p in problems)
    assert any("2 h1" in p for p in problems)
    assert any("without a name" in p for p in problems)
    assert any("div" in p for p in problems)


# ---------------------------------------------------------------- every page type


def art(number: int, position: int, day: datetime.date = DAY) -> str:
    """The permanent address of the article at ``position`` on page ``number`` of ``day``."""
    return Article.objects.get(
        page__issue__date=day, page__number=number, position=position
    ).get_absolute_url()


def pg(number: int, day: datetime.date = DAY) -> str:
    """The permanent address of page ``number`` of ``day``."""
    return Page.objects.get(issue__date=day, number=number).get_absolute_url()


def reader_urls(archive) -> dict[str, str]:
    column = archive["columns"][0]
    person = archive["people"][0]
    return {
        "home": "/",
        "issue": "/2020/10/23/",
        "page": pg(1),
        "article": art(1, 1),
        "columns": "/columns/",
        "column": column.get_absolute_url(),
        "person": person.get_absolute_url(),
        "photographer": archive["photographer"].get_absolute_url(),
        "archive": "/archive/",
        "archive-year": "/archive/2020/",
        "archive-month": "/archive/2020/10/",
        "search": f"/search/?column={column.slug}&date_after=2020-10-01",
        "search-error": "/search/?q=工",
        "search-q": "/search/?q=工会",
        "404": "/2001/01/01/",
    }


def test_every_page_is_valid_html_with_one_h1(client, large_archive):
    for name, url in reader_urls(large_archive).items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), name
        problems = PageChecker().check(response.content.decode())
        assert problems == [], f"{name} {url}: {problems}"


def test_every_page_has_search_box_and_canonical_url(client, small_archive):
    for name, url in reader_urls(small_archive).items():
        if name == "404":
            continue
        body = html(client.get(url))
        assert 'role="search"' in body and 'name="q"' in body, name
        assert '<link rel="canonical" href="http://testserver/' in body, name


# Each count includes the page cache's one read of the page's freshness (articles.cache).
# A page's own queries go to PostgreSQL together, in one round trip (articles.rows).
QUERIES = {
    "home": 8,
    "issue": 7,  # the pages (with their photo counts), articles, bylines, previous, next
    "page": 7,
    "article": 7,
    "columns": 2,
    "column": 4,  # the column with its count, a page of articles, their bylines
    "person": 6,  # the person with their count, a page of articles, their bylines, photos, credits
    "photographer": 6,
    "archive": 2,
    "archive-year": 2,
    "archive-month": 4,
    "search": 6,
    "search-error": 2,
    "search-q": 9,  # the index window and its date slices, count, rows, then per relation of the article
}


@pytest.mark.parametrize("size", ["small", "large"])
def test_constant_number_of_queries(request, db, client, django_assert_num_queries, size):
    """Each view runs the same number of queries on a 1-article and a 60-article archive."""
    archive = request.getfixturevalue(f"{size}_archive")
    urls = reader_urls(archive)
    for name, queries in QUERIES.items():
        with django_assert_num_queries(queries, info=name):
            response = client.get(urls[name])
        assert response.status_code == 200, name


def test_large_archive_has_what_the_query_test_needs(large_archive):
    assert large_archive["articles"] == 60
    assert Article.objects.published().values("page__issue").distinct().count() == 3


# ---------------------------------------------------------------- home, issue, page


def test_home_shows_latest_issue_pages_titles_photos_and_columns(client, large_archive):
    factories.IssueFactory(date=DAY + datetime.timedelta(days=1))  # a newer issue with nothing published
    body = html(client.get("/"))
    text = text_of(client.get("/"))
    assert "2020年10月23日 星期五" in text
    assert "版面导航" in text
    for number, name in [(1, "工会新闻"), (2, "评论"), (3, "文化"), (4, "要闻")]:
        assert f"{number:02d}版 · {name}" in text
    assert text.count("产业工人队伍建设第") == 20  # the latest issue's 4 pages × 5 titles
    assert f'href="{art(1, 1)}"' in body
    assert "10月21日，仪化摄影协会组织会员深入检修现场" in text
    assert "杨长武 摄" in text
    for name in COLUMN_NAMES:
        assert f'{name}</a> <span class="count">15篇' in body
    assert "上一期（2020年10月22日）" in text


def test_home_without_published_paper(client, draft_article):
    response = client.get("/")
    assert "还没有已发布的报纸" in text_of(response)
    assert "尚未发布的稿件" not in response.content.decode()


def test_issue_lists_every_page_and_article_with_previous_and_next(client, large_archive):
    text = text_of(client.get("/2020/10/22/"))
    assert "2020年10月22日 星期四" in text
    assert text.count("产业工人队伍建设第") == 20
    assert "记者 马学礼" in text or "记者 郑莉" in text
    body = html(client.get("/2020/10/22/"))
    assert 'rel="prev" href="/2020/10/21/"' in body
    assert 'rel="next" href="/2020/10/23/"' in body


def test_one_digit_month_and_day_urls(client, db):
    page = factories.PageFactory(issue=factories.IssueFactory(date=datetime.date(2021, 1, 5)), number=2)
    article = factories.ArticleFactory(page=page, position=1)
    assert article.position_path == "/2021/01/05/2/1/"
    assert client.get("/2021/1/5/2/1/", follow=True).redirect_chain == [(article.get_absolute_url(), 301)]
    assert client.get("/2021/1/5/2/", follow=True).redirect_chain == [(page.get_absolute_url(), 301)]
    assert client.get("/2021/01/05/").status_code == 200


def test_impossible_dates_are_404(client, small_archive):
    for url in ["/2020/02/30/", "/2020/13/01/1/", "/archive/2020/13/", "/2020/10/23/9/", "/2020/10/23/1/9/"]:
        assert client.get(url).status_code == 404, url


def test_page_shows_articles_and_photos_in_page_order_with_previous_next(client, large_archive):
    response = client.get(pg(2))
    body = html(response)
    text = text_of(response)
    titles = re.findall(r"产业工人队伍建设第(\d+)篇", text)
    assert titles == ["5", "6", "7", "8", "9"]
    assert "本报讯" in text and "记者近日从宁夏回族自治区总工会获悉" in text
    assert "为劳动者留影" in text and 'id="photo-2"' in body
    assert f'rel="prev" href="{pg(1)}"' in body
    assert f'rel="next" href="{pg(3)}"' in body
    assert f'aria-current="page" href="{pg(2)}"' in body


# ---------------------------------------------------------------- article


@pytest.fixture
def full_article(db):
    issue = factories.IssueFactory(date=DAY)
    page1 = factories.PageFactory(issue=issue, number=1, name="要闻")
    page3 = factories.PageFactory(issue=issue, number=3, name="工会新闻")
    column = factories.ColumnFactory(name="主席之声")
    start = factories.ArticleFactory(page=page1, position=1, title="开头在一版", continued_to_page=3)
    art = factories.ArticleFactory(
        page=page3,
        position=2,
        kicker="宁夏回族自治区党委、政府出台意见",
        title="建立联席会议制度加强和改进产业工人队伍思想政治工作",
        subtitle="提出强化理论武装、增强主人翁意识等11个方面的措施",
        column=column,
        dateline="本报讯",
        reading_tip="《意见》要求畅通产业工人诉求表达渠道。",
        editor_note="产业工人是工人阶级的主体力量。",
        source_note="来源:《工人日报》",
        continued_from=start,
        continued_from_page=1,
    )
    factories.ArticleFactory(page=page3, position=1, title="前一篇稿件")
    factories.ArticleFactory(page=page3, position=3, title="后一篇稿件")
    reporter = factories.PersonFactory(name="马学礼")
    factories.BylineFactory(article=art, person=reporter, role=Role.REPORTER)
    factories.BylineFactory(
        article=art, person=factories.PersonFactory(name="郑莉"), role=Role.CORRESPONDENT, order=1
    )
    photo = factories.PhotoFactory(
        page=page3, article=art, position=1, title="工会进企宣讲扶贫政策", agency="新华社"
    )
    factories.PhotoCreditFactory(
        photo=photo, person=factories.PersonFactory(name="杨长武"), role=Role.CORRESPONDENT
    )
    return art


def test_article_page_shows_every_part(client, full_article):
    response = client.get(full_article.get_absolute_url())
    body = html(response)
    text = text_of(response)
    assert re.search(r'<p class="kicker">宁夏回族自治区党委、政府出台意见</p>\s*<h1>建立联席会议制度', body)
    assert '<p class="subtitle">提出强化理论武装' in body
    assert '<a href="/columns/zhu-xi-zhi-sheng/">主席之声</a>' in body
    assert re.search(r'记者</span> <a href="/people/\d+/">马学礼</a>', body)
    assert re.search(r'通讯员</span> <a href="/people/\d+/">郑莉</a>', body)
    assert "本报讯 记者近日从宁夏回族自治区总工会获悉" in text
    assert '<h2 class="subhead">园区执勤发现“新动向”</h2>' in body
    assert re.search(r'<aside class="reading-tip"[^>]*>.*阅读提示.*畅通产业工人诉求表达渠道', body, re.S)
    assert re.search(r'<aside class="editor-note"[^>]*>.*编者按.*产业工人是工人阶级的主体力量', body, re.S)
    assert "10月21日，仪化摄影协会组织会员深入检修现场" in text
    assert "通讯员 杨长武 摄（新华社）" in text
    assert "来源:《工人日报》" in text
    assert "《工人日报》(2020年10月23日 03版)" in text
    assert f'href="{art(1, 1)}">上接第1版：开头在一版' in body
    assert f'rel="prev" href="{art(3, 1)}">上一篇：前一篇稿件' in body
    assert f'rel="next" href="{art(3, 3)}">下一篇：后一篇稿件' in body
    assert 'data-font-step="1"' in body and "/static/js/site.js" in body
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in body
    assert f'<link rel="canonical" href="http://testserver{full_article.get_absolute_url()}">' in body
    assert "noindex" not in body


def test_first_part_links_to_its_continuation(client, full_article):
    body = html(client.get(art(1, 1)))
    assert f'href="{full_article.get_absolute_url()}">下转第3版：建立联席会议制度' in body


def test_continuation_in_draft_is_not_linked_for_readers(client, full_article):
    Article.objects.filter(pk=full_article.pk).unpublish()
    body = html(client.get(art(1, 1)))
    assert full_article.get_absolute_url() not in body
    assert 'href="/2020/10/23/3/">下转第3版</a>' in body  # the page by date (redirects to it)
    assert client.get("/2020/10/23/3/", follow=True).redirect_chain == [(pg(3), 301)]


def test_paper_name_is_a_setting(client, full_article, settings):
    settings.NEWSROOM_PAPER_NAME = "劳动报"
    assert "《劳动报》(2020年10月23日 03版)" in text_of(client.get(full_article.get_absolute_url()))


def test_article_json_ld_is_a_news_article(client, full_article):
    body = html(client.get(full_article.get_absolute_url()))
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == full_article.title
    assert data["mainEntityOfPage"] == f"http://testserver{full_article.get_absolute_url()}"
    assert [a["name"] for a in data["author"]] == ["马学礼", "郑莉"]
    assert data["publisher"]["name"] == "工人日报"
    assert data["articleSection"] == "主席之声"


def test_ocr_text_is_escaped_everywhere(client, db):
    page = factories.PageFactory(issue=factories.IssueFactory(date=DAY), number=3, name="<b>版</b>")
    evil = "<script>alert(1)</script>"
    art = factories.ArticleFactory(
        page=page,
        position=1,
        title=f"标题{evil}",
        kicker=evil,
        body=[{"type": "paragraph", "text": f"正文{evil}"}, {"type": "subhead", "text": evil}],
        editor_note=evil,
        reading_tip=evil,
        column=factories.ColumnFactory(name="工会博览"),
    )
    person = factories.PersonFactory(name="马学礼", affiliation=evil)
    factories.BylineFactory(article=art, person=person)
    factories.PhotoFactory(page=page, article=art, caption=evil, title=evil)
    for url in ["/", "/2020/10/23/", page.get_absolute_url(), art.get_absolute_url(),
                person.get_absolute_url(), art.column.get_absolute_url(), "/feeds/latest/rss/"]:  # fmt: skip
        body = html(client.get(url))
        assert "<script>alert" not in body, url
        if "feeds" not in url:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
    # Inside the JSON-LD script element nothing can close the element early.
    body = html(client.get(art.get_absolute_url()))
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    assert "</" not in ld and json.loads(ld)["headline"] == f"标题{evil}"


def test_list_rows_are_escaped_like_the_templates(client, db):
    """The lists rendered in Python (issue, column, person, page) escape every value as the
    templates do: titles, subtitles, kickers, column and people's names, quotes included."""
    evil = "<i>\"引\" & '号'</i>"
    page = factories.PageFactory(issue=factories.IssueFactory(date=DAY), number=3, name=f"版名{evil}")
    escaped = "&lt;i&gt;&quot;引&quot; &amp; &#x27;号&#x27;&lt;/i&gt;"
    column = factories.ColumnFactory(name=f"栏目{evil}")
    art = factories.ArticleFactory(
        page=page,
        position=1,
        title=f"标题{evil}",
        kicker=f"引题{evil}",
        subtitle=f"副题{evil}",
        column=column,
    )
    person = factories.PersonFactory(name=f"记{evil}")
    factories.BylineFactory(article=art, person=person, role=Role.REPORTER)
    for url in [
        "/2020/10/23/",
        page.get_absolute_url(),
        person.get_absolute_url(),
        column.get_absolute_url(),
    ]:
        body = html(client.get(url))
        assert "<i>" not in body, url
        for text in ("标题", "副题", "记"):
            assert text + escaped in body, (url, text)
        if url != page.get_absolute_url():
            assert "引题" + escaped in body, url
        if url == "/2020/10/23/":  # the issue's pages, rendered in Python too
            assert f'<a href="{page.get_absolute_url()}">03版 · 版名{escaped}</a></h2>' in body
        assert (
            f'<span class="role">记者</span> <a href="{person.get_absolute_url()}">记{escaped}</a>' in body
        ), url
    # The home page's title list (rendered in Python too): kicker, title and column.
    body = html(client.get("/"))
    assert "<i>" not in body
    link = f'<a href="{art.get_absolute_url()}">标题{escaped}</a>'
    assert f'<span class="kicker">引题{escaped}</span>{link}' in body
    assert f'<span class="column-tag">栏目{escaped}</span>' in body


# ---------------------------------------------------------------- drafts


def test_draft_is_404_for_readers(client, draft_article):
    assert client.get(draft_article.get_absolute_url()).status_code == 404
    assert client.get("/2020/10/24/").status_code == 404
    assert client.get(draft_article.page.get_absolute_url()).status_code == 404
    assert client.get(draft_article.position_path, follow=True).status_code == 404


def test_draft_is_a_marked_preview_for_staff(client, draft_article, editor):
    client.force_login(editor)
    body = html(client.get(draft_article.get_absolute_url()))
    assert "草稿预览 · 未发布" in body
    assert '<meta name="robots" content="noindex">' in body
    assert "尚未发布的稿件" in body
    page_body = html(client.get(draft_article.page.get_absolute_url()))
    assert "尚未发布的稿件" in page_body and "草稿" in page_body


def test_logged_in_non_staff_user_sees_no_drafts(client, draft_article, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x-2020-reader"))
    assert client.get(draft_article.get_absolute_url()).status_code == 404


def test_future_publication_is_hidden(client, article):
    Article.objects.filter(pk=article.pk).update(
        published_at=datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)
    )
    assert client.get(article.get_absolute_url()).status_code == 404


def test_draft_titles_do_not_leak_onto_published_pages(client, article):
    factories.ArticleFactory(
        page=article.page, position=2, title="秘密草稿标题", status=Article.Status.DRAFT, published_at=None
    )
    for url in [
        "/",
        "/2020/10/23/",
        article.page.get_absolute_url(),
        article.get_absolute_url(),
        "/feeds/latest/rss/",
    ]:
        assert "秘密草稿标题" not in client.get(url).content.decode(), url


# ---------------------------------------------------------------- columns, people


def test_columns_index_counts_published_articles(client, large_archive, draft_article):
    draft_article.column = large_archive["columns"][0]
    draft_article.save()
    body = html(client.get("/columns/"))
    for name in COLUMN_NAMES:
        assert re.search(rf">{name}</a> <span class=\"count\">15篇", body)


def test_column_page_lists_newest_first_and_paginates(client, db):
    column = factories.ColumnFactory(name="工会博览")
    for i in range(PER_PAGE + 5):
        page = factories.PageFactory(
            issue=factories.IssueFactory(date=DAY - datetime.timedelta(days=i)), number=1
        )
        factories.ArticleFactory(page=page, position=1, column=column, title=f"博览第{i}期")
    text = text_of(client.get(column.get_absolute_url()))
    assert "工会博览" in text and f"共{PER_PAGE + 5}篇" in text
    found = [int(x) for x in re.findall(r"博览第(\d+)期", text)]
    assert found == list(range(PER_PAGE))  # newest (day 0) first
    assert "第 1 / 2 页" in text
    text2 = text_of(client.get(column.get_absolute_url() + "?p=2"))
    assert [int(x) for x in re.findall(r"博览第(\d+)期", text2)] == list(range(PER_PAGE, PER_PAGE + 5))
    assert client.get(column.get_absolute_url() + "?p=abc").status_code == 200
    assert client.get("/columns/no-such-column/").status_code == 404


def test_person_page_lists_articles_and_photos_newest_first(client, large_archive):
    person = large_archive["people"][0]
    text = text_of(client.get(person.get_absolute_url()))
    assert "马学礼" in text
    dates = re.findall(r"2020年10月(\d+)日 0\d版", text)
    assert dates == sorted(dates, reverse=True) and len(dates) >= 3
    photographer_text = text_of(client.get(large_archive["photographer"].get_absolute_url()))
    assert "杨长武" in photographer_text and "图片" in photographer_text
    assert "仪化摄影协会" in photographer_text


def test_a_photographers_page_shows_each_photo_with_where_it_was_printed_escaped(client, db):
    evil = "<i>\"图\" & '题'</i>"
    escaped = "&lt;i&gt;&quot;图&quot; &amp; &#x27;题&#x27;&lt;/i&gt;"
    photographer = factories.PersonFactory(name="杨长武")
    pages = []
    for number, day in ((3, DAY), (5, DAY - datetime.timedelta(days=1))):
        page = factories.PageFactory(issue=factories.IssueFactory(date=day), number=number)
        art = factories.ArticleFactory(page=page, position=1)
        photo = factories.PhotoFactory(page=page, article=art, title=f"标题{evil}", caption=f"说明{evil}")
        factories.PhotoCreditFactory(photo=photo, person=photographer)
        pages.append(page)
    body = html(client.get(photographer.get_absolute_url()))
    assert "<i>" not in body
    assert body.count("标题" + escaped) == 2 and body.count("说明" + escaped) == 2
    where = re.findall(
        r'<div class="photo-item">.*?<p class="meta"><a href="([^"]+)">([^<]+)</a></p></div>', body, re.S
    )
    assert where == [
        (pages[0].get_absolute_url(), "2020年10月23日 03版"),
        (pages[1].get_absolute_url(), "2020年10月22日 05版"),
    ]


def _column_with_issues(days: int, name: str = "工会博览", *, since: int = 0):
    """A column with one article on page 1 of each of ``days`` issues back from DAY
    (less ``since`` days)."""
    column = factories.ColumnFactory(name=name)
    for i in range(days):
        page = factories.PageFactory(
            issue=factories.IssueFactory(date=DAY - datetime.timedelta(days=since + i)), number=1
        )
        factories.ArticleFactory(page=page, position=1, column=column, title=f"博览第{i}期")
    return column


def _listed(client, url: str, pattern: str = r"博览第(\d+)期") -> list[int]:
    return [int(x) for x in re.findall(pattern, text_of(client.get(url)))]


def test_redating_an_issue_re_sorts_its_articles_on_the_column_and_person_pages(client, db):
    column = _column_with_issues(3)
    person = factories.PersonFactory(name="马学礼")
    for a in Article.objects.filter(column=column):
        factories.BylineFactory(article=a, person=person)
        photo = factories.PhotoFactory(page=a.page, position=1, article=a, caption=f"留影第{a.title[3]}幅")
        factories.PhotoCreditFactory(photo=photo, person=person, role=Role.PHOTOGRAPHER)
    assert _listed(client, column.get_absolute_url()) == [0, 1, 2]
    assert _listed(client, person.get_absolute_url(), r"留影第(\d+)幅") == [0, 1, 2]
    oldest = Issue.objects.get(date=DAY - datetime.timedelta(days=2))
    oldest.date = DAY + datetime.timedelta(days=1)  # the oldest issue becomes the newest
    oldest.save()
    assert _listed(client, column.get_absolute_url()) == [2, 0, 1]
    assert _listed(client, person.get_absolute_url()) == [2, 0, 1]
    assert _listed(client, person.get_absolute_url(), r"留影第(\d+)幅") == [2, 0, 1]
    # a bulk write of the issue dates (a queryset update) is followed the same way
    Issue.objects.filter(pk=oldest.pk).update(date=DAY - datetime.timedelta(days=9))
    assert _listed(client, column.get_absolute_url()) == [0, 1, 2]
    assert _listed(client, person.get_absolute_url()) == [0, 1, 2]
    assert _listed(client, person.get_absolute_url(), r"留影第(\d+)幅") == [0, 1, 2]


def test_moving_a_page_or_an_article_re_sorts_the_lists(client, db):
    column = factories.ColumnFactory(name="工会博览")
    issue = factories.IssueFactory(date=DAY)
    front, back = (factories.PageFactory(issue=issue, number=n) for n in (1, 5))
    factories.ArticleFactory(page=front, position=1, column=column, title="博览第1期")
    moved = factories.ArticleFactory(page=back, position=1, column=column, title="博览第5期")
    assert _listed(client, column.get_absolute_url()) == [1, 5]
    Page.objects.filter(pk=front.pk).update(number=3)  # a bulk renumbering: page 1 becomes 3
    back.number = 2  # and a model save: page 5 becomes 2, before it
    back.save()
    assert _listed(client, column.get_absolute_url()) == [5, 1]
    moved.page = front  # the article moves to page 3, below its neighbour
    moved.position = 2
    moved.save()
    assert _listed(client, column.get_absolute_url()) == [1, 5]


def test_a_person_credited_twice_on_an_article_lists_it_once(client, db):
    column = _column_with_issues(2)
    person = factories.PersonFactory(name="郑莉")
    first, second = Article.objects.filter(column=column).newest_first()
    factories.BylineFactory(article=first, person=person, role=Role.REPORTER, order=0)
    factories.BylineFactory(article=first, person=person, role=Role.AUTHOR, order=1)
    factories.BylineFactory(article=second, person=person, role=Role.REPORTER)
    assert _listed(client, person.get_absolute_url()) == [0, 1]
    assert "稿件2篇" in text_of(client.get(person.get_absolute_url()))
    # the first of the two bylines goes: the article is still listed once, by the other
    Byline.objects.get(article=first, role=Role.REPORTER).delete()
    assert _listed(client, person.get_absolute_url()) == [0, 1]


def test_long_lists_count_only_so_far_and_say_so(client, db, monkeypatch):
    """Past COUNT_BOUND (PERSON_COUNT_BOUND) articles a column (person) page says “N篇以上”
    and pages on."""
    from articles import views

    monkeypatch.setattr(views, "COUNT_BOUND", 3)
    monkeypatch.setattr(views, "PERSON_COUNT_BOUND", 3)
    monkeypatch.setattr(views, "PER_PAGE", 1)
    column = _column_with_issues(7)
    person = factories.PersonFactory(name="钱培坚")
    for a in Article.objects.filter(column=column):
        factories.BylineFactory(article=a, person=person)
    text = text_of(client.get(column.get_absolute_url()))
    assert "共3篇以上" in text and "第 1 页（共 3 页以上）" in text and "下一页" in text
    assert _listed(client, column.get_absolute_url() + "?p=5") == [4]  # beyond the bound
    last = text_of(client.get(column.get_absolute_url() + "?p=7"))
    assert _listed(client, column.get_absolute_url() + "?p=7") == [6]
    assert "共7篇" in last and "第 7 / 7 页" in last and "下一页" not in last  # counted to the end
    assert "稿件3篇以上" in text_of(client.get(person.get_absolute_url()))
    assert '>工会博览</a> <span class="count">3篇以上' in html(client.get("/columns/"))
    assert '>工会博览</a> <span class="count">3篇以上' in html(client.get("/"))
    short = _column_with_issues(2, name="主席之声", since=10)
    assert re.search("共2篇(?!以上)", text_of(client.get(short.get_absolute_url())))


def test_person_with_only_draft_work_is_404(client, draft_article):
    person = factories.PersonFactory(name="刘友婷")
    factories.BylineFactory(article=draft_article, person=person)
    assert client.get(person.get_absolute_url()).status_code == 404


# ---------------------------------------------------------------- archive


def test_archive_years_months_calendar(client, large_archive):
    factories.ArticleFactory(
        page=factories.PageFactory(issue=factories.IssueFactory(date=datetime.date(2019, 3, 26)), number=2)
    )
    text = text_of(client.get("/archive/"))
    assert "2020年 3期" in text and "2019年 1期" in text
    assert "2020年10月 3期" in text_of(client.get("/archive/2020/"))
    body = html(client.get("/archive/2020/10/"))
    for day in (21, 22, 23):
        assert f'<a href="/2020/10/{day}/" aria-label="2020年10月{day}日的报纸">{day}</a>' in body
    assert 'href="/2020/10/20/"' not in body
    assert 'rel="prev" href="/archive/2019/03/"' in body
    assert client.get("/archive/2018/").status_code == 404
    assert client.get("/archive/2020/11/").status_code == 404


# ---------------------------------------------------------------- search


def test_search_finds_and_highlights(client, full_article):
    response = client.get("/search/", {"q": "联席会议"})
    body = html(response)
    assert "共找到 1 篇稿件" in body
    assert "<mark>联席会议</mark>" in body
    assert f'href="{full_article.get_absolute_url()}"' in body


def test_search_filters_by_column_and_dates(client, large_archive):
    column = large_archive["columns"][1]
    text = text_of(client.get("/search/", {"column": column.slug, "date_after": "2020-10-22"}))
    assert "共找到 10 篇稿件" in text
    text = text_of(client.get("/search/", {"date_before": "2020-10-21"}))
    assert "共找到 20 篇稿件" in text
    text = text_of(client.get("/search/", {"column": "没有这个栏目"}))
    assert "共找到 0 篇稿件" in text and "没有找到符合条件的稿件" in text


def test_search_errors_are_clear_chinese_messages(client, small_archive):
    response = client.get("/search/", {"q": "工"})
    assert response.status_code == 200
    assert "关键词：" in text_of(response) and "太短" in text_of(response)
    response = client.get("/search/", {"date_after": "2020-13-45"})
    assert response.status_code == 200
    assert "起始日期：" in text_of(response)
    assert "共找到" not in text_of(response)


def test_search_results_escape_ocr_text(client, db):
    page = factories.PageFactory(issue=factories.IssueFactory(date=DAY), number=1)
    factories.ArticleFactory(page=page, position=1, title="<i>产业工人</i>队伍")
    body = html(client.get("/search/", {"q": "产业工人"}))
    assert "&lt;i&gt;<mark>产业工人</mark>&lt;/i&gt;" in body


def test_empty_search_page_shows_only_the_form(client, small_archive):
    text = text_of(client.get("/search/"))
    assert "搜索稿件" in text and "共找到" not in text


# ---------------------------------------------------------------- machines and errors


def test_robots_txt(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body and "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_published_articles_only(client, article, draft_article):
    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-articles.xml" in index
    articles = client.get("/sitemap-articles.xml").content.decode()
    assert f"http://testserver{article.get_absolute_url()}" in articles
    assert draft_article.get_absolute_url() not in articles
    issues = client.get("/sitemap-issues.xml").content.decode()
    assert "http://testserver/2020/10/23/" in issues and "/2020/10/24/" not in issues


def test_404_page_is_chinese(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and 'lang="zh-CN"' in body and 'role="search"' in body


def test_500_page_is_chinese(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器出错了" in body and 'lang="zh-CN"' in body
    assert PageChecker().check(body) == []


def test_post_is_not_allowed(client, small_archive):
    assert client.post("/").status_code == 405


def test_named_urls_match_models(article):
    assert reverse("site:home") == "/"
    assert article.get_absolute_url() == f"/articles/{article.pk}/"
    assert article.page.get_absolute_url() == f"/pages/{article.page.pk}/"
    assert article.position_path == "/2020/10/23/3/1/"
    assert article.page.dated_path == "/2020/10/23/3/"
    assert article.page.issue.get_absolute_url() == "/2020/10/23/"


def test_photos_of_a_page_with_nothing_published_stay_hidden_everywhere(client, article):
    """A page imported as drafts must not leak its news photos through a photographer's page."""
    photographer = factories.PersonFactory(name="杨长武")
    factories.BylineFactory(article=article, person=photographer)  # so the person page exists
    draft_page = factories.PageFactory(
        issue=factories.IssueFactory(date=datetime.date(2020, 10, 25)), number=1
    )
    factories.ArticleFactory(page=draft_page, position=1, status=Article.Status.DRAFT, published_at=None)
    hidden = factories.PhotoFactory(page=draft_page, title="尚未发布的图片新闻")
    factories.PhotoCreditFactory(photo=hidden, person=photographer)
    html = client.get(photographer.get_absolute_url()).content.decode()
    assert article.title in html
    assert "尚未发布的图片新闻" not in html
    api = client.get("/api/v1/photos/").json()
    assert "尚未发布的图片新闻" not in json.dumps(api, ensure_ascii=False)


# ---------------------------------------------------------------- description, Open Graph, JSON-LD, favicon


def metas(body: str) -> dict[str, str]:
    found = {}
    for _attr, name, content in re.findall(r'<meta (name|property)="([^"]+)" content="([^"]*)">', body):
        found[name] = unescape(content)
    return found


def json_ld(body: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_every_page_has_a_description_and_open_graph_tags(client, small_archive):
    seen = set()
    for name, url in reader_urls(small_archive).items():
        body = client.get(url).content.decode()
        m = metas(body)
        title = unescape(re.search(r"<title>(.*?)</title>", body).group(1))
        assert 10 <= len(m["description"]) <= 170, (name, m.get("description"))
        assert m["og:title"] == title, name
        assert m["og:description"] == m["description"], name
        assert m["og:site_name"] == "工人日报" and m["og:locale"] == "zh_CN", name
        if name != "404":
            assert m["og:url"].startswith("http://testserver/"), name
        seen.add(m["description"])
    assert len(seen) >= 10  # pages say what they are, not one sentence everywhere


def test_article_description_is_its_text_and_og_type_article(client, full_article):
    body = client.get(full_article.get_absolute_url()).content.decode()
    m = metas(body)
    assert m["og:type"] == "article"
    assert full_article.paragraphs[0]["text"][:20] in m["description"]


def test_issue_column_and_person_pages_carry_json_ld_with_breadcrumbs(client, small_archive):
    urls = reader_urls(small_archive)
    expected = {"issue": "CollectionPage", "column": "CollectionPage", "person": "ProfilePage"}
    for name, kind in expected.items():
        data = json_ld(client.get(urls[name]).content.decode())
        graph = {item["@type"]: item for item in data["@graph"]}
        assert data["@context"] == "https://schema.org"
        assert graph[kind]["url"] == f"http://testserver{urls[name]}", name
        crumbs = graph["BreadcrumbList"]["itemListElement"]
        assert crumbs[0]["name"] == "工人日报" and crumbs[-1]["item"] == f"http://testserver{urls[name]}"
        assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))
        listed = graph[kind].get("mainEntity" if kind == "CollectionPage" else "hasPart")
        assert listed["itemListElement"], name
        assert all(i["url"].startswith("http://testserver/articles/") for i in listed["itemListElement"])
    person = json_ld(client.get(urls["person"]).content.decode())["@graph"][0]["mainEntity"]
    assert person["@type"] == "Person" and person["name"] == small_archive["people"][0].name


def test_json_ld_cannot_break_out_of_its_script(client, small_archive):
    column = small_archive["columns"][0]
    column.description = "</script><script>alert(1)</script>"
    column.save()
    body = client.get(column.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body
    assert json_ld(body)["@graph"][0]["description"] == column.description


def test_favicon(client, db):
    body = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg" type="image/svg\+xml">', body)
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
