"""Project middleware."""

from __future__ import annotations

from django.conf import settings
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware


class GZipMiddleware(DjangoGZipMiddleware):
    """Compress responses the client accepts gzip for, except pages that carry a CSRF token.

    A compressed page that reflects a secret (the CSRF token in the admin's and API docs'
    forms) next to attacker-chosen text leaks the secret through its length (BREACH), so
    responses that used the token, and logged-in users' pages, go uncompressed. Reader pages
    and the API carry no token and are compressed.
    """

    def process_response(self, request, response):
        # A page that used the token has the CSRF cookie set on it (CsrfViewMiddleware).
        if settings.CSRF_COOKIE_NAME in response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "html" in response.get("Content-Type", ""):
            return response
        return super().process_response(request, response)
