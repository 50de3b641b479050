"""Hostile search queries (issue 14 item 7): a clear 400 or correct results, never a 500.

LIKE wildcards, quotes, NUL and very long values reach the site's search page and the
API's ``?q=``; the error messages quote the query back, so they must not be used as
format strings either.
"""

from __future__ import annotations

import datetime

import pytest

from articles.models import Article

from . import factories

pytestmark = pytest.mark.django_db

URLS = ("/api/v1/articles/", "/search/")

HOSTILE = [
    "%",
    "_",
    '"',
    "'",
    "''",
    '"""',
    "“",
    "「",
    "\\",
    "*",
    "\x00",
    "工\x00会",
    "%s" * 40,
    "%" * 100,
    "%(x)s 工会",
    "工会 %(x)s",
    "工" * 5000,
    "工会 " * 500,
    '"工会',
    "工会'",
    "(工会)",
    "NEAR(工会 职工)",
    "工会 OR 职工",
    "^工会",
]


@pytest.fixture
def articles(db):
    page = factories.PageFactory(issue=factories.IssueFactory(date=datetime.date(2020, 10, 23)), number=1)
    factories.ArticleFactory(
        page=page,
        position=1,
        title="职工收入增长10%",
        body=[{"type": "paragraph", "text": "文件编号 a_b 的通知“工会”'要求'"}],
    )
    factories.ArticleFactory(page=page, position=2, title="工会进企宣讲扶贫政策")


@pytest.mark.parametrize("q", HOSTILE, ids=lambda q: repr(q)[:24])
def test_hostile_query_is_answered_or_refused_never_a_server_error(client, articles, q):
    for url in URLS:
        response = client.get(url, {"q": q})
        assert response.status_code in (200, 400), (url, response.status_code)


def test_lone_percent_is_a_400_naming_the_parameter(client, articles):
    response = client.get("/api/v1/articles/", {"q": "%"})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["parameter"] == "q"
    assert "“%”太短" in error["message"]


def test_long_query_of_format_codes_is_quoted_back_verbatim(client, articles):
    response = client.get("/api/v1/articles/", {"q": "%s" * 40})
    assert response.status_code == 400
    assert "“%s%s%s%s%s…”太长" in response.json()["errors"][0]["message"]
    page = client.get("/search/", {"q": "%s" * 40}).content.decode()
    assert "%s%s%s%s%s…" in page


@pytest.mark.parametrize("q", ["10%", "a_b", '"a_b 的通知"', "“工会”'要求'"])
def test_wildcard_and_quote_characters_are_searched_literally(client, articles, q):
    response = client.get("/api/v1/articles/", {"q": q})
    assert response.status_code == 200
    assert [a["title"] for a in response.json()["results"]] == ["职工收入增长10%"]
    page = client.get("/search/", {"q": q}).content.decode()
    found, other = (Article.objects.get(position=n).get_absolute_url() for n in (1, 2))
    assert f'href="{found}"' in page and f'href="{other}"' not in page


def test_nul_in_a_query_is_a_400(client, articles):
    response = client.get("/api/v1/articles/", {"q": "工\x00会"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "q"
