"""Prepared queries (newsroom.db.prepared): compiled once, the same rows as the ORM's."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Issue
from newsroom.db.prepared import Prepared, PreparedQueryError, together

from . import factories

DAY = datetime.date(2020, 10, 23)


def published_on_page(page_id):
    return Article.objects.published().filter(page_id=page_id).order_by("position").values("pk", "title")


@pytest.fixture
def two_pages(db):
    pages = []
    for n, day in enumerate((DAY, DAY - datetime.timedelta(days=1)), start=1):
        page = factories.PageFactory(issue=factories.IssueFactory(date=day), number=1)
        for position in (1, 2):
            factories.ArticleFactory(page=page, position=position, title=f"第{n}版第{position}篇")
        pages.append(page)
    return pages


def test_rows_are_the_orms_for_each_argument(two_pages):
    prepared = Prepared(published_on_page, samples=((1,), (2,)))
    for page in two_pages:
        assert prepared.rows(page.pk) == list(published_on_page(page.pk))
    assert prepared.rows(10**9) == []


def test_dates_and_converted_values_come_back_as_the_orm_gives_them(two_pages):
    prepared = Prepared(
        lambda d: Issue.objects.filter(date=d).values("pk", "date", "date_estimated"),
        samples=((datetime.date(2001, 1, 1),), (datetime.date(2002, 2, 2),)),
    )
    [row] = prepared.rows(DAY)
    assert row == {"pk": two_pages[0].issue_id, "date": DAY, "date_estimated": False}


def test_the_current_time_is_taken_on_every_run(two_pages, monkeypatch):
    """``published()`` compares with now: an article scheduled for tomorrow appears once
    tomorrow has come, without compiling the query again."""
    prepared = Prepared(published_on_page, samples=((1,), (2,)))
    page = two_pages[0]
    later = factories.ArticleFactory(
        page=page, position=3, title="明天发布", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert [r["pk"] for r in prepared.rows(page.pk)] == [a.pk for a in page.articles.order_by("position")][:2]
    tomorrow = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert later.pk in [r["pk"] for r in prepared.rows(page.pk)]


def test_each_shape_is_its_own_query(two_pages):
    draft = factories.ArticleFactory(
        page=two_pages[0], position=3, status=Article.Status.DRAFT, published_at=None
    )
    prepared = Prepared(
        lambda page_id, drafts: (
            (Article.objects.all() if drafts else Article.objects.published())
            .filter(page_id=page_id)
            .values("pk")[:10]
        ),
        samples=((1,), (2,)),
    )
    assert draft.pk not in [r["pk"] for r in prepared.rows(two_pages[0].pk, drafts=False)]
    assert draft.pk in [r["pk"] for r in prepared.rows(two_pages[0].pk, drafts=True)]


def test_a_query_whose_sql_depends_on_a_value_is_refused(db):
    """None makes ``IS NULL`` where another value makes ``= %s``: refused, not guessed at."""
    prepared = Prepared(
        lambda column_id: Article.objects.filter(column_id=column_id).values("pk"), ((None,), (1,))
    )
    with pytest.raises(PreparedQueryError, match="changes the SQL"):
        prepared.rows(None)


def test_samples_must_differ_and_the_query_give_rows_by_name(db):
    with pytest.raises(PreparedQueryError, match="differ"):
        Prepared(published_on_page, samples=((1,), (1,)))
    with pytest.raises(PreparedQueryError, match="values"):
        Prepared(lambda pk: Article.objects.filter(pk=pk), samples=((1,), (2,))).rows(1)


def test_queries_run_together_give_each_its_own_rows(two_pages):
    """``together`` (one round trip on PostgreSQL) answers each query with its own rows, in order."""
    on_page = Prepared(published_on_page, samples=((1,), (2,)))
    issue_on = Prepared(
        lambda d: Issue.objects.filter(date=d).values("pk"),
        samples=((datetime.date(2001, 1, 1),), (datetime.date(2002, 2, 2),)),
    )
    first, second, issue, nothing = together(
        on_page.call(two_pages[0].pk), on_page.call(two_pages[1].pk), issue_on.call(DAY), on_page.call(0)
    )
    assert first == list(published_on_page(two_pages[0].pk))
    assert second == list(published_on_page(two_pages[1].pk))
    assert issue == [{"pk": two_pages[0].issue_id}]
    assert nothing == []
    assert together() == []


def _plans(connection, sql: str) -> tuple[int, int, int]:
    """How many prepared statements of this connection hold ``sql`` (Django's ``%s``
    placeholders), and their generic and custom plans so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        found = cursor.fetchall()
    parts = sql.split("%s")

    def same(statement: str) -> bool:
        pieces = statement.split("$")
        return len(pieces) == len(parts) and pieces[0] == parts[0]

    ours = [(g, c) for statement, g, c in found if same(statement)]
    return len(ours), sum(g for g, _ in ours), sum(c for _, c in ours)


def test_on_postgresql_the_server_parses_and_plans_a_prepared_query_once(two_pages):
    """On PostgreSQL each query ``together`` runs is a prepared statement of the connection,
    planned once (its generic plan) and run again with new values, each run giving its own
    rows; Django's other queries are not prepared."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    on_page = Prepared(published_on_page, samples=((1,), (2,)))
    sql = on_page.call(two_pages[0].pk).plan.sql
    _, generic_before, custom_before = _plans(connection, sql)
    for page in two_pages * 2:
        assert on_page.rows(page.pk) == list(published_on_page(page.pk))
    statements, generic, custom = _plans(connection, sql)
    assert statements == 1  # one statement for every value (these ids are of one type)
    assert (generic - generic_before, custom - custom_before) == (4, 0)

    orm = Article.objects.filter(title="not prepared").values("pk")
    assert list(orm) == []
    assert _plans(connection, str(orm.query.sql_with_params()[0]))[0] == 0
