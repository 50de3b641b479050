"""The editors' screens at 1280 px in Debian's Chromium: nothing needs side-scrolling.

The article list shows its status and review columns beside the filters; the page form
(with its articles and photos) fits the window. ``NEWSROOM_SCREENSHOTS=1`` also writes
docs/admin-changelist.png (docs/editing.md shows it).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parent.parent / "docs"
EDITOR_PASSWORD = "編輯-pass-2020"  # tests/conftest.py's editor fixture
OVERFLOWING = """() => [...document.querySelectorAll('html, .results, .inline-group, fieldset')]
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.tagName}#${e.id}.${e.className}: ${e.scrollWidth} > ${e.clientWidth}`)"""


@pytest.fixture
def imported(seeds_dir):
    call_command("import_pages", "--publish", verbosity=0)
    scheduled = Article.objects.filter(needs_review=False).first()
    scheduled.published_at = timezone.now() + datetime.timedelta(hours=5)
    scheduled.save()
    return scheduled


def log_in(page, live_server, editor):
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", EDITOR_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def test_the_article_list_shows_state_and_review_at_1280_px(live_server, browser_page, editor, imported):
    page = browser_page
    assert page.viewport_size["width"] == 1280
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/admin/articles/article/")
    assert page.evaluate(OVERFLOWING) == []
    headers = page.locator("#result_list thead th").all_inner_texts()
    assert {"状态", "审核"} <= {h.strip() for h in headers}
    for selector in ("th.column-state", "th.column-review", "th.column-last_change"):
        box = page.locator(f"#result_list {selector}").bounding_box()
        assert box["x"] + box["width"] <= 1280, selector
    states = set(page.locator("#result_list td.field-state").all_inner_texts())
    assert {"待审", "已发布"} <= states
    assert any(s.startswith("定时") for s in states)  # with its time
    if os.environ.get("NEWSROOM_SCREENSHOTS"):
        page.screenshot(path=str(DOCS / "admin-changelist.png"))


def test_the_page_form_fits_the_window(live_server, browser_page, editor, imported):
    page = browser_page
    log_in(page, live_server, editor)
    busiest = max(Page.objects.all(), key=lambda p: p.photos.count() + p.articles.count())
    assert busiest.photos.exists()
    page.goto(f"{live_server.url}/admin/articles/page/{busiest.pk}/change/")
    page.wait_for_selector("#photos-group")
    assert page.evaluate(OVERFLOWING) == []
