"""HTTP Basic authentication that tells a locked-out client so (429), not just 401.

django-axes counts failed Basic logins like admin logins (:mod:`articles.logins`);
while an account is locked from a client address, even the right password fails, and
this says why, in the API's error shape, with ``Retry-After``. A successful Basic login
resets the count as an admin login does (Basic auth never calls ``login()``, where
django-axes would).
"""

from __future__ import annotations

from drf_spectacular.authentication import BasicScheme
from rest_framework import authentication, exceptions, status

from ..logins import cool_off_seconds, lockout_message, reset_failures


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        super().__init__(lockout_message())
        self.wait = cool_off_seconds()  # DRF's handler turns this into Retry-After


class BasicAuthentication(authentication.BasicAuthentication):
    def authenticate_credentials(self, userid, password, request=None):
        try:
            user, auth = super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and getattr(request, "axes_locked_out", False):
                raise LockedOut() from None
            raise
        if request is not None:
            reset_failures(request, user.get_username())
        return user, auth


class LockoutBasicScheme(BasicScheme):
    """The OpenAPI schema documents it as plain HTTP Basic."""

    target_class = "articles.api.authentication.BasicAuthentication"
