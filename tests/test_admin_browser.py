"""An editor's day in Debian's Chromium: log in, fix an imported headline, publish, see it live.

The article comes from a real seed page imported as drafts, so the OCR source shown
beside the form is the page's real text. ``NEWSROOM_SCREENSHOTS=1`` also writes
docs/admin-article.png (the article form with the OCR source beside it; docs/editing.md
shows it).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parent.parent / "docs"
EDITOR_PASSWORD = "編輯-pass-2020"  # tests/conftest.py's editor fixture


@pytest.fixture
def imported(seeds_dir):
    """Seed page 003 imported as drafts: a page of real articles waiting for an editor."""
    call_command(
        "import_pages",
        str(seeds_dir / "003_5e8ab85cd838b191.txt"),
        "--date",
        "2022-06-23",
        "--page",
        "3",
        "--page-name",
        "工会新闻",
        verbosity=0,
    )
    article = Article.objects.filter(needs_review=True).first() or Article.objects.first()
    assert article is not None and article.status == Article.Status.DRAFT
    return article


def test_editor_fixes_a_headline_publishes_and_sees_it_on_the_site(
    live_server, browser_page, editor, imported
):
    page = browser_page
    page.set_viewport_size({"width": 1440, "height": 1000})
    article = imported
    new_title = article.title + "（编辑已改）"

    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", EDITOR_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    assert "工人日报 编辑部" in page.inner_text("#site-name")

    # The article list, narrowed to the review queue; open the article from there.
    page.goto(f"{live_server.url}/admin/articles/article/?queue=review")
    page.get_by_role("link", name=article.title, exact=True).first.click()
    page.wait_for_selector("#id_title")

    # The form and the page's OCR source are side by side on a wide screen.
    form_box = page.locator("#article_form").bounding_box()
    source_box = page.locator(".nr-source").bounding_box()
    assert source_box["x"] >= form_box["x"] + form_box["width"] - 1
    assert abs(source_box["y"] - form_box["y"]) < 200
    assert article.title[:6] in page.inner_text(".nr-source-text mark")
    if os.environ.get("NEWSROOM_SCREENSHOTS"):
        page.screenshot(path=str(DOCS / "admin-article.png"))

    page.fill("#id_title", new_title)
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    assert "成功" in page.inner_text(".messagelist")

    # Publish it with the list action.
    page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    assert "已发布 1 篇稿件。" in page.inner_text(".messagelist")

    article.refresh_from_db()
    assert article.title == new_title and article.is_published and article.edited
    assert article.edited_by == editor

    # A reader (no login) sees the new headline on the public article page.
    reader = page.context.browser.new_context(locale="zh-CN")
    try:
        public = reader.new_page()
        response = public.goto(live_server.url + article.get_absolute_url())
        assert response.status == 200
        assert re.search(re.escape(new_title), public.content())
    finally:
        reader.close()
