"""API endpoints under /api/v1/: thin ViewSets over the querysets in :mod:`.queries`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from ..cache import SITE, freshness, not_modified, private_headers, public_headers
from ..models import Article, Column, Issue, Page, Person, Photo, sees_drafts
from . import queries, serializers
from .concurrency import ArticleConditionalMixin, ConditionalMixin, ConditionalReadMixin
from .errors import ParameterError
from .filters import (
    ApiArticleFilter,
    FilterBackend,
    IssueFilter,
    PageFilter,
    PersonFilter,
    PhotoFilter,
    StaffArticleFilter,
)
from .history import AdminHistoryMixin

EXPANDABLE = {"body": "正文块"}

EXPAND_PARAMETER = OpenApiParameter(
    "expand",
    OpenApiTypes.STR,
    description="列表默认不含正文；expand=body 时每篇稿件带上 body。",
    enum=list(EXPANDABLE),
)


class ApiViewSet:
    """Common wiring: the filter backend that names bad parameters; HTTP caching of GETs.

    An anonymous GET carries an ETag and Last-Modified made of the content's freshness
    (read before the response is built), answers a matching conditional request with 304,
    and a short public Cache-Control; staff responses are private and never stored.
    """

    filter_backends = [FilterBackend]

    @property
    def user(self):
        return self.request.user if self.request is not None else None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._freshness = None
        if request.method in ("GET", "HEAD") and not request.user.is_authenticated:
            self._freshness = freshness([SITE, "any"])

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return response
        state = getattr(self, "_freshness", None)
        if state is None:
            private_headers(response)
        elif response.status_code == 200:
            return not_modified(request, state) or public_response(response, state)
        return response


def public_response(response, state):
    public_headers(response, state)
    return response


@extend_schema_view(
    list=extend_schema(summary="稿件列表", parameters=[EXPAND_PARAMETER]),
    retrieve=extend_schema(summary="稿件详情（含正文）"),
    create=extend_schema(summary="新建稿件（工作人员）"),
    update=extend_schema(summary="修改稿件（工作人员），标记为编辑已修改"),
    partial_update=extend_schema(summary="部分修改稿件（工作人员），标记为编辑已修改"),
    destroy=extend_schema(summary="删除稿件（工作人员）"),
)
class ArticleViewSet(ArticleConditionalMixin, AdminHistoryMixin, ApiViewSet, viewsets.ModelViewSet):
    """Articles. Readers see published articles only; staff also see drafts and may filter
    by ``status`` and ``needs_review``. Writes lock the article's page and are recorded by
    ``articles.editing.record_edit`` (edited mark, revision, history)."""

    queryset = Article.objects.all()
    serializer_class = serializers.ArticleSerializer
    filterset_class = ApiArticleFilter
    staff_filterset_class = StaffArticleFilter

    def get_queryset(self):
        return queries.articles_for_api(self.user)

    def perform_create(self, serializer):
        serializer.save()  # the serializer records the edit

    def perform_update(self, serializer):
        serializer.save()  # the serializer records the edit (only if something changed)

    def get_filterset_class(self):
        # The schema documents the staff filters too (marked 仅工作人员).
        if getattr(self, "swagger_fake_view", False) or sees_drafts(self.user):
            return self.staff_filterset_class
        return self.filterset_class

    def get_serializer(self, *args, **kwargs):
        if self.action == "list":
            kwargs.setdefault("include_body", "body" in self.expanded())
        return super().get_serializer(*args, **kwargs)

    def expanded(self) -> set[str]:
        raw = self.request.query_params.get("expand", "")
        wanted = {part.strip() for part in raw.split(",") if part.strip()}
        unknown = sorted(wanted - set(EXPANDABLE))
        if unknown:
            allowed = "、".join(EXPANDABLE)
            raise ParameterError({"expand": [f"不支持展开“{'、'.join(unknown)}”，可选：{allowed}。"]})
        return wanted


@extend_schema_view(list=extend_schema(summary="期列表"), retrieve=extend_schema(summary="一期及其版面"))
class IssueViewSet(ConditionalReadMixin, ApiViewSet, viewsets.ReadOnlyModelViewSet):
    """Issues (one per publication date) with their pages."""

    queryset = Issue.objects.all()
    serializer_class = serializers.IssueSerializer
    filterset_class = IssueFilter

    def get_queryset(self):
        return queries.issues_for_api(self.user)


@extend_schema_view(
    list=extend_schema(summary="版面列表"), retrieve=extend_schema(summary="版面及其稿件、图片")
)
class PageViewSet(ConditionalReadMixin, ApiViewSet, viewsets.ReadOnlyModelViewSet):
    """Printed pages (版); the detail lists the page's articles and photos."""

    queryset = Page.objects.all()
    filterset_class = PageFilter

    def get_queryset(self):
        return queries.pages_for_api(self.user, detail=self.action == "retrieve")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PageDetailSerializer
        return serializers.PageSerializer


@extend_schema_view(
    list=extend_schema(summary="新闻图片列表"), retrieve=extend_schema(summary="新闻图片详情")
)
class PhotoViewSet(ConditionalReadMixin, ApiViewSet, viewsets.ReadOnlyModelViewSet):
    """News photos with their credits."""

    queryset = Photo.objects.all()
    serializer_class = serializers.PhotoSerializer
    filterset_class = PhotoFilter

    def get_queryset(self):
        return queries.photos_for_api(self.user)


@extend_schema_view(
    list=extend_schema(summary="人物列表"),
    retrieve=extend_schema(summary="人物详情"),
    create=extend_schema(summary="新建人物（工作人员）"),
    update=extend_schema(summary="修改人物（工作人员）"),
    partial_update=extend_schema(summary="部分修改人物（工作人员）"),
    destroy=extend_schema(summary="删除人物（工作人员；仍有署名时 409）"),
)
class PersonViewSet(ConditionalMixin, AdminHistoryMixin, ApiViewSet, viewsets.ModelViewSet):
    """Reporters, correspondents, authors and photographers credited in the paper."""

    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return Person.objects.visible_to(self.user).order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(summary="栏目列表"),
    retrieve=extend_schema(summary="栏目详情"),
    create=extend_schema(summary="新建栏目（工作人员）"),
    update=extend_schema(summary="修改栏目（工作人员）"),
    partial_update=extend_schema(summary="部分修改栏目（工作人员）"),
    destroy=extend_schema(summary="删除栏目（工作人员；其稿件变为无栏目）"),
)
class ColumnViewSet(ConditionalMixin, AdminHistoryMixin, ApiViewSet, viewsets.ModelViewSet):
    """Columns (栏目)."""

    queryset = Column.objects.all()
    serializer_class = serializers.ColumnSerializer

    def get_queryset(self):
        return Column.objects.visible_to(self.user).order_by("name", "pk")
