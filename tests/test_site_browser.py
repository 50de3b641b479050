"""A reader's walk through the site in Debian's Chromium: home → issue → page → article →
column → person → search, on a desktop and a phone-sized screen.

``NEWSROOM_SCREENSHOTS=1`` also imports the seed pages and writes docs/home.png and
docs/article.png (the README shows them).
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest

from articles.models import Article, Role

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture
def paper(db):
    issue = factories.IssueFactory(date=datetime.date(2020, 10, 23))
    page1 = factories.PageFactory(issue=issue, number=1, name="要闻")
    page3 = factories.PageFactory(issue=issue, number=3, name="工会新闻")
    column = factories.ColumnFactory(name="主席之声")
    factories.ArticleFactory(page=page1, position=1, title="全国总工会召开会议部署下半年工作")
    art = factories.ArticleFactory(
        page=page3,
        position=1,
        kicker="宁夏回族自治区党委、政府出台意见",
        title="建立联席会议制度加强和改进产业工人队伍思想政治工作",
        subtitle="提出强化理论武装、增强主人翁意识等11个方面的措施",
        column=column,
        reading_tip="《意见》要求畅通产业工人诉求表达渠道，搭建多种形式的沟通平台。",
    )
    factories.BylineFactory(article=art, person=factories.PersonFactory(name="马学礼"), role=Role.REPORTER)
    factories.ArticleFactory(page=page3, position=2, title="工会进企宣讲扶贫政策")
    photo = factories.PhotoFactory(page=page3, article=art, position=1, title="为劳动者留影")
    factories.PhotoCreditFactory(photo=photo, person=factories.PersonFactory(name="杨长武"))
    factories.ArticleFactory(
        page=page3, position=3, title="读者看不到的草稿", status=Article.Status.DRAFT, published_at=None
    )
    return art


def test_reader_walks_from_home_to_search(live_server, browser_page, paper):
    page = browser_page
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().replace("\n", " ").startswith("工人日报 2020年10月23日 星期五")
    assert page.get_by_role("navigation", name="版面导航").is_visible()
    assert page.get_by_role("link", name="建立联席会议制度加强和改进产业工人队伍思想政治工作").is_visible()
    assert "读者看不到的草稿" not in page.content()

    page.get_by_role("link", name="本期全部稿件").click()
    page.wait_for_url(re.compile(r"/2020/10/23/$"))
    assert page.locator("h1").inner_text() == "2020年10月23日 星期五"

    page.get_by_role("link", name="03版 · 工会新闻").click()
    page.wait_for_url(re.compile(r"/pages/\d+/$"))
    assert page.locator("h1").inner_text() == "03版 · 工会新闻"
    assert page.locator(".page-article h2").all_inner_texts() == [
        "建立联席会议制度加强和改进产业工人队伍思想政治工作",
        "工会进企宣讲扶贫政策",
    ]

    page.get_by_role("link", name="建立联席会议制度加强和改进产业工人队伍思想政治工作").click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    assert page.locator("h1").inner_text() == "建立联席会议制度加强和改进产业工人队伍思想政治工作"
    assert page.locator(".story-head .kicker").inner_text() == "宁夏回族自治区党委、政府出台意见"
    assert page.locator(".reading-tip").is_visible()
    assert page.locator(".paper-line").inner_text() == "《工人日报》(2020年10月23日 03版)"
    assert "杨长武" in page.locator("figcaption").inner_text()

    # The font-size control enlarges the text and is remembered on the next page load.
    body_size = "parseFloat(getComputedStyle(document.querySelector('.story-body p')).fontSize)"
    before = page.evaluate(body_size)
    page.get_by_role("button", name="放大字号").click()
    assert page.evaluate(body_size) > before
    page.reload()
    assert page.evaluate(body_size) > before
    page.get_by_role("button", name="默认字号").click()
    assert page.evaluate(body_size) == before

    page.locator(".story-column").get_by_role("link", name="主席之声").click()
    page.wait_for_url(re.compile(r"/columns/zhu-xi-zhi-sheng/$"))
    assert page.locator("h1").inner_text() == "主席之声"
    assert page.get_by_role("link", name="建立联席会议制度加强和改进产业工人队伍思想政治工作").is_visible()

    page.go_back()
    page.locator(".story-head").get_by_role("link", name="马学礼").click()
    page.wait_for_url(re.compile(r"/people/\d+/$"))
    assert page.locator("h1").inner_text() == "马学礼"
    assert page.get_by_role("link", name="建立联席会议制度加强和改进产业工人队伍思想政治工作").is_visible()

    page.get_by_role("searchbox", name="搜索稿件").fill("联席会议")
    page.get_by_role("searchbox", name="搜索稿件").press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert "共找到 1 篇稿件" in page.get_by_role("status").inner_text()
    assert page.locator(".search-results mark").first.inner_text() == "联席会议"

    page.get_by_label("关键词").fill("联")
    page.get_by_role("button", name="搜索", exact=True).last.click()
    assert "太短" in page.get_by_role("alert").inner_text()


def test_article_fits_a_phone_screen(live_server, browser, paper):
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        for url in ["/", paper.get_absolute_url(), "/search/?q=联席会议"]:
            page.goto(live_server.url + url)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
        assert page.get_by_role("searchbox", name="搜索稿件").is_visible()
    finally:
        context.close()


@pytest.mark.skipif(
    not os.environ.get("NEWSROOM_SCREENSHOTS"), reason="set NEWSROOM_SCREENSHOTS=1 to refresh docs/"
)
def test_screenshots_for_the_readme(live_server, browser, db):
    from django.core.management import call_command

    call_command("import_pages", "--publish", verbosity=0)
    published = Article.objects.published().order_by("-page__issue__date", "page__number", "position")
    article = published.exclude(column=None).exclude(editor_note="").first() or published.first()
    DOCS.mkdir(exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.screenshot(path=str(DOCS / "home.png"), full_page=False)
        page.set_viewport_size({"width": 1000, "height": 1300})
        page.goto(live_server.url + article.get_absolute_url())
        page.screenshot(path=str(DOCS / "article.png"), full_page=False)
    finally:
        context.close()
