"""No lost updates through the API: ETag on every item, If-Match on every write.

- Every item response (``GET /…/{id}/``, and the answer to ``PUT``/``PATCH``) carries an
  ``ETag``. An article's is its ``version`` (which the change path bumps whenever the
  article, its bylines, photos or photo credits change): ``"article-12-v7"``; other
  items' is a digest of their JSON.
- ``PUT``/``PATCH``/``DELETE`` honour ``If-Match``: the item is locked (an article: its
  page, the lock every writer of a page's content takes first) and re-read, and a tag
  that is not the current one is refused with ``412`` and a JSON error; nothing is
  written. Without ``If-Match`` the write goes ahead (last writer wins, field by field:
  ``PATCH`` writes only the fields it sends).
- ``GET`` with a matching ``If-None-Match`` answers ``304``.
- An article removed while the write waited for the page's lock (a re-import, a merge)
  is refused with ``404`` and a message saying so, never reported as saved.
"""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from ..editing import ArticleGone, lock_article
from ..models import Article


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = (
        "If-Match 与当前版本不符：这个对象在你读取之后已被修改，本次写入没有执行。请重新读取后再改。"
    )


class Gone(exceptions.NotFound):
    """404 with a message that says why: the article was removed while this write waited."""

    default_code = "gone"


def digest_etag(data) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def article_etag(article: Article) -> str:
    return f'"article-{article.pk}-v{article.version}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


class ConditionalReadMixin:
    """ViewSet mixin for read-only resources: ETag on item responses, If-None-Match (304)."""

    def etag(self, instance, data) -> str:
        return digest_etag(data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        tag = self.etag(instance, data)
        wanted = request.headers.get("If-None-Match")
        if wanted and (tag in _tags(wanted) or "*" in _tags(wanted)):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        return Response(data, headers={"ETag": tag})


class ConditionalMixin(ConditionalReadMixin):
    """ViewSet mixin: ETag on item responses, If-Match on writes, If-None-Match on reads."""

    def etag(self, instance, data) -> str:
        return digest_etag(data)

    def locked(self, instance):
        """The item as it is now, locked for this transaction."""
        model = type(instance)
        return model._default_manager.select_for_update().get(pk=instance.pk)

    def fresh(self, instance):
        """The item as the response shows it (re-read after the write committed)."""
        return self.get_queryset().get(pk=instance.pk)

    def check_if_match(self, instance) -> None:
        header = self.request.headers.get("If-Match")
        if header is None:
            return
        tags = _tags(header)
        if "*" in tags:
            return
        current = self.etag(instance, self.get_serializer(instance).data)
        if current not in tags:
            raise PreconditionFailed()

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        tag = self.etag(instance, data)
        wanted = request.headers.get("If-None-Match")
        if wanted and (tag in _tags(wanted) or "*" in _tags(wanted)):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        return Response(data, headers={"ETag": tag})

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        instance = self.fresh(serializer.instance)
        data = self.get_serializer(instance).data
        headers = {"ETag": self.etag(instance, data), **self.get_success_headers(data)}
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.locked(self.get_object())
            self.check_if_match(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            self.perform_update(serializer)
        instance = self.fresh(serializer.instance)
        data = self.get_serializer(instance).data
        return Response(data, headers={"ETag": self.etag(instance, data)})

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.locked(self.get_object())
            self.check_if_match(instance)
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArticleConditionalMixin(ConditionalMixin):
    """Articles: the ETag is the version; the lock is the page's (the rule for every writer)."""

    def etag(self, instance, data) -> str:
        return article_etag(instance)

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            if self.request.method in ("PUT", "PATCH", "DELETE"):
                raise Gone(
                    str(ArticleGone(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)))
                ) from exc
            raise

    def locked(self, instance):
        try:
            return lock_article(instance.pk)
        except ArticleGone as exc:
            raise Gone(str(exc)) from exc
