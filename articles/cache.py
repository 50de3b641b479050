"""Whole-page cache for readers that an editor's change clears at once.

Anonymous GET/HEAD responses of reader pages are kept in Django's cache under a key
made of the full URL and a site-wide *content version*. Any change to the paper's
content stores a new version, so every cached page becomes unreachable and the next
load renders fresh: a fix in the admin shows on the next page load.

The version changes on the change path (:mod:`articles.changes`): once per transaction
that changed content, whatever wrote it, just before it commits; and again when it
commits, so a page rendered from not-yet-committed data is never kept under the new
version. Writers never call this module themselves.

Logged-in users are never served from nor stored in this cache (staff see drafts).

The cache backend must be shared by all server processes for the clearing to reach
them all (LocMemCache is per process: fine for one worker or development).
"""

from __future__ import annotations

import functools
import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from .changes import changes_committing

VERSION_KEY = "newsroom:content-version"
PAGE_KEY_PREFIX = "newsroom:page"
#: How long a rendered page is kept (seconds); a content change clears it sooner.
PAGE_TIMEOUT = 600


def content_version() -> str:
    """The current content version (a new one is made if the cache lost it)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def _store_new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def bump_content_version(using: str | None = None) -> None:
    """Make every cached reader page stale (the change path's receiver calls it).

    Inside a transaction the version is changed now and again on commit, so pages
    rendered by other requests before the commit are not served afterwards.
    """
    _store_new_version()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(_store_new_version, using=using)


@receiver(changes_committing, dispatch_uid="newsroom-cache")
def _on_content_change(sender, changes, using, **kwargs):
    bump_content_version(using)


def _page_key(request) -> str:
    url = request.build_absolute_uri()
    digest = hashlib.sha1(url.encode(), usedforsecurity=False).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{content_version()}:{request.method == 'HEAD'}:{digest}"


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # Without a session cookie the user is anonymous; with one, ask (a logged-in
    # editor sees drafts and must never get or leave a cached page).
    return not request.user.is_authenticated


def reader_cache(view):
    """Serve anonymous GETs of a reader page from the cache; store 200 responses."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ("Cookie",))
            return response
        key = _page_key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type, headers = hit
            response = HttpResponse(content, content_type=content_type)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        patch_vary_headers(response, ("Cookie",))
        if response.status_code == 200 and not response.cookies and not response.streaming:
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in ("content-type", "content-length", "set-cookie")
            ]
            cache.set(key, (response.content, response["Content-Type"], headers), PAGE_TIMEOUT)
        return response

    return wrapped
