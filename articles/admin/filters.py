"""List filters of the article changelist."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Q

from ..models import Article, EditorialState, Page


class ReviewQueueFilter(admin.SimpleListFilter):
    """The review queue: what still needs an editor (needs review, or not yet published)."""

    title = "审核队列"
    parameter_name = "queue"
    QUEUE = "review"

    def lookups(self, request, model_admin):
        return [(self.QUEUE, "待处理（待审核的在前）")]

    def queryset(self, request, queryset):
        if self.value() == self.QUEUE:
            return queryset.filter(Q(needs_review=True) | Q(status=Article.Status.DRAFT))
        return queryset


class StateFilter(admin.SimpleListFilter):
    """草稿, 待审, 定时, 已发布 (Article.editorial_state)."""

    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return EditorialState.choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if value not in EditorialState.values:
            raise IncorrectLookupParameters(f"没有这个状态：{value}")
        return queryset.in_state(value)


class PageNumberFilter(admin.SimpleListFilter):
    title = "版次"
    parameter_name = "page_number"

    def lookups(self, request, model_admin):
        numbers = Page.objects.order_by("number").values_list("number", flat=True).distinct()
        return [(str(n), f"第{n:02d}版") for n in numbers]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdecimal():
            raise IncorrectLookupParameters(f"版次必须是数字：{value}")  # the admin's "?e=1" page
        return queryset.filter(page__number=int(value))
