"""Password guessing is limited (issue 14 item 6): django-axes on the admin login and on the
API's HTTP Basic authentication, with Chinese lockout messages; failures are counted per
account and client address in the database, so every server process sees them; a
successful login resets the count. And the anonymous API throttle cannot be dodged by
sending a made-up X-Forwarded-For.
"""

from __future__ import annotations

import base64
import datetime

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from articles.models import Article

from . import factories

pytestmark = pytest.mark.django_db

PASSWORD = "pw-2020-newsroom"
LOGIN = "/admin/login/"


@pytest.fixture
def editor_account(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("wang", password=PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    return user


def _admin_login(client, password, address="10.0.0.1"):
    return client.post(
        LOGIN, {"username": "wang", "password": password, "next": "/admin/"}, REMOTE_ADDR=address
    )


def _basic(password: str, username: str = "wang") -> APIClient:
    api = APIClient()
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    api.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    return api


def test_the_limits_are_sane_and_reset_on_success():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_the_admin_login_locks_after_five_wrong_passwords_even_for_the_right_one(client, editor_account):
    for _ in range(4):
        response = _admin_login(client, "wrong")
        assert response.status_code == 200  # the login form again, with its error
    response = _admin_login(client, "wrong")
    assert response.status_code == 429
    response = _admin_login(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and "15 分钟" in page
    assert "_auth_user_id" not in client.session


def test_a_lockout_holds_for_that_account_from_that_address_only(client, editor_account, django_user_model):
    for _ in range(5):
        _admin_login(client, "wrong", address="10.0.0.1")
    assert _admin_login(client, PASSWORD, address="10.0.0.1").status_code == 429
    # The editor at another desk is not locked out by someone guessing elsewhere.
    assert _admin_login(client, PASSWORD, address="10.0.0.2").status_code == 302


def test_a_successful_login_resets_the_count(client, editor_account):
    for _ in range(4):
        _admin_login(client, "wrong")
    assert _admin_login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _admin_login(client, "wrong").status_code == 200
    assert _admin_login(client, PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, editor_account):
    from axes.models import AccessAttempt

    for _ in range(5):
        _admin_login(client, "wrong")
    assert _admin_login(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert _admin_login(client, PASSWORD).status_code == 302


def test_api_basic_auth_locks_after_five_wrong_passwords_with_a_chinese_json_429(editor_account):
    factories.ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="草稿")
    for _ in range(4):
        response = _basic("wrong").get("/api/v1/articles/")
        assert response.status_code == 401
    assert _basic("wrong").get("/api/v1/articles/").status_code == 429
    response = _basic(PASSWORD).get("/api/v1/articles/")
    assert response.status_code == 429
    body = response.json()
    assert body["status"] == 429
    (error,) = body["errors"]
    assert error["code"] == "locked_out"
    assert "登录失败次数过多" in error["message"]
    assert int(response["Retry-After"]) > 0
    assert "草稿" not in response.content.decode()


def test_api_and_admin_count_failures_together(client, editor_account):
    for _ in range(3):
        _basic("wrong").get("/api/v1/articles/", REMOTE_ADDR="10.0.0.1")
    for _ in range(2):
        _admin_login(client, "wrong", address="10.0.0.1")
    assert _basic(PASSWORD).get("/api/v1/articles/", REMOTE_ADDR="10.0.0.1").status_code == 429


def test_api_basic_auth_success_resets_the_count(editor_account):
    for _ in range(4):
        _basic("wrong").get("/api/v1/articles/")
    assert _basic(PASSWORD).get("/api/v1/articles/").status_code == 200
    for _ in range(4):
        assert _basic("wrong").get("/api/v1/articles/").status_code == 401
    assert _basic(PASSWORD).get("/api/v1/articles/").status_code == 200


def test_a_made_up_forwarded_for_does_not_dodge_the_anonymous_throttle(settings, db):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"}}
    api = APIClient()
    codes = [
        api.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(6)
    ]
    assert codes == [200, 200, 200, 429, 429, 429]


def test_a_made_up_forwarded_for_does_not_dodge_the_login_lockout(client, editor_account):
    for n in range(5):
        client.post(LOGIN, {"username": "wang", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = client.post(LOGIN, {"username": "wang", "password": PASSWORD}, HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert response.status_code == 429
