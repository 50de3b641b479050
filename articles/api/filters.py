"""API filters: the shared :class:`~articles.filters.ArticleFilter` plus ordering and the
staff-only filters, and FilterSets for photos, people, pages and issues.

A filter value that does not parse is a 400 naming the parameter (never ignored); a
staff-only parameter sent by anyone else is refused (401/403), so a reader can never
reach a draft through a filter.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ErrorDetail

from ..filters import ArticleFilter, IntegerFilter
from ..models import Article, Byline, Issue, Page, Person, Photo, PhotoCredit, Role, sees_drafts
from .errors import ParameterError, ParameterNotAllowed

STAFF_ONLY_MESSAGE = "仅限有权限的工作人员使用此参数，请先登录。"


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend whose errors name the parameter; the view may choose the FilterSet."""

    def get_filterset_class(self, view, queryset=None):
        chooser = getattr(view, "get_filterset_class", None)
        if chooser is not None:
            return chooser()
        return super().get_filterset_class(view, queryset)

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        refuse_staff_only_parameters(request, view)
        if not filterset.is_valid():
            raise ParameterError(
                {
                    # ``message % params`` only when there are params: a message that quotes
                    # the request back (“%”太短) is not a format string.
                    name: [
                        ErrorDetail(e.message % e.params if e.params else e.message, code=e.code)
                        for e in errors
                    ]
                    for name, errors in filterset.errors.as_data().items()
                }
            )
        return filterset.qs


def refuse_staff_only_parameters(request, view) -> None:
    """The view's ``staff_filterset_class`` lists parameters only staff may use."""
    if sees_drafts(request.user):
        return
    staff_filterset = getattr(view, "staff_filterset_class", None)
    for name in getattr(staff_filterset, "staff_only", ()):
        if name in request.query_params:
            raise ParameterNotAllowed(name, STAFF_ONLY_MESSAGE, request.user.is_authenticated)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Client-chosen ordering with the primary key as tie-breaker, so pages never overlap."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


class StrictBooleanField(forms.TypedChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "是"), ("false", "否")])
        kwargs["coerce"] = lambda value: value == "true"
        kwargs["empty_value"] = None
        super().__init__(*args, **kwargs)


class StrictBooleanFilter(django_filters.Filter):
    """``true`` or ``false``; anything else is an error (not silently ignored)."""

    field_class = StrictBooleanField


def date_filter(field_name: str, lookup_expr: str = "exact") -> django_filters.DateFilter:
    labels = {"exact": "出版日期（YYYY-MM-DD）", "gte": "起始日期（含）", "lte": "截止日期（含）"}
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=labels[lookup_expr]
    )


class ApiArticleFilter(ArticleFilter):
    """The site's article filters plus ordering."""

    ordering = StableOrderingFilter(
        fields=(("issue_date", "date"), ("page_number", "page"), ("position", "position")),
        field_labels={"issue_date": "出版日期", "page_number": "版次", "position": "版内顺序"},
        label="排序：date、page、position，前加 - 为倒序，可用逗号组合（默认最新在前）",
    )

    class Meta(ArticleFilter.Meta):
        fields = [*ArticleFilter.Meta.fields, "ordering"]


class StaffArticleFilter(ApiArticleFilter):
    """For staff: also by status and the review flag."""

    status = django_filters.ChoiceFilter(
        field_name="status", choices=Article.Status.choices, label="状态（仅工作人员）"
    )
    needs_review = StrictBooleanFilter(field_name="needs_review", label="待审核：true/false（仅工作人员）")

    staff_only = ("status", "needs_review")

    class Meta(ApiArticleFilter.Meta):
        fields = [*ApiArticleFilter.Meta.fields, "status", "needs_review"]


class PhotoFilter(django_filters.FilterSet):
    date = date_filter("page__issue__date")
    date_after = date_filter("page__issue__date", "gte")
    date_before = date_filter("page__issue__date", "lte")
    page = IntegerFilter(field_name="page__number", label="版次")
    person = IntegerFilter(field_name="credits__person", label="署名人物 ID", distinct=True)
    role = django_filters.ChoiceFilter(
        field_name="credits__role", choices=Role.choices, label="署名身份", distinct=True
    )
    article = IntegerFilter(field_name="article", label="所属稿件 ID")

    class Meta:
        model = Photo
        fields = ["date", "date_after", "date_before", "page", "person", "role", "article"]


class PersonFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(field_name="name", lookup_expr="contains", label="姓名包含")
    role = django_filters.ChoiceFilter(choices=Role.choices, method="filter_role", label="署名身份")
    column = django_filters.CharFilter(method="filter_column", label="在该栏目（网址名或栏目名）署过名")

    class Meta:
        model = Person
        fields = ["name", "role", "column"]

    def _user(self):
        return self.request.user if self.request else None

    def _articles(self):
        return Article.objects.visible_to(self._user())

    def filter_role(self, queryset, name, value):
        """Credited with this role on something the requester may see."""
        bylines = Byline.objects.filter(person=OuterRef("pk"), role=value, article__in=self._articles())
        photos = Photo.objects.visible_to(self._user()).values("pk")
        credits = PhotoCredit.objects.filter(person=OuterRef("pk"), role=value, photo__in=photos)
        return queryset.filter(Exists(bylines) | Exists(credits))

    def filter_column(self, queryset, name, value):
        articles = self._articles().filter(Q(column__slug=value) | Q(column__name=value))
        return queryset.filter(Exists(Byline.objects.filter(person=OuterRef("pk"), article__in=articles)))


class PageFilter(django_filters.FilterSet):
    date = date_filter("issue__date")
    date_after = date_filter("issue__date", "gte")
    date_before = date_filter("issue__date", "lte")
    number = IntegerFilter(field_name="number", label="版次")
    name = django_filters.CharFilter(field_name="name", label="版名")
    issue = IntegerFilter(field_name="issue", label="期 ID")

    class Meta:
        model = Page
        fields = ["date", "date_after", "date_before", "number", "name", "issue"]


class IssueFilter(django_filters.FilterSet):
    date = date_filter("date")
    date_after = date_filter("date", "gte")
    date_before = date_filter("date", "lte")
    number = IntegerFilter(field_name="number", label="期号")

    class Meta:
        model = Issue
        fields = ["date", "date_after", "date_before", "number"]
