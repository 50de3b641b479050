"""Two editors in two Chromium sessions edit the same article: the stale save shows the
conflict, re-applying keeps both edits (issue 11's bar: no edit lost in the admin)."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Group

from articles.models import Article

from . import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "編輯-pass-2020"


def log_in(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def test_editor_b_stale_save_shows_the_conflict_and_neither_edit_is_lost(
    live_server, browser, editor, django_user_model
):
    other = django_user_model.objects.create_user("editor-b", password=PASSWORD, is_staff=True)
    other.groups.add(Group.objects.get(name="编辑"))
    article = factories.ArticleFactory(title="工会进企宣讲扶贫政策", subtitle="")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    contexts = [
        browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}) for _ in range(2)
    ]
    try:
        a, b = (context.new_page() for context in contexts)
        for page, name in ((a, editor.username), (b, other.username)):
            page.set_default_timeout(15000)
            log_in(page, live_server.url, name)
            page.goto(url)
            page.wait_for_selector("#id_title")
        a.fill("#id_title", "A 改的主题")
        a.click("input[name=_save]")
        a.wait_for_selector(".messagelist")
        assert "成功" in a.inner_text(".messagelist")

        b.fill("#id_subtitle", "B 加的副题")
        b.click("input[name=_save]")
        b.wait_for_selector("#nr-conflict")
        conflict = b.inner_text("#nr-conflict")
        assert "A 改的主题" in conflict and "B 加的副题" in conflict
        assert Article.objects.get(pk=article.pk).subtitle == ""  # B's stale save did not overwrite

        b.click("#nr-conflict button[name=_reapply]")
        b.wait_for_selector(".messagelist")
        assert "成功" in b.inner_text(".messagelist")
        article.refresh_from_db()
        assert (article.title, article.subtitle) == ("A 改的主题", "B 加的副题")
    finally:
        for context in contexts:
            context.close()


def test_a_byline_change_lost_to_a_reimport_is_named_and_the_rest_is_saved(live_server, browser, editor):
    """The editor changes a byline's role and the subtitle while a re-import replaces the
    article's bylines: the save shows the conflict and names the byline it cannot change;
    re-applying from the page saves the subtitle over the new bylines."""
    article = factories.ArticleFactory(title="工会进企宣讲扶贫政策", subtitle="")
    factories.BylineFactory(article=article, person=factories.PersonFactory(name="马学礼"))
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in(page, live_server.url, editor.username)
        page.goto(url)
        page.wait_for_selector("#id_title")
        # meanwhile a re-import of the page replaces the bylines (new rows, new ids)
        article.bylines.all().delete()
        factories.BylineFactory(article=article, person=factories.PersonFactory(name="王新"))
        page.select_option("#id_bylines-0-role", "通讯员")
        page.fill("#id_subtitle", "编辑加的副题")
        page.click("input[name=_save]")
        page.wait_for_selector("#nr-conflict")
        if os.environ.get("SHOT"):
            page.screenshot(path=os.environ["SHOT"], full_page=True)
        assert "马学礼" in page.inner_text(".messagelist") and "没有应用" in page.inner_text(".messagelist")
        assert "王新" in page.inner_text("#bylines-group")  # the form shows the bylines there are now
        page.click("#nr-conflict button[name=_reapply]")
        page.wait_for_selector(".messagelist li.success")
        article.refresh_from_db()
        assert article.subtitle == "编辑加的副题"
        assert [(b.person.name, b.role) for b in article.bylines.all()] == [("王新", "记者")]
    finally:
        context.close()
