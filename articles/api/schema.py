"""OpenAPI generation tweaks.

- A response object must carry every field except those its serializer lists in
  ``Meta.optional_fields`` (present only on request, or only for staff).
- Every operation documents the JSON error responses it can give.
- Item operations document ``ETag`` (response header), ``If-Match`` (writes; 412 when
  stale) and ``If-None-Match`` (reads; 304), see :mod:`articles.api.concurrency`.
"""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorItemSerializer(serializers.Serializer):
    parameter = serializers.CharField(required=False, help_text="出错的查询参数名")
    field = serializers.CharField(required=False, help_text="出错的请求体字段（嵌套用 a[0].b）")
    code = serializers.CharField(help_text="错误代码，如 invalid、not_found、throttled")
    message = serializers.CharField(help_text="说明问题所在的中文消息")

    class Meta:
        optional_fields = ["parameter", "field"]


class ErrorSerializer(serializers.Serializer):
    """Every API error: the HTTP status and one entry per problem."""

    status = serializers.IntegerField()
    errors = ErrorItemSerializer(many=True)


ERROR_DESCRIPTIONS = {
    "400": "参数或请求体有误（errors 中的 parameter / field 指明是哪一个）",
    "401": "未登录（匿名），或匿名使用了仅限工作人员的参数",
    "403": "已登录但没有该操作的权限",
    "404": "对象不存在（或读者不可见），或结果页码 p 不存在；写入时也指稿件已被删除（重新导入、合并）",
    "409": "仍被其他内容引用，不能删除",
    "412": "If-Match 与当前 ETag 不符：对象在你读取之后已被修改，本次写入没有执行",
    "429": "请求过于频繁（匿名限流），见 Retry-After",
}


ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=["200", "201", "304"],
    description="对象的当前版本标记；修改时放进 If-Match，防止覆盖别人在你读取之后保存的修改。",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="读取时得到的 ETag。与当前版本不符时返回 412，什么也不写；不带则直接写入。",
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="上次得到的 ETag；对象没有变化时返回 304（无正文）。",
)


def _conditional(view) -> bool:
    from .concurrency import ConditionalReadMixin

    return isinstance(view, ConditionalReadMixin)


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if _conditional(self.view) and "{" in self.path and not self._is_list_view():
            parameters.append(ETAG_HEADER)
            if self.method in ("PUT", "PATCH", "DELETE"):
                parameters.append(IF_MATCH)
            elif self.method == "GET":
                parameters.append(IF_NONE_MATCH)
        elif _conditional(self.view) and self.method == "POST":
            parameters.append(ETAG_HEADER)
        return parameters

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        optional = set(getattr(getattr(serializer, "Meta", None), "optional_fields", ()))
        if direction == "response" and "properties" in schema:
            # A response always carries every field (null where empty) except the optional ones.
            schema["required"] = sorted(name for name in schema["properties"] if name not in optional)
        elif optional and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in optional]
        if not schema.get("required"):
            schema.pop("required", None)
        return schema

    def get_auth(self):
        """Reading is open to anonymous clients: say so with an empty security requirement."""
        auth = super().get_auth()
        if self.method in ("GET", "HEAD", "OPTIONS") and auth and {} not in auth:
            auth.append({})
        return auth

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["429"]
        if self.method in ("POST", "PUT", "PATCH") or self._is_list_view():
            codes.append("400")
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes += ["401", "403", "409" if self.method == "DELETE" else None]
        if self._is_list_view() and getattr(self.view, "staff_filterset_class", None):
            codes += ["401", "403"]  # staff-only filter parameters
        if "{" in self.path:
            codes.append("404")
            if _conditional(self.view) and self.method in ("PUT", "PATCH", "DELETE"):
                codes.append("412")
        elif self._is_list_view():
            codes.append("404")  # a result page (p) that does not exist
        if _conditional(self.view) and "{" in self.path and self.method == "GET":
            responses.setdefault(
                "304",
                {"description": "If-None-Match 与当前 ETag 相同：对象没有变化", "headers": {}},
            )
        for code in filter(None, codes):
            response = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code])
            responses.setdefault(code, self._get_response_for_code(response, code, direction=direction))
        return responses
