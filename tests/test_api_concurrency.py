"""No lost updates through the API: ETag on every item, If-Match on writes (412), PATCH by field."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from articles.models import Article, Person

from . import factories
from .test_api import client_for, make_user, only_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer(django_user_model):
    return make_user(
        django_user_model, "writer", "change_article", "add_article", "delete_article", "change_person"
    )


@pytest.fixture
def two_editors(writer, django_user_model):
    other = make_user(django_user_model, "other", "change_article")
    return client_for(writer), client_for(other)


def url(article):
    return f"/api/v1/articles/{article.pk}/"


def test_every_item_carries_an_etag_and_if_none_match_answers_304(article):
    anon = client_for()
    for path in (
        url(article),
        f"/api/v1/pages/{article.page_id}/",
        f"/api/v1/issues/{article.page.issue_id}/",
        f"/api/v1/people/{article.bylines.get().person_id}/",
    ):
        response = anon.get(path)
        assert response.status_code == 200 and response["ETag"].startswith('"'), path
        again = anon.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again["ETag"] == response["ETag"]


def test_a_stale_if_match_is_refused_with_412_and_nothing_is_written(article, two_editors):
    a, b = two_editors
    tag = a.get(url(article))["ETag"]
    first = b.patch(url(article), {"subtitle": "B 改的副题"}, format="json", HTTP_IF_MATCH=tag)
    assert first.status_code == 200 and first["ETag"] != tag
    assert first.json()["version"] == Article.objects.get().version
    stale = a.patch(url(article), {"title": "A 改的主题"}, format="json", HTTP_IF_MATCH=tag)
    error = only_error(stale, 412)
    assert error["code"] == "precondition_failed" and "已被修改" in error["message"]
    article.refresh_from_db()
    assert article.subtitle == "B 改的副题" and article.title == "工会进企宣讲扶贫政策"
    fresh = a.get(url(article))["ETag"]
    assert fresh == first["ETag"]
    ok = a.patch(url(article), {"title": "A 改的主题"}, format="json", HTTP_IF_MATCH=fresh)
    assert ok.status_code == 200
    article.refresh_from_db()
    assert (article.title, article.subtitle) == ("A 改的主题", "B 改的副题")


def test_a_byline_change_elsewhere_makes_the_etag_stale(article, writer):
    api = client_for(writer)
    tag = api.get(url(article))["ETag"]
    article.bylines.all().delete()  # e.g. an editor in the admin
    response = api.patch(url(article), {"title": "新主题"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 412


def test_if_match_star_and_delete(article, writer):
    api = client_for(writer)
    assert api.patch(url(article), {"title": "任意版本"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    assert api.delete(url(article), HTTP_IF_MATCH='"article-0-v0"').status_code == 412
    assert Article.objects.filter(pk=article.pk).exists()
    tag = api.get(url(article))["ETag"]
    assert api.delete(url(article), HTTP_IF_MATCH=tag).status_code == 204
    assert not Article.objects.filter(pk=article.pk).exists()


def test_people_honour_if_match_too(article, writer):
    api = client_for(writer)
    person = Person.objects.get()
    path = f"/api/v1/people/{person.pk}/"
    tag = api.get(path)["ETag"]
    Person.objects.filter(pk=person.pk).update(affiliation="宁夏总工会")
    assert api.patch(path, {"name": "马学理"}, format="json", HTTP_IF_MATCH=tag).status_code == 412
    tag = api.get(path)["ETag"]
    response = api.patch(path, {"name": "马学理"}, format="json", HTTP_IF_MATCH=tag)
    assert response.status_code == 200 and response["ETag"] != tag


def test_an_api_edit_is_recorded_once_with_a_revision_of_its_bylines(article, writer):
    api = client_for(writer)
    zheng = factories.PersonFactory(name="郑莉")
    response = api.patch(
        url(article), {"title": "新主题", "bylines": [{"person_id": zheng.pk, "role": "记者"}]}, format="json"
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.edited and article.edited_by == writer
    entries = LogEntry.objects.filter(object_id=str(article.pk))
    assert entries.count() == 1 and "署名" in entries.get().get_change_message()
    versions = Version.objects.get_for_object(article)
    assert [v.revision.comment for v in versions][-1] == "导入时的版本"  # the state before the first edit
    latest = versions.first()
    assert latest.revision.user == writer and latest.field_dict["title"] == "新主题"
    bylines = [v for v in latest.revision.version_set.all() if v.content_type.model == "byline"]
    assert [v.field_dict["person_id"] for v in bylines] == [zheng.pk]
    # a PATCH that changes nothing records nothing
    assert api.patch(url(article), {"title": "新主题"}, format="json").status_code == 200
    assert LogEntry.objects.filter(object_id=str(article.pk)).count() == 1


def test_the_schema_documents_etag_and_if_match(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    patch = schema["paths"]["/api/v1/articles/{id}/"]["patch"]
    assert "If-Match" in [p["name"] for p in patch["parameters"]]
    assert "412" in patch["responses"] and "ETag" in patch["responses"]["200"]["headers"]
    get = schema["paths"]["/api/v1/people/{id}/"]["get"]
    assert "If-None-Match" in [p["name"] for p in get["parameters"]] and "304" in get["responses"]
