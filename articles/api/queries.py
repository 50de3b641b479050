"""What each requester may see, and the joins each API listing needs.

Staff (``is_staff``) see everything; everyone else sees published articles and what
carries published content: their pages, issues, photos, columns and the people
credited on them.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from ..models import Article, Byline, Column, Issue, Page, Person, Photo, PhotoCredit


def is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff)


def visible_articles(user) -> QuerySet:
    return Article.objects.all() if is_staff(user) else Article.objects.published()


def visible_photos(user) -> QuerySet:
    return Photo.objects.all() if is_staff(user) else Photo.objects.published()


def visible_pages(user) -> QuerySet:
    if is_staff(user):
        return Page.objects.all()
    return Page.objects.filter(Exists(Article.objects.published().filter(page=OuterRef("pk"))))


def visible_issues(user) -> QuerySet:
    if is_staff(user):
        return Issue.objects.all()
    published = Article.objects.published().filter(page__issue=OuterRef("pk"))
    return Issue.objects.filter(Exists(published))


def visible_columns(user) -> QuerySet:
    if is_staff(user):
        return Column.objects.all()
    return Column.objects.filter(Exists(Article.objects.published().filter(column=OuterRef("pk"))))


def visible_people(user) -> QuerySet:
    if is_staff(user):
        return Person.objects.all()
    bylines = Byline.objects.filter(person=OuterRef("pk"), article__in=Article.objects.published())
    credits = PhotoCredit.objects.filter(
        person=OuterRef("pk"), photo__in=Photo.objects.published().values("pk")
    )
    return Person.objects.filter(Exists(bylines) | Exists(credits))


def photos_prefetch(user, lookup: str = "photos") -> Prefetch:
    photos = visible_photos(user).select_related("page__issue").prefetch_related(credits_prefetch())
    return Prefetch(lookup, queryset=photos.order_by("position", "pk"))


def credits_prefetch() -> Prefetch:
    return Prefetch("credits", queryset=PhotoCredit.objects.select_related("person"))


def bylines_prefetch() -> Prefetch:
    return Prefetch("bylines", queryset=Byline.objects.select_related("person"))


def articles_for_api(user) -> QuerySet:
    """Articles with everything the serializer shows, in a constant number of queries."""
    return (
        visible_articles(user)
        .select_related(
            "page__issue",
            "column",
            "edited_by",
            "continued_from__page__issue",
            "continued_in__page__issue",
        )
        .prefetch_related(bylines_prefetch(), photos_prefetch(user))
        .newest_first()
    )


def photos_for_api(user) -> QuerySet:
    return (
        visible_photos(user)
        .select_related("page__issue", "article__page__issue")
        .prefetch_related(credits_prefetch())
        .order_by("-page__issue__date", "page__number", "position", "pk")
    )


def pages_for_api(user, detail: bool = False) -> QuerySet:
    pages = visible_pages(user).select_related("issue").order_by("-issue__date", "number")
    if detail:
        articles = visible_articles(user).select_related("page__issue").order_by("position", "pk")
        pages = pages.prefetch_related(Prefetch("articles", queryset=articles), photos_prefetch(user))
    return pages


def issues_for_api(user) -> QuerySet:
    return visible_issues(user).prefetch_related(
        Prefetch("pages", queryset=visible_pages(user).order_by("number"))
    )
