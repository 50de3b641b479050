"""Who may write through the API, what a write does, and the anonymous rate limit."""

from __future__ import annotations

import base64

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from rest_framework.test import APIClient

from articles.models import Article, Byline, Column, Person

from .factories import ArticleFactory, BylineFactory, ColumnFactory, PageFactory, PersonFactory
from .test_api import client_for, make_user, only_error

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"


@pytest.fixture
def story(db):
    article = ArticleFactory(title="工会进企宣讲扶贫政策", page=PageFactory(number=3), position=1)
    BylineFactory(article=article, person=PersonFactory(name="马学礼"))
    return article


@pytest.fixture
def changer(django_user_model):
    return make_user(django_user_model, "changer", "change_article")


@pytest.fixture
def chief(django_user_model):
    """A staff member who may do everything to articles, people and columns."""
    perms = [
        f"{action}_{model}"
        for action in ("add", "change", "delete")
        for model in ("article", "person", "column")
    ]
    return make_user(django_user_model, "chief", *perms)


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, url, payload",
    [
        ("patch", "{article}", {"title": "改过的标题"}),
        ("put", "{article}", {"title": "改过的标题"}),
        ("delete", "{article}", None),
        ("post", ARTICLES, {"title": "新稿件"}),
        ("post", "/api/v1/people/", {"name": "新人"}),
        ("post", "/api/v1/columns/", {"name": "新栏目"}),
    ],
)
def test_anonymous_writes_get_401_with_a_challenge(story, method, url, payload):
    url = url.format(article=f"{ARTICLES}{story.pk}/")
    response = getattr(APIClient(), method)(url, payload, format="json")
    error = only_error(response, 401)
    assert error["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Basic")
    story.refresh_from_db()
    assert story.title == "工会进企宣讲扶贫政策"


def test_a_non_staff_user_with_the_permission_gets_403(django_user_model, story):
    outsider = make_user(django_user_model, "outsider", "change_article", is_staff=False)
    error = only_error(
        client_for(outsider).patch(f"{ARTICLES}{story.pk}/", {"title": "改"}, format="json"), 403
    )
    assert error["code"] == "permission_denied"


def test_staff_without_the_model_permission_gets_403(django_user_model, story):
    viewer = make_user(django_user_model, "viewer")
    only_error(client_for(viewer).patch(f"{ARTICLES}{story.pk}/", {"title": "改"}, format="json"), 403)
    # Change permission does not allow deleting.
    changer = make_user(django_user_model, "changer2", "change_article")
    only_error(client_for(changer).delete(f"{ARTICLES}{story.pk}/"), 403)
    assert Article.objects.filter(pk=story.pk).exists()


# --- article writes -----------------------------------------------------------------------


def test_patching_the_title_marks_the_article_edited_like_the_admin(changer, story):
    response = client_for(changer).patch(
        f"{ARTICLES}{story.pk}/", {"title": "工会送政策进车间"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "工会送政策进车间"
    assert response.json()["edited"] is True
    story.refresh_from_db()
    assert story.title == "工会送政策进车间"
    assert story.edited is True
    assert story.edited_by == changer
    assert story.edited_at is not None
    # Untouched fields are kept.
    assert story.bylines.get().person.name == "马学礼"


def test_an_api_edit_is_in_the_admin_history_with_the_changed_fields(changer, story):
    client_for(changer).patch(
        f"{ARTICLES}{story.pk}/", {"title": "新标题", "kicker": story.kicker, "bylines": []}, format="json"
    )
    entry = LogEntry.objects.get(object_id=str(story.pk))
    assert entry.user == changer
    assert entry.is_change()
    assert entry.get_change_message() == "已修改主题 和 署名。"


def test_a_patch_that_changes_nothing_does_not_mark_the_article_edited(changer, story):
    person = story.bylines.get().person
    payload = {
        "title": story.title,
        "body": story.body,
        "bylines": [{"person_id": person.pk, "role": "记者"}],
    }
    response = client_for(changer).patch(f"{ARTICLES}{story.pk}/", payload, format="json")
    assert response.status_code == 200, response.content
    story.refresh_from_db()
    assert story.edited is False
    assert not LogEntry.objects.exists()


def test_basic_authentication_works_for_scripts(changer, story):
    token = base64.b64encode(b"changer:pw-2020-newsroom").decode()
    api = APIClient(HTTP_AUTHORIZATION=f"Basic {token}")
    response = api.patch(f"{ARTICLES}{story.pk}/", {"subtitle": "副题"}, format="json")
    assert response.status_code == 200, response.content
    story.refresh_from_db()
    assert story.subtitle == "副题"
    bad = APIClient(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"changer:wrong").decode())
    assert only_error(bad.get(ARTICLES), 401)["code"] == "authentication_failed"


def test_staff_replace_body_bylines_and_column(changer, story):
    column = ColumnFactory(name="主席之声")
    zheng = PersonFactory(name="郑莉")
    payload = {
        "kicker": "引题",
        "dateline": "本报北京10月22日电",
        "editor_note": "编者按",
        "reading_tip": "阅读提示",
        "source_note": "来源：《工人日报》",
        "column_id": column.pk,
        "body": [{"type": "subhead", "text": " 小标题 "}, {"type": "paragraph", "text": "正文一段。"}],
        "bylines": [{"person_id": zheng.pk, "role": "通讯员"}],
    }
    response = client_for(changer).patch(f"{ARTICLES}{story.pk}/", payload, format="json")
    assert response.status_code == 200, response.content
    story.refresh_from_db()
    assert story.body == [{"type": "subhead", "text": "小标题"}, {"type": "paragraph", "text": "正文一段。"}]
    assert [(b.person.name, b.role) for b in story.bylines.all()] == [("郑莉", "通讯员")]
    assert story.column == column
    assert (story.kicker, story.dateline, story.source_note) == (
        "引题",
        "本报北京10月22日电",
        "来源：《工人日报》",
    )
    assert response.json()["column"]["name"] == "主席之声"
    # Clearing the column.
    client_for(changer).patch(f"{ARTICLES}{story.pk}/", {"column_id": None}, format="json")
    story.refresh_from_db()
    assert story.column is None


def test_unpublishing_and_publishing_through_the_api(changer, story):
    api = client_for(changer)
    assert api.patch(f"{ARTICLES}{story.pk}/", {"status": "draft"}, format="json").status_code == 200
    assert APIClient().get(f"{ARTICLES}{story.pk}/").status_code == 404
    story.refresh_from_db()
    story.published_at = None
    story.save()
    data = api.patch(f"{ARTICLES}{story.pk}/", {"status": "published"}, format="json").json()
    assert data["status"] == "published"
    assert data["published_at"] is not None
    assert APIClient().get(f"{ARTICLES}{story.pk}/").status_code == 200


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": ""}, "title"),
        ({"status": "deleted"}, "status"),
        ({"column_id": 999999}, "column_id"),
        ({"body": [{"type": "table", "text": "表格"}]}, "body[0].type"),
        ({"body": [{"type": "paragraph"}]}, "body[0].text"),
        ({"bylines": [{"person_id": 999999, "role": "记者"}]}, "bylines[0].person_id"),
        ({"bylines": [{"person_id": "{person}", "role": "主编"}]}, "bylines[0].role"),
        ({"position": -1}, "position"),
    ],
)
def test_invalid_writes_name_the_field(changer, story, payload, field):
    person = story.bylines.get().person
    if "bylines" in payload:
        payload["bylines"][0]["person_id"] = str(payload["bylines"][0]["person_id"]).format(person=person.pk)
    response = client_for(changer).patch(f"{ARTICLES}{story.pk}/", payload, format="json")
    error = only_error(response, 400)
    assert error["field"] == field
    assert error["message"].startswith(f"字段 {field}：")
    story.refresh_from_db()
    assert story.edited is False


def test_a_duplicate_byline_is_refused(changer, story):
    person = story.bylines.get().person
    bylines = [{"person_id": person.pk, "role": "记者"}, {"person_id": person.pk, "role": "记者"}]
    error = only_error(
        client_for(changer).patch(f"{ARTICLES}{story.pk}/", {"bylines": bylines}, format="json"), 400
    )
    assert error["field"] == "bylines"
    assert "马学礼" in error["message"]


def test_malformed_json_is_a_400(changer, story):
    response = client_for(changer).generic(
        "PATCH", f"{ARTICLES}{story.pk}/", "{not json", content_type="application/json"
    )
    assert only_error(response, 400)["code"] == "parse_error"


def test_staff_create_an_article(chief, story):
    payload = {
        "page_id": story.page_id,
        "position": 2,
        "title": "新华社稿件",
        "body": [{"type": "paragraph", "text": "正文。"}],
        "bylines": [{"person_id": story.bylines.get().person_id, "role": "作者"}],
    }
    response = client_for(chief).post(ARTICLES, payload, format="json")
    assert response.status_code == 201, response.content
    created = Article.objects.get(pk=response.json()["id"])
    assert (created.title, created.status, created.edited, created.edited_by) == (
        "新华社稿件",
        "draft",
        True,
        chief,
    )
    assert created.bylines.get().role == "作者"
    # The same position on the same page again is a clear 400, not a crash.
    error = only_error(client_for(chief).post(ARTICLES, payload, format="json"), 400)
    assert "position" in error["message"]


def test_creating_without_a_page_names_page_id(chief, db):
    error = only_error(
        client_for(chief).post(ARTICLES, {"title": "无版面", "position": 1}, format="json"), 400
    )
    assert error["field"] == "page_id"


def test_staff_delete_an_article(chief, story):
    assert client_for(chief).delete(f"{ARTICLES}{story.pk}/").status_code == 204
    assert not Article.objects.filter(pk=story.pk).exists()
    entry = LogEntry.objects.get(object_id=str(story.pk))
    assert entry.is_deletion()
    assert entry.object_repr == "工会进企宣讲扶贫政策"


# --- people and columns -------------------------------------------------------------------


def test_staff_manage_people_and_a_credited_person_cannot_be_deleted(chief, story):
    api = client_for(chief)
    created = api.post("/api/v1/people/", {"name": "田国全", "affiliation": "某某总工会主席"}, format="json")
    assert created.status_code == 201, created.content
    assert Person.objects.filter(name="田国全").exists()
    duplicate = api.post(
        "/api/v1/people/", {"name": "田国全", "affiliation": "某某总工会主席"}, format="json"
    )
    assert only_error(duplicate, 400)["code"] == "unique"
    credited = story.bylines.get().person
    error = only_error(api.delete(f"/api/v1/people/{credited.pk}/"), 409)
    assert "工会进企宣讲扶贫政策" in error["message"] or "马学礼" in error["message"]
    assert Byline.objects.filter(person=credited).exists()
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()
    assert api.delete(f"/api/v1/people/{created.json()['id']}/").status_code == 204


def test_staff_create_a_column_with_a_generated_slug(chief, db):
    api = client_for(chief)
    response = api.post("/api/v1/columns/", {"name": "工会博览", "description": "工会历史"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "gong-hui-bo-lan"
    error = only_error(api.post("/api/v1/columns/", {"name": "工会博览"}, format="json"), 400)
    assert error["field"] == "name"
    error = only_error(
        api.post("/api/v1/columns/", {"name": "新栏目", "slug": "gong-hui-bo-lan"}, format="json"), 400
    )
    assert error["field"] == "slug"
    assert Column.objects.count() == 1


@pytest.mark.parametrize("url", ["/api/v1/issues/", "/api/v1/pages/", "/api/v1/photos/"])
def test_read_only_resources_refuse_writes(chief, db, url):
    assert only_error(client_for(chief).post(url, {}, format="json"), 405)["code"] == "method_not_allowed"


# --- throttling ---------------------------------------------------------------------------


def test_anonymous_clients_are_throttled_with_a_json_429(settings, story):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    api = APIClient()
    for _ in range(3):
        assert api.get(ARTICLES).status_code == 200
    response = api.get(f"{ARTICLES}{story.pk}/")
    error = only_error(response, 429)
    assert error["code"] == "throttled"
    assert "秒" in error["message"]
    assert int(response["Retry-After"]) > 0


def test_staff_are_not_throttled(settings, changer, story):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"}}
    api = client_for(changer)
    assert [api.get(ARTICLES).status_code for _ in range(3)] == [200, 200, 200]
