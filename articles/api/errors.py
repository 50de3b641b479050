"""JSON errors that name the problem.

Every error the API returns has one shape::

    {"status": 400, "errors": [
        {"parameter": "date_after", "code": "invalid", "message": "参数 date_after：输入一个有效的日期。"}
    ]}

``parameter`` names a query-string parameter, ``field`` a field of the request body
(nested fields as ``bylines[0].person_id``); errors about the request as a whole
(401, 403, 404, 405, 429 …) carry neither.
"""

from __future__ import annotations

from django.db.models import ProtectedError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class ParameterError(exceptions.ValidationError):
    """Bad query-string parameters: ``{parameter: [messages]}``; 400 unless told otherwise."""

    def __init__(self, errors: dict, status_code: int = status.HTTP_400_BAD_REQUEST):
        super().__init__(errors)
        self.status_code = status_code


class ParameterNotAllowed(exceptions.APIException):
    """A parameter the requester may not use (staff-only filters): 401 anonymous, 403 otherwise."""

    def __init__(self, parameter: str, message: str, authenticated: bool):
        super().__init__(message, code="permission_denied" if authenticated else "not_authenticated")
        self.parameter = parameter
        self.status_code = status.HTTP_403_FORBIDDEN if authenticated else status.HTTP_401_UNAUTHORIZED


def _flatten(detail, path: str = ""):
    """Yield (path, ErrorDetail) pairs from DRF's nested error structure."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                sub = path
            elif isinstance(key, int):  # an item of a list field
                sub = f"{path}[{key}]"
            elif path:
                sub = f"{path}.{key}"
            else:
                sub = str(key)
            yield from _flatten(value, sub)
    elif isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            for item in detail:
                yield path, item
        else:
            for index, item in enumerate(detail):
                if item:  # DRF puts {} for list items without errors
                    yield from _flatten(item, f"{path}[{index}]")
    else:
        yield path, detail


def _error(key: str | None, name: str, detail) -> dict:
    message = str(detail)
    entry = {"code": getattr(detail, "code", None) or "invalid"}
    if key and name:
        entry[key] = name
        label = "参数" if key == "parameter" else "字段"
        message = f"{label} {name}：{message}"
    entry["message"] = message
    return entry


def error_response(status_code: int, errors: list[dict], headers: dict | None = None) -> Response:
    return Response({"status": status_code, "errors": errors}, status=status_code, headers=headers)


def exception_handler(exc, context):
    if isinstance(exc, ProtectedError):
        names = "、".join(sorted({str(obj) for obj in list(exc.protected_objects)[:5]}))
        return error_response(
            status.HTTP_409_CONFLICT,
            [{"code": "protected", "message": f"仍有内容引用它，不能删除：{names}。"}],
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a genuine server error: let Django report it

    if isinstance(exc, ParameterNotAllowed):
        errors = [_error("parameter", exc.parameter, exc.detail)]
    elif isinstance(exc, exceptions.ValidationError):
        key = "parameter" if isinstance(exc, ParameterError) else "field"
        detail = exc.detail if isinstance(exc.detail, dict | list) else as_serializer_error(exc)
        errors = [_error(key, name, item) for name, item in _flatten(detail)]
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data.get("detail")
        errors = [_error(None, "", item) for _, item in _flatten(detail)]
    headers = {name: response[name] for name in ("WWW-Authenticate", "Retry-After") if name in response}
    return error_response(response.status_code, errors, headers=headers)
