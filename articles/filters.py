"""One FilterSet for articles, shared by the reader site (search page) and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from .models import Article, Column, Role
from .search import SearchQueryError, parse_query, search_articles


class SearchQueryField(forms.CharField):
    """A search box value; a query that cannot be searched is a form error."""

    def clean(self, value):
        value = super().clean(value)
        if value:
            try:
                parse_query(value)
            except SearchQueryError as exc:
                raise ValidationError(str(exc), code="invalid_query") from exc
        return value


class SearchQueryFilter(django_filters.CharFilter):
    field_class = SearchQueryField


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: 3.5 or 1e9 is an error (“输入整数。”), not silently rounded."""

    field_class = forms.IntegerField


class ArticleFilter(django_filters.FilterSet):
    """Articles by query, date, page, column and person, for the site and the API alike.

    Dates and page numbers filter on the article's own copies (``Article.issue_date`` and
    ``page_number``, kept by the change path at commit), which the list indexes cover.
    """

    q = SearchQueryFilter(method="filter_q", label="关键词")
    date = django_filters.DateFilter(field_name="issue_date", label="出版日期")
    date_after = django_filters.DateFilter(field_name="issue_date", lookup_expr="gte", label="起始日期")
    date_before = django_filters.DateFilter(field_name="issue_date", lookup_expr="lte", label="截止日期")
    page = IntegerFilter(field_name="page_number", label="版次")
    column = django_filters.CharFilter(method="filter_column", label="栏目")
    person = IntegerFilter(field_name="bylines__person", label="人物", distinct=True)
    role = django_filters.ChoiceFilter(
        field_name="bylines__role", choices=Role.choices, label="署名身份", distinct=True
    )

    class Meta:
        model = Article
        fields = ["q", "date", "date_after", "date_before", "page", "column", "person", "role"]

    def filter_column(self, queryset, name, value):
        """A column by its slug or its Chinese name."""
        column = Column.objects.filter(slug=value).first() or Column.objects.filter(name=value).first()
        if column is None:
            return queryset.none()
        return queryset.filter(column=column)

    def filter_q(self, queryset, name, value):
        """Search; the date range also moves the search's window of newest matches."""
        data = self.form.cleaned_data
        return search_articles(
            queryset,
            value,
            date_after=data.get("date_after") or data.get("date"),
            date_before=data.get("date_before") or data.get("date"),
        )
