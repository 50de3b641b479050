"""The joins each API listing needs, over what the requester may see.

What a user may see is the models' ``visible_to(user)``: staff see everything, everyone
else published articles and what carries published content.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ..models import Article, Issue, Page, Photo


def photos_prefetch(user, lookup: str = "photos") -> Prefetch:
    photos = Photo.objects.visible_to(user).select_related("page__issue").with_credits()
    return Prefetch(lookup, queryset=photos.order_by("position", "pk"))


def articles_for_api(user) -> QuerySet:
    """Articles with everything the serializer shows, in a constant number of queries."""
    return (
        Article.objects.visible_to(user)
        .select_related(
            "page__issue",
            "column",
            "edited_by",
            "continued_from__page__issue",
            "continued_in__page__issue",
        )
        .with_bylines()
        .prefetch_related(photos_prefetch(user))
        .newest_first()
    )


def photos_for_api(user) -> QuerySet:
    return (
        Photo.objects.visible_to(user)
        .select_related("page__issue", "article__page__issue")
        .with_credits()
        .order_by("-page__issue__date", "page__number", "position", "pk")
    )


def pages_for_api(user, detail: bool = False) -> QuerySet:
    pages = Page.objects.visible_to(user).select_related("issue").order_by("-issue__date", "number")
    if detail:
        articles = Article.objects.visible_to(user).select_related("page__issue").order_by("position", "pk")
        pages = pages.prefetch_related(Prefetch("articles", queryset=articles), photos_prefetch(user))
    return pages


def issues_for_api(user) -> QuerySet:
    return Issue.objects.visible_to(user).prefetch_related(
        Prefetch("pages", queryset=Page.objects.visible_to(user).order_by("number"))
    )
