"""Login throttling (django-axes): what a locked-out login sees, and who is checked.

Failed logins through the admin and through the API's HTTP Basic authentication are
counted by django-axes in the database (``axes.AccessAttempt``), so every server
process sees the same count. After ``AXES_FAILURE_LIMIT`` failures for one account from
one client address, that account is locked *from that address* for ``AXES_COOLOFF_TIME``
— even the right password is refused — and a successful login resets the count. The
client address is ``REMOTE_ADDR`` unless ``NEWSROOM_PROXY_COUNT`` says how many proxies
in front of us append to X-Forwarded-For (a header a client can otherwise make up).
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def lockout_message() -> str:
    minutes = cool_off_seconds() // 60
    return f"登录失败次数过多，该账号已从这个地址暂时锁定，请 {minutes} 分钟后再试。"


class LoginLockoutBackend(AxesStandaloneBackend):
    """Axes' check before the password check; a login without a request (a shell,
    ``Client.login`` in a test) has no client address to count and is not checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The admin's lockout page (429), in Chinese, in the admin's own frame."""
    context = {
        **admin.site.each_context(request),
        "title": "登录已暂时锁定",
        "message": lockout_message(),
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(cool_off_seconds())
    return response


def reset_failures(request, username: str) -> None:
    """Forget this account's failed logins from this address (a read when there are none)."""
    failures = AccessAttempt.objects.filter(username=username, ip_address=get_client_ip_address(request))
    if failures.exists():
        failures.delete()
