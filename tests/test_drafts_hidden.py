"""Drafts invisible by every door (issue 14 item 5): columns and people known only from
drafts have no listing, page, feed or API entry; and a staff account reads drafts only
with the permission to view (or change) articles, on the site and through the API alike.
"""

from __future__ import annotations

import base64
import datetime

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from articles import models
from articles.models import Article

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(db):
    """One published article in 主席之声; a draft in 草稿栏目 by a reporter named only there."""
    page = factories.PageFactory(issue=factories.IssueFactory(date=datetime.date(2020, 10, 23)), number=1)
    published = factories.ArticleFactory(
        page=page, position=1, title="已发布的稿件", column=factories.ColumnFactory(name="主席之声")
    )
    factories.BylineFactory(article=published, person=factories.PersonFactory(name="马学礼"))
    draft = factories.ArticleFactory(
        page=page,
        position=2,
        title="秘密草稿标题",
        status=Article.Status.DRAFT,
        published_at=None,
        column=factories.ColumnFactory(name="草稿栏目"),
    )
    draft.column.description = "只在草稿里用过的栏目简介"
    draft.column.save()
    factories.BylineFactory(article=draft, person=factories.PersonFactory(name="隐名记者"))
    return published, draft


def _staff(django_user_model, name, *codenames):
    user = django_user_model.objects.create_user(name, password="pw-2020-newsroom", is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


# --- columns and people known only from drafts ---------------------------------------------------


def test_a_column_used_only_by_drafts_is_not_listed_has_no_page_and_no_feeds(client, paper):
    _, draft = paper
    slug = draft.column.slug
    for url in ("/", "/columns/", "/sitemap-columns.xml"):
        page = client.get(url).content.decode()
        assert "主席之声" in page or "columns" in url
        assert "草稿栏目" not in page and f"/columns/{slug}/" not in page
    for url in (f"/columns/{slug}/", f"/feeds/columns/{slug}/rss/", f"/feeds/columns/{slug}/atom/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "草稿栏目" not in response.content.decode() and "只在草稿" not in response.content.decode()


def test_a_column_used_only_by_drafts_is_not_in_the_api(paper):
    _, draft = paper
    api = APIClient()
    names = [c["name"] for c in api.get("/api/v1/columns/").json()["results"]]
    assert names == ["主席之声"]
    assert api.get(f"/api/v1/columns/{draft.column.pk}/").status_code == 404


def test_a_person_credited_only_on_drafts_has_no_page_and_no_api_entry(client, paper):
    _, draft = paper
    person = draft.bylines.get().person
    assert client.get(f"/people/{person.pk}/").status_code == 404
    api = APIClient()
    names = [p["name"] for p in api.get("/api/v1/people/").json()["results"]]
    assert names == ["马学礼"]
    assert api.get(f"/api/v1/people/{person.pk}/").status_code == 404
    assert "秘密草稿标题" not in client.get("/search/", {"q": "隐名记者"}).content.decode()


def test_an_editor_who_may_view_articles_sees_the_draft_column_and_person(client, django_user_model, paper):
    _, draft = paper
    client.force_login(_staff(django_user_model, "viewer", "view_article"))
    assert "草稿栏目" in client.get("/columns/").content.decode()
    assert "秘密草稿标题" in client.get(f"/columns/{draft.column.slug}/").content.decode()
    assert client.get(f"/people/{draft.bylines.get().person.pk}/").status_code == 200


# --- staff without permissions ----------------------------------------------------------------


@pytest.mark.parametrize("perms", [(), ("change_person",), ("view_column", "view_person")])
def test_a_staff_account_without_article_permissions_reads_no_drafts_through_the_api(
    django_user_model, paper, perms
):
    _, draft = paper
    api = APIClient()
    api.force_authenticate(_staff(django_user_model, "clerk", *perms))
    titles = [a["title"] for a in api.get("/api/v1/articles/").json()["results"]]
    assert titles == ["已发布的稿件"]
    assert api.get(f"/api/v1/articles/{draft.pk}/").status_code == 404
    assert api.get("/api/v1/articles/", {"status": "draft"}).status_code == 403
    assert "草稿栏目" not in str(api.get("/api/v1/columns/").json())
    assert "隐名记者" not in str(api.get("/api/v1/people/").json())
    page = api.get(f"/api/v1/pages/{draft.page.pk}/").json()
    assert [a["title"] for a in page["articles"]] == ["已发布的稿件"]
    assert "warnings" not in api.get("/api/v1/articles/").json()["results"][0]


def test_basic_auth_of_a_staff_account_without_permissions_reads_no_drafts(django_user_model, paper):
    _staff(django_user_model, "clerk")
    api = APIClient()
    token = base64.b64encode(b"clerk:pw-2020-newsroom").decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    response = api.get("/api/v1/articles/")
    assert response.status_code == 200
    assert [a["title"] for a in response.json()["results"]] == ["已发布的稿件"]


def test_a_staff_account_without_article_permissions_reads_no_drafts_on_the_site(
    client, django_user_model, paper
):
    _, draft = paper
    client.force_login(_staff(django_user_model, "clerk"))
    assert client.get(draft.get_absolute_url()).status_code == 404
    home = client.get("/").content.decode()
    assert "秘密草稿标题" not in home and "草稿可见" not in home


@pytest.mark.parametrize("codename", ["view_article", "change_article"])
def test_staff_with_view_or_change_permission_read_drafts_on_the_site_and_the_api(
    client, django_user_model, paper, codename
):
    _, draft = paper
    user = _staff(django_user_model, "editor", codename)
    client.force_login(user)
    assert "草稿预览" in client.get(draft.get_absolute_url()).content.decode()
    assert "草稿可见" in client.get("/").content.decode()
    api = APIClient()
    api.force_authenticate(user)
    assert api.get(f"/api/v1/articles/{draft.pk}/").json()["title"] == "秘密草稿标题"


def test_who_sees_drafts(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not models.sees_drafts(AnonymousUser())
    assert not models.sees_drafts(None)
    assert not models.sees_drafts(_staff(django_user_model, "a"))
    reader = django_user_model.objects.create_user("reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    assert not models.sees_drafts(reader)  # not staff: the permission alone is not enough
    assert models.sees_drafts(_staff(django_user_model, "b", "view_article"))
    assert models.sees_drafts(django_user_model.objects.create_superuser("root", password="x-2020-root-pw"))
    inactive = _staff(django_user_model, "c", "change_article")
    inactive.is_active = False
    inactive.save()
    assert not models.sees_drafts(inactive)
