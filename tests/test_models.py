"""The data model: constraints editors and the import rely on, and what readers may see."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Column, Issue, Page, Person

from .factories import ArticleFactory, IssueFactory, PageFactory, PersonFactory, PhotoFactory

pytestmark = pytest.mark.django_db


def test_a_second_issue_for_the_same_date_is_refused():
    IssueFactory(date=datetime.date(2020, 10, 23))
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(date=datetime.date(2020, 10, 23))
    assert Issue.objects.filter(date="2020-10-23").count() == 1


def test_a_second_page_3_in_one_issue_is_refused_but_another_issue_may_have_one():
    issue = IssueFactory(date=datetime.date(2020, 10, 23))
    PageFactory(issue=issue, number=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.create(issue=issue, number=3)
    PageFactory(issue=IssueFactory(date=datetime.date(2020, 10, 24)), number=3)
    assert Page.objects.filter(number=3).count() == 2


def test_two_articles_cannot_share_a_position_on_a_page():
    page = PageFactory()
    ArticleFactory(page=page, position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(page=page, position=1)


def test_issue_numbers_are_unique_when_given():
    IssueFactory(number=12345)
    IssueFactory(number=None)
    IssueFactory(number=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssueFactory(number=12345)


def test_a_person_is_one_row_per_name_and_affiliation():
    PersonFactory(name="夏同军", affiliation="无锡高新区(新吴区)总工会党组书记、副主席")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="夏同军", affiliation="无锡高新区(新吴区)总工会党组书记、副主席")
    Person.objects.create(name="夏同军", affiliation="")


def test_published_shows_only_published_articles_whose_time_has_come():
    visible = ArticleFactory(title="已发布")
    ArticleFactory(title="草稿", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(title="定时发布", published_at=timezone.now() + datetime.timedelta(days=1))
    assert list(Article.objects.published()) == [visible]


def test_publishing_sets_the_publication_time_and_a_published_article_needs_one():
    art = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    art.status = Article.Status.PUBLISHED
    art.save()
    art.refresh_from_db()
    assert art.published_at is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=art.pk).update(published_at=None)


def test_queryset_publish_and_unpublish_report_how_many_changed():
    drafts = [ArticleFactory(status=Article.Status.DRAFT, published_at=None) for _ in range(2)]
    ArticleFactory()
    assert Article.objects.all().publish() == 2
    assert Article.objects.published().count() == 3
    assert Article.objects.filter(pk=drafts[0].pk).unpublish() == 1
    assert Article.objects.published().count() == 2


def test_column_slug_is_ascii_pinyin_and_unique():
    first = Column.objects.create(name="主席之声")
    assert first.slug == "zhu-xi-zhi-sheng"
    assert first.slug.isascii()
    clash = Column.objects.create(name="主席 之声")
    assert clash.slug == "zhu-xi-zhi-sheng-2"


def test_urls_are_permanent_ids_and_the_printed_paper_is_an_old_address(article):
    assert article.page.issue.get_absolute_url() == "/2020/10/23/"
    assert article.page.get_absolute_url() == f"/pages/{article.page.pk}/"
    assert article.get_absolute_url() == f"/articles/{article.pk}/"
    assert article.page.dated_path == "/2020/10/23/3/"
    assert article.position_path == "/2020/10/23/3/1/"
    assert str(article.page) == "2020-10-23 第03版 工会新闻"


def test_mark_edited_records_who_and_when(article, admin_user):
    assert not article.edited
    article.mark_edited(admin_user)
    article.save()
    article.refresh_from_db()
    assert article.edited and article.edited_by == admin_user and article.edited_at is not None


def test_visible_to_is_one_rule_for_every_model(article, draft_article, admin_user):
    """Readers see published content and what carries it; staff see drafts too."""
    from django.contrib.auth.models import AnonymousUser

    from articles.models import Photo

    reader = AnonymousUser()
    on_draft_page = PhotoFactory(page=draft_article.page, title="草稿版面的图片")
    on_published_page = PhotoFactory(page=article.page, title="已发布版面的图片")
    with_draft = PhotoFactory(page=article.page, article=draft_article, title="草稿稿件的配图")
    assert list(Article.objects.visible_to(reader)) == [article]
    assert list(Issue.objects.visible_to(reader)) == [article.page.issue]
    assert list(Page.objects.visible_to(reader)) == [article.page]
    assert list(Photo.objects.visible_to(reader)) == [on_published_page]
    assert list(Person.objects.visible_to(reader)) == [article.bylines.get().person]
    assert set(Article.objects.visible_to(admin_user)) == {article, draft_article}
    assert set(Photo.objects.visible_to(admin_user)) == {on_draft_page, on_published_page, with_draft}
    assert Issue.objects.visible_to(admin_user).count() == 2
