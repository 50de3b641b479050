"""SQLite refuses the numbers PostgreSQL refuses (issue 14 item 8).

SQLite stores any 64-bit integer in a ``smallint`` column, so Django's range validators
let a 17-digit issue number or a position of 40000 through on SQLite and PostgreSQL
then refuses them (or its column does). Our SQLite backend reports PostgreSQL's ranges,
so model validation, the admin's forms and the API's serializers refuse the same
values on both databases.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from articles.models import Issue, Photo

from .factories import ArticleFactory, PageFactory
from .test_api import client_for, make_user, only_error

pytestmark = pytest.mark.django_db


def test_the_database_reports_postgresqls_integer_ranges():
    assert connection.ops.integer_field_range("PositiveSmallIntegerField") == (0, 32767)
    assert connection.ops.integer_field_range("PositiveIntegerField") == (0, 2147483647)


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        (lambda: Issue(date="2020-10-23", number=12345678901234567), "number"),
        (lambda: Photo(page=PageFactory(), position=40000), "position"),
        (lambda: ArticleFactory.build(page=PageFactory(), position=40000), "position"),
        (
            lambda: ArticleFactory.build(page=PageFactory(), position=1, continued_to_page=99999),
            "continued_to_page",
        ),
    ],
    ids=["issue-number", "photo-position", "article-position", "continued-to-page"],
)
def test_model_validation_refuses_numbers_out_of_range(obj, field):
    with pytest.raises(ValidationError) as exc:
        obj().full_clean()
    assert field in exc.value.message_dict


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"position": 40000}, "position"), ({"continued_to_page": 99999}, "continued_to_page")],
)
def test_the_api_refuses_positions_out_of_range_naming_the_field(django_user_model, payload, field):
    story = ArticleFactory(page=PageFactory(number=3), position=1)
    changer = make_user(django_user_model, "changer", "change_article")
    response = client_for(changer).patch(f"/api/v1/articles/{story.pk}/", payload, format="json")
    assert only_error(response, 400)["field"] == field
    story.refresh_from_db()
    assert story.position == 1 and story.continued_to_page is None
