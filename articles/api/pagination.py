"""Page-number pagination with a client-chosen page size and a maximum.

The result page is chosen with ``p`` (``page`` already means the printed page, 版次, in
the article filters). ``page_size`` is capped at :attr:`max_page_size`; a page size that
is not a positive whole number, or a result page that does not exist, is an error that
names the parameter.
"""

from django.core.paginator import InvalidPage
from rest_framework import pagination, status

from .errors import ParameterError


class PageNumberPagination(pagination.PageNumberPagination):
    page_query_param = "p"
    page_query_description = "结果页码，从 1 开始（注意：page 参数是版次过滤）。"
    page_size_query_param = "page_size"
    page_size_query_description = "每页条数，默认 20，最多 100（超过按 100 计）。"
    max_page_size = 100

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ParameterError({self.page_size_query_param: [f"须为正整数，收到“{raw}”。"]})
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise ParameterError(
                {self.page_query_param: [f"没有第“{page_number}”页结果（{exc}）。"]},
                status_code=status.HTTP_404_NOT_FOUND,
            ) from exc
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(self.page)
