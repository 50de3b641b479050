"""The change path: every door that changes content reaches search and the public page, once.

Each test changes text, bylines, photos and photo credits through one door (ORM save,
queryset bulk write, API, admin form, admin action, merge/split, import) and then looks
for the new text as a reader would: by the site's search and on the article's page.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client
from rest_framework.test import APIClient

from articles.changes import ChangeSet, changes_committing
from articles.models import Article, Byline, Person, Photo, PhotoCredit

from . import factories
from .test_admin import CHANGELIST, change_url, form_data

pytestmark = pytest.mark.django_db


def reader_sees(article: Article, *texts: str) -> None:
    """An anonymous reader finds each text on the article's page and by the site's search."""
    article.refresh_from_db()
    reader = Client()
    html = reader.get(article.get_absolute_url()).content.decode()
    for text in texts:
        assert text in html, f"{text!r} not on the article page"
        found = reader.get("/search/", {"q": text}).content.decode()
        assert f'href="{article.get_absolute_url()}"' in found, f"search for {text!r} misses it"


def reader_misses(article: Article, text: str) -> None:
    reader = Client()
    assert text not in reader.get(article.get_absolute_url()).content.decode()
    found = reader.get("/search/", {"q": text}).content.decode()
    assert f'href="{article.get_absolute_url()}"' not in found


@pytest.fixture
def story(db) -> Article:
    page = factories.PageFactory(issue=factories.IssueFactory(date=datetime.date(2020, 10, 23)), number=3)
    article = factories.ArticleFactory(page=page, position=1, title="工会进企宣讲扶贫政策")
    factories.BylineFactory(article=article, person=factories.PersonFactory(name="马学礼"))
    photo = factories.PhotoFactory(page=page, article=article, position=1, caption="宣讲现场")
    factories.PhotoCreditFactory(photo=photo, person=factories.PersonFactory(name="杨长武"))
    reader_sees(article, "马学礼", "宣讲现场", "杨长武")  # and the page is now in the cache
    return article


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def api(editor):
    client = APIClient()
    client.force_authenticate(editor)
    return client


# --- the doors ------------------------------------------------------------------------------


def test_orm_saves(story):
    story.body = [{"type": "paragraph", "text": "职工书屋建设如火如荼。"}]
    story.save()
    Byline.objects.create(article=story, person=Person.objects.create(name="钱培坚"), order=1)
    photo = story.photos.get()
    photo.caption = "书屋开放日"
    photo.save()
    PhotoCredit.objects.create(photo=photo, person=Person.objects.create(name="邹偶然"), order=1)
    reader_sees(story, "职工书屋建设", "钱培坚", "书屋开放日", "邹偶然")
    reader_misses(story, "宣讲现场")


def test_queryset_bulk_writes(story):
    Article.objects.filter(pk=story.pk).update(body=[{"type": "paragraph", "text": "劳动竞赛如火如荼。"}])
    Byline.objects.bulk_create([Byline(article=story, person=Person.objects.create(name="郑莉"), order=2)])
    Photo.objects.filter(article=story).update(caption="竞赛颁奖")
    credit = PhotoCredit.objects.get()
    credit.person = Person.objects.create(name="刘友婷")
    PhotoCredit.objects.bulk_update([credit], ["person"])
    reader_sees(story, "劳动竞赛", "郑莉", "竞赛颁奖", "刘友婷")
    reader_misses(story, "杨长武")


def test_a_person_renamed_in_bulk_reaches_every_article_credited(story):
    Person.objects.filter(name="马学礼").update(name="马学理")
    reader_sees(story, "马学理")
    reader_misses(story, "马学礼")


def test_api_replaces_bylines_and_text(story, api):
    """The known break: bylines replaced through the API were not found by search."""
    person = Person.objects.create(name="田国全")
    response = api.patch(
        f"/api/v1/articles/{story.pk}/",
        {"bylines": [{"person_id": person.pk, "role": "记者"}], "subtitle": "田间地头的宣讲"},
        format="json",
    )
    assert response.status_code == 200, response.content.decode()
    reader_sees(story, "田国全", "田间地头的宣讲")
    reader_misses(story, "马学礼")


def test_admin_form_changes_text_bylines_and_photos(story, editor_client):
    data = form_data(editor_client.get(change_url(story)))
    data["body"] = "## 车间里的课堂\n\n宣讲团走进车间。"
    data["bylines-0-person"] = str(Person.objects.create(name="钱培坚").pk)
    data["photos-0-caption"] = "车间课堂"
    response = editor_client.post(change_url(story), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    reader_sees(story, "车间里的课堂", "钱培坚", "车间课堂")
    reader_misses(story, "马学礼")


def test_admin_photo_form_changes_credits(story, editor_client):
    photo = story.photos.get()
    data = form_data(editor_client.get(change_url(photo)), form_id="photo_form")
    data["credits-0-person"] = str(Person.objects.create(name="邹偶然").pk)
    response = editor_client.post(change_url(photo), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    reader_sees(story, "邹偶然")
    reader_misses(story, "杨长武")


def test_admin_action_publishes_a_draft_into_search_and_the_site(story, editor_client):
    draft = factories.ArticleFactory(
        page=story.page, position=2, title="尚未发布的调研报告", status="draft", published_at=None
    )
    reader_misses(draft, "调研报告")
    response = editor_client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [draft.pk], "index": 0}
    )
    assert response.status_code == 302
    reader_sees(draft, "调研报告")


def test_merge_and_split(story, editor):
    from articles.editing import merge_articles, split_article

    second = factories.ArticleFactory(
        page=story.page,
        position=2,
        title="帮扶干部进村入户",
        body=[{"type": "paragraph", "text": "帮扶干部走访困难职工家庭。"}],
    )
    factories.BylineFactory(article=second, person=factories.PersonFactory(name="郑莉"))
    merged = merge_articles([story, second], editor)
    reader_sees(merged, "帮扶干部进村入户", "困难职工家庭", "郑莉", "马学礼")
    new = split_article(merged, len(merged.body) - 1, editor, title="困难职工家庭走访记")
    reader_sees(new, "困难职工家庭")
    reader_misses(merged, "走访困难职工家庭")


def test_import_and_reimport(tmp_path):
    page_text = "\n\n产业工人队伍建设改革推进会召开\n\n本报讯（记者郑莉）会议部署下一步工作。\n"
    path = tmp_path / "p.txt"
    path.write_text(page_text, encoding="utf-8")
    args = [str(path), "--date", "2020-10-23", "--page", "3", "--publish"]
    call_command("import_pages", *args, stdout=io.StringIO())
    article = Article.objects.get()
    reader_sees(article, "郑莉", "部署下一步工作")
    path.write_text(page_text.replace("郑莉", "邹偶然").replace("下一步", "明年"), encoding="utf-8")
    call_command("import_pages", *args, stdout=io.StringIO())
    article = Article.objects.get()
    reader_sees(article, "邹偶然", "部署明年工作")
    reader_misses(article, "郑莉")


# --- the mechanism ----------------------------------------------------------------------------


@pytest.fixture
def sent():
    calls: list[ChangeSet] = []

    def listener(sender, changes, using, **kwargs):
        calls.append(changes)

    changes_committing.connect(listener, dispatch_uid="test-listener")
    yield calls
    changes_committing.disconnect(dispatch_uid="test-listener")


def test_one_signal_per_transaction_at_its_end_naming_what_changed(story, sent):
    photo = story.photos.get()
    with transaction.atomic():
        story.title = "新标题"
        story.save()
        Byline.objects.filter(article=story).delete()
        PhotoCredit.objects.filter(photo=photo).update(role="摄影")
        assert sent == []  # nothing before the transaction ends
    assert len(sent) == 1
    changes = sent[0]
    assert changes.articles == {story.pk}
    assert changes.pages == {story.page_id} and changes.photos == {photo.pk}
    assert changes.people == set(Person.objects.values_list("pk", flat=True))


def test_a_rolled_back_transaction_sends_nothing(story, sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        story.title = "回滚的标题"
        story.save()
        raise RuntimeError
    assert sent == []


def test_a_byline_moved_changes_both_articles(story, sent):
    other = factories.ArticleFactory(page=story.page, position=2, title="另一篇")
    byline = Byline.objects.get(article=story)
    sent.clear()
    byline.article = other
    byline.save()
    assert sent[-1].articles == {story.pk, other.pk}


def test_every_change_bumps_the_article_version_once_per_transaction(story):
    story.refresh_from_db()
    start = story.version
    with transaction.atomic():
        story.title = "改一"
        story.save()
        story.subtitle = "改二"
        story.save()
    story.refresh_from_db()
    assert story.version == start + 1
    Byline.objects.filter(article=story).delete()
    story.refresh_from_db()
    assert story.version == start + 2
    stale = Article.objects.get(pk=story.pk)
    stale.version = 1  # a stale instance never puts an old version back
    stale.save()
    story.refresh_from_db()
    assert story.version == start + 3


def test_settings_select_our_backends_whatever_the_url_says():
    from newsroom.db.base import BeforeCommitMixin

    assert isinstance(connections["default"], BeforeCommitMixin)
    assert connection.settings_dict["ENGINE"] in ("newsroom.db.sqlite3", "newsroom.db.postgresql")


@pytest.mark.django_db(transaction=True)
def test_a_failing_receiver_rolls_the_whole_transaction_back():
    article = factories.ArticleFactory(title="原来的标题")

    def failing(sender, changes, using, **kwargs):
        raise RuntimeError("index unavailable")

    changes_committing.connect(failing, dispatch_uid="test-failing")
    try:
        with pytest.raises(RuntimeError, match="index unavailable"), transaction.atomic():
            article.title = "不该留下的标题"
            article.save()
        with pytest.raises(RuntimeError, match="index unavailable"):
            Article.objects.filter(pk=article.pk).update(title="自动提交的标题")
    finally:
        changes_committing.disconnect(dispatch_uid="test-failing")
    article.refresh_from_db()
    assert article.title == "原来的标题"  # neither the transaction nor the autocommit write stood


@pytest.mark.django_db(transaction=True)
def test_real_commits_index_inside_the_transaction():
    article = factories.ArticleFactory(title="真实提交的稿件")
    with transaction.atomic():
        article.body = [{"type": "paragraph", "text": "真实事务里的正文。"}]
        article.save()
    reader_sees(article, "真实事务里的正文")
