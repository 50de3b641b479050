"""Revisions: every change keeps one (with who and when, bylines, photos, credits); the admin
shows an escaped diff between any two and restores one in a click, exactly."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from reversion.models import Version

from articles.editing import merge_articles, restore_revision, split_article
from articles.models import Article, Person, Photo, PhotoCredit

from . import factories
from .test_admin import change_url, form_data

pytestmark = pytest.mark.django_db


def state(article: Article) -> dict:
    article = Article.objects.get(pk=article.pk)
    return {
        "title": article.title,
        "subtitle": article.subtitle,
        "body": article.body,
        "bylines": [(b.person.name, b.role, b.order) for b in article.bylines.order_by("order", "pk")],
        "photos": [
            (p.pk, p.caption, [(c.person.name, c.role) for c in p.credits.order_by("order", "pk")])
            for p in Photo.objects.filter(article=article).order_by("position")
        ],
    }


@pytest.fixture
def story(db):
    article = factories.ArticleFactory(title="工会进企宣讲扶贫政策", subtitle="")
    factories.BylineFactory(article=article, person=factories.PersonFactory(name="马学礼"), role="记者")
    photo = factories.PhotoFactory(page=article.page, article=article, position=1, caption="宣讲现场")
    factories.PhotoCreditFactory(photo=photo, person=factories.PersonFactory(name="杨长武"), role="摄影")
    return article


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def change_everything(article, editor):
    """Through the API (title, body, bylines) and the ORM (photos, credits)."""
    api = APIClient()
    api.force_authenticate(editor)
    zheng = Person.objects.create(name="郑莉")
    response = api.patch(
        f"/api/v1/articles/{article.pk}/",
        {
            "title": "改过的主题<script>",
            "body": [{"type": "paragraph", "text": "全新的正文。"}],
            "bylines": [{"person_id": zheng.pk, "role": "通讯员"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    photo = Photo.objects.get(article=article)
    photo.caption = "改过的图片说明"
    photo.save()
    PhotoCredit.objects.filter(photo=photo).delete()
    PhotoCredit.objects.create(photo=photo, person=Person.objects.create(name="邹偶然"))
    factories.PhotoFactory(page=article.page, article=article, position=2, caption="后加的图片")


def test_restoring_the_first_revision_brings_everything_back_exactly(story, editor):
    before = state(story)
    change_everything(story, editor)
    assert state(story) != before
    first = Version.objects.get_for_object(story).last()
    assert first.revision.comment == "导入时的版本"
    restore_revision(story.pk, first.pk, editor)
    assert state(story) == before
    assert Photo.objects.filter(caption="后加的图片", article__isnull=True).exists()  # detached, not deleted
    newest = Version.objects.get_for_object(story).first()
    assert "恢复到" in newest.revision.comment and newest.revision.user == editor


def test_a_deleted_photo_comes_back_on_restore(story, editor):
    before = state(story)
    from articles.editing import keep_first_revision, record_edit

    keep_first_revision(story)
    Photo.objects.filter(article=story).delete()
    record_edit(story, editor, "删除了配图")
    first = Version.objects.get_for_object(story).last()
    restore_revision(story.pk, first.pk, editor)
    assert state(story) == before


def test_the_admin_lists_revisions_shows_an_escaped_diff_and_restores_in_a_click(
    story, editor, editor_client
):
    before = state(story)
    change_everything(story, editor)
    page = editor_client.get(reverse("admin:articles_article_revisions", args=[story.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "导入时的版本" in html and editor.username in html
    versions = list(Version.objects.get_for_object(story))
    diff = editor_client.get(
        reverse("admin:articles_article_revisions_compare", args=[story.pk]),
        {"a": versions[-1].pk, "b": versions[0].pk},
    ).content.decode()
    assert "改过的主题&lt;script&gt;" in diff and "改过的主题<script>" not in diff
    assert "<del>- 记者马学礼</del>" in diff and "<ins>+ 通讯员郑莉</ins>" in diff
    assert "<ins>+ 全新的正文。</ins>" in diff
    # the restore button of the oldest revision posts to its restore URL
    restore = reverse("admin:articles_article_revisions_restore", args=[story.pk, versions[-1].pk])
    assert f'action="{restore}"' in html
    response = editor_client.post(restore)
    assert response.status_code == 302 and response["Location"] == change_url(story)
    assert state(story)["title"] == before["title"] and state(story)["bylines"] == before["bylines"]


def test_the_change_form_links_to_the_revisions(story, editor_client):
    html = editor_client.get(change_url(story)).content.decode()
    assert reverse("admin:articles_article_revisions", args=[story.pk]) in html


def test_an_admin_form_save_keeps_a_revision_with_bylines_and_photos(story, editor, editor_client):
    data = form_data(editor_client.get(change_url(story)))
    data["title"] = "表单改的主题"
    data["photos-0-caption"] = "表单改的图片说明"
    assert editor_client.post(change_url(story), data).status_code == 302
    newest = Version.objects.get_for_object(story).first()
    assert newest.revision.user == editor
    kinds = {v.content_type.model: v.field_dict for v in newest.revision.version_set.all()}
    assert kinds["article"]["title"] == "表单改的主题" and kinds["photo"]["caption"] == "表单改的图片说明"
    assert "byline" in kinds and "photocredit" in kinds


def test_merge_split_and_reimport_keep_revisions(story, editor):
    second = factories.ArticleFactory(page=story.page, position=story.position + 1, title="第二篇")
    merged = merge_articles([story, second], editor)
    assert "合并了稿件" in Version.objects.get_for_object(merged).first().revision.comment
    assert Version.objects.get_for_object(second).exists()  # the merged-away part's last state is kept
    new = split_article(merged, 1, editor, title="拆出的稿件")
    assert "拆分" in Version.objects.get_for_object(merged).first().revision.comment
    assert Version.objects.get_for_object(new).first().revision.user == editor


def test_a_reimport_that_changes_an_article_keeps_a_revision(tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "p.txt"
    text = "\n\n产业工人队伍建设改革推进会召开\n\n本报讯（记者郑莉）会议部署下一步工作。\n"
    path.write_text(text, encoding="utf-8")
    args = [str(path), "--date", "2020-10-23", "--page", "3"]
    call_command("import_pages", *args, stdout=io.StringIO())
    article = Article.objects.get()
    assert not Version.objects.get_for_object(article).exists()  # the import itself keeps none (cheap)
    path.write_text(text.replace("下一步", "明年"), encoding="utf-8")
    call_command("import_pages", *args, stdout=io.StringIO())
    versions = list(Version.objects.get_for_object(article))
    assert [v.revision.comment for v in versions] == ["重新导入了本版，更新了这篇稿件。", "导入时的版本"]
    assert "明年" in str(versions[0].field_dict["body"]) and "下一步" in str(versions[1].field_dict["body"])
