"""The readers' page cache and HTTP caching, right with any number of processes.

What decides whether a cached page is fresh lives in the database, where every server
process and every command-line import sees it: :class:`~articles.models.Freshness` rows,
one counter per thing a page shows (``site``, ``home``, ``issue:<date>``, ``page:<id>``,
``article:<id>``, ``column:<slug>``, ``person:<id>``, ``feeds`` …; see
:func:`dependencies`), bumped inside the transaction that changes the content
(:func:`bump`), and :class:`~articles.models.ScheduledChange` rows for moments when a
page changes with no write (an article scheduled for publication).

An anonymous GET/HEAD of a reader page reads its keys' versions (one query), and

- answers ``If-None-Match`` / ``If-Modified-Since`` with 304 (the ETag is made of the
  versions, Last-Modified is the latest change among them);
- serves the page from the ``pages`` cache under a key made of the URL and those
  versions, or renders it and keeps it if it is a 200;
- sends ``Cache-Control: public, max-age=…, stale-while-revalidate=…`` so a proxy or CDN
  can keep it briefly.

The versions are read before the page is rendered, so a page rendered from data older
than a version is never stored under it. Logged-in users are never served from nor
stored in the cache and get ``Cache-Control: private, no-store``. The cache backend
is an accelerator only: when it fails (Redis down) pages are rendered and the outage is
logged (``newsroom.cache``).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connections, router
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, quote_etag

from .changes import ChangeSet, changes_committing
from .models import (
    Article,
    Byline,
    Column,
    Freshness,
    Issue,
    Page,
    PhotoCredit,
    ScheduledChange,
)

log = logging.getLogger("newsroom.cache")

PAGE_KEY_PREFIX = "page"
#: How long a rendered page is kept (seconds); a change to what it shows makes it stale sooner.
PAGE_TIMEOUT = 600
#: The key every page depends on: bumping it makes the whole site stale.
SITE = "site"
#: Says whether an anonymous reader page came from the page cache (hit) or was rendered (miss).
CACHE_HEADER = "X-Newsroom-Cache"


# ---------------------------------------------------------------- what a page depends on


def dependencies(url_name: str, kwargs: dict) -> list[str]:
    """The freshness keys of a reader URL (by its URL name and arguments)."""
    keys = [SITE]
    date = None
    if {"year", "month", "day"} <= kwargs.keys():
        try:
            date = datetime.date(int(kwargs["year"]), int(kwargs["month"]), int(kwargs["day"]))
        except ValueError:
            date = None
    if url_name == "home":
        keys += ["home", "dates", "columns"]
    elif url_name == "issue" and date:
        keys += [f"issue:{date}", "dates"]
    elif url_name == "page":
        keys += [f"page:{int(kwargs['pk'])}"]
    elif url_name == "article":
        keys += [f"article:{int(kwargs['pk'])}"]
    elif url_name == "column":
        keys += [f"column:{kwargs['slug']}"]
    elif url_name == "columns":
        keys += ["columns"]
    elif url_name == "person":
        keys += [f"person:{int(kwargs['pk'])}"]
    elif url_name.startswith("archive"):
        keys += ["dates"]
    elif url_name in ("feed-latest-rss", "feed-latest-atom"):
        keys += ["feeds"]
    elif url_name in ("feed-column-rss", "feed-column-atom"):
        keys += ["feeds", f"column:{kwargs['slug']}"]
    elif url_name.startswith("sitemap"):
        keys += ["sitemap"]
    else:  # search and anything else: any change
        keys += ["any"]
    return keys


# ---------------------------------------------------------------- freshness rows


class State:
    """The versions of a page's keys: an ETag-ready token and the latest change."""

    def __init__(self, keys: list[str], rows: dict[str, list]):
        self.keys = keys
        parts = [f"{k}={rows[k][0]}.{rows[k][1]}" if k in rows else f"{k}=0" for k in keys]
        self.token = hashlib.sha1(";".join(parts).encode(), usedforsecurity=False).hexdigest()[:20]
        times = [at for _, _, at in rows.values() if at is not None]
        self.last_modified = max(times) if times else None


def freshness(keys: list[str], using: str | None = None) -> State:
    """Read the versions of ``keys`` in one query (a scheduled change that is due counts).

    Plain SQL: this runs on every cached page view, where building the ORM query would cost
    more than running it; on PostgreSQL a prepared statement (parsed and planned once per
    connection).
    """
    using = using or router.db_for_read(Freshness)
    connection = connections[using]
    marks = ", ".join(["%s"] * len(keys))
    versions, due = (connection.ops.quote_name(m._meta.db_table) for m in (Freshness, ScheduledChange))
    sql = (
        f"SELECT 0, k, v, t FROM (SELECT {_q(connection, 'key')} AS k, {_q(connection, 'version')} AS v, "
        f"{_q(connection, 'changed_at')} AS t FROM {versions} WHERE {_q(connection, 'key')} IN ({marks})) f "
        f"UNION ALL SELECT 1, {_q(connection, 'key')}, COUNT(*), MAX({_q(connection, 'due_at')}) FROM {due} "
        f"WHERE {_q(connection, 'key')} IN ({marks}) AND {_q(connection, 'due_at')} <= %s "
        f"GROUP BY {_q(connection, 'key')}"
    )
    now = timezone.now()
    # On PostgreSQL a prepared statement of the connection (parsed and planned once: see
    # newsroom.db.prepared), as the reader pages' own queries.
    with getattr(connection, "preparing_cursor", connection.cursor)() as cursor:
        cursor.execute(sql, [*keys, *keys, connection.ops.adapt_datetimefield_value(now)])
        found = cursor.fetchall()
    rows: dict[str, list] = {}
    for kind, key, number, at in found:
        at = _datetime(at)
        row = rows.setdefault(key, [0, 0, None])
        row[kind] = number
        row[2] = max(row[2], at) if row[2] else at
    return State(keys, rows)


def _q(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _datetime(value) -> datetime.datetime | None:
    """A timestamp as the database returned it (SQLite: text in UTC) made an aware datetime."""
    if value is None or isinstance(value, datetime.datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=datetime.UTC)
    parsed = parse_datetime(str(value))
    return parsed.replace(tzinfo=datetime.UTC) if parsed and parsed.tzinfo is None else parsed


def bump(keys, using: str | None = None) -> None:
    """Make every cached page that shows one of ``keys`` stale (in the current transaction)."""
    keys = sorted(set(keys))
    if not keys:
        return
    using = using or router.db_for_write(Freshness)
    connection = connections[using]
    table = connection.ops.quote_name(Freshness._meta.db_table)
    key, version, changed = (connection.ops.quote_name(c) for c in ("key", "version", "changed_at"))
    now = timezone.now()
    values = ", ".join(["(%s, 1, %s)"] * len(keys))
    params = []
    for k in keys:
        params += [k, now]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {version}, {changed}) VALUES {values} "
            f"ON CONFLICT ({key}) DO UPDATE SET {version} = {table}.{version} + 1, "
            f"{changed} = EXCLUDED.{changed}",
            params,
        )


def schedule(keys, due_at: datetime.datetime, using: str | None = None) -> None:
    """Make the pages that show ``keys`` stale at ``due_at`` (an article scheduled for then)."""
    using = using or router.db_for_write(ScheduledChange)
    rows = [ScheduledChange(key=k, due_at=due_at) for k in sorted(set(keys))]
    ScheduledChange.objects.using(using).bulk_create(rows, ignore_conflicts=True)
    # Due long ago: every page cached before then has expired.
    long_ago = timezone.now() - datetime.timedelta(days=1)
    ScheduledChange.objects.using(using).filter(due_at__lt=long_ago).delete()


def bump_content_version(using: str | None = None) -> None:
    """Make every cached reader page stale (for a change the change path cannot describe)."""
    bump([SITE], using)


# ---------------------------------------------------------------- what a change makes stale


def stale_keys(changes: ChangeSet, using: str) -> set[str]:
    """The freshness keys of every page that shows something ``changes`` touched.

    An edit to an article: its page, the article pages on that page (they link their
    neighbours by title) and its continued parts, its issue, its columns, the people
    credited on it, the home page if it is in the latest issue, the feeds, the sitemap and
    search. Publishing, unpublishing, scheduling or moving an article (and a new or changed
    page or issue) also changes which dates, pages and columns readers see: the archive,
    the column list, the home page and the pages of its issue. A renamed person or column,
    a redated issue or a moved page is shown on pages nobody tracks: the whole site.
    """
    keys = {"any", "feeds", "sitemap"}
    if changes.renamed_people or changes.redated_issues or changes.moved_pages or Column in changes.models:
        return keys | {SITE}
    # No default ordering: sorting by issue date would make SQLite walk the whole archive.
    rows = Article._base_manager.using(using).order_by()
    articles = list(
        rows.filter(pk__in=changes.articles).values_list("page_id", "column_id", "continued_from_id")
    )
    page_ids = set(changes.pages) | {page for page, _, _ in articles}
    column_ids = set(changes.columns) | {column for _, column, _ in articles if column}
    pages = list(
        Page._base_manager.using(using)
        .order_by()
        .filter(pk__in=page_ids)
        .values_list("issue_id", "issue__date")
    )
    issue_ids = set(changes.issues) | {issue for issue, _ in pages}
    dates = set(
        Issue._base_manager.using(using).order_by().filter(pk__in=issue_ids).values_list("date", flat=True)
    )
    listing = changes.republished or Page in changes.models or Issue in changes.models
    if listing:  # every page of the issue lists the issue's pages
        page_ids |= set(
            Page._base_manager.using(using)
            .order_by()
            .filter(issue__in=issue_ids)
            .values_list("pk", flat=True)
        )
    # Article pages show their neighbours on the page, and a continued article's other part.
    parts = {part for _, _, part in articles if part}
    # Three indexed lookups (one query with OR would read the whole article table).
    shown = set(changes.articles) | parts
    shown |= set(rows.filter(page__in=page_ids).values_list("pk", flat=True))
    shown |= set(rows.filter(continued_from__in=changes.articles).values_list("pk", flat=True))
    # An article created in this transaction has no cached page to make stale (before, its
    # address was a 404, never cached; ids are never reused): no freshness row for it, which
    # spares an import one row per article.
    keys |= {f"article:{pk}" for pk in shown - changes.created_articles}
    keys |= {f"page:{pk}" for pk in page_ids}
    keys |= {f"issue:{d}" for d in dates}
    slugs = (
        Column._base_manager.using(using).order_by().filter(pk__in=column_ids).values_list("slug", flat=True)
    )
    keys |= {f"column:{slug}" for slug in slugs}
    people = set(changes.people)
    people |= set(
        Byline._base_manager.using(using)
        .filter(article__in=changes.articles)
        .values_list("person_id", flat=True)
    )
    people |= set(
        PhotoCredit._base_manager.using(using)
        .filter(photo__in=changes.photos)
        .values_list("person_id", flat=True)
    )
    keys |= {f"person:{pk}" for pk in people}
    if listing:
        keys |= {"dates", "columns", "home"}
    elif dates:
        latest = (
            Issue.objects.using(using).published().order_by("-date").values_list("date", flat=True).first()
        )
        if latest is None or max(dates) >= latest:
            keys.add("home")
    return keys


@receiver(changes_committing, dispatch_uid="newsroom-cache")
def _on_changes(sender, changes, using, **kwargs):
    """The change path's receiver: bump what the transaction changed, in the transaction;
    an article published for a later time makes the same pages stale again at that time."""
    keys = stale_keys(changes, using)
    bump(keys, using)
    now = timezone.now()
    due = (
        Article._base_manager.using(using)
        .order_by()
        .filter(pk__in=changes.articles, published_at__gt=now)
        .values_list("published_at", flat=True)
    )
    for at in set(due):
        schedule(keys | {"dates", "columns", "home"}, at, using)


# ---------------------------------------------------------------- HTTP caching


def public_headers(response, state: State) -> None:
    """ETag, Last-Modified and a short public Cache-Control for a proxy or CDN."""
    response["ETag"] = quote_etag(state.token)
    if state.last_modified:
        response["Last-Modified"] = http_date(state.last_modified.timestamp())
    patch_cache_control(
        response,
        public=True,
        max_age=settings.NEWSROOM_HTTP_MAX_AGE,
        stale_while_revalidate=settings.NEWSROOM_HTTP_STALE,
    )
    patch_vary_headers(response, ("Cookie",))


def private_headers(response) -> None:
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ("Cookie",))


def not_modified(request, state: State):
    """A 304 if the request's validators match ``state``, else None."""
    last_modified = int(state.last_modified.timestamp()) if state.last_modified else None
    response = get_conditional_response(request, etag=quote_etag(state.token), last_modified=last_modified)
    if response is not None:
        public_headers(response, state)
    return response


# ---------------------------------------------------------------- the page cache


def _page_key(request, state: State) -> str:
    url = request.build_absolute_uri()
    digest = hashlib.sha1(f"{request.method}:{url}".encode(), usedforsecurity=False).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{digest}:{state.token}"


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # A logged-in editor sees drafts and must never get or leave a cached page.
    return not request.user.is_authenticated


def _pages():
    return caches["pages"]


def reader_cache(view):
    """Serve anonymous GETs of a reader page from the cache, with HTTP validators."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable_request(request):
            response = view(request, *args, **kwargs)
            if request.user.is_authenticated:
                private_headers(response)
            else:
                patch_vary_headers(response, ("Cookie",))
            return response
        match = request.resolver_match
        state = freshness(dependencies(match.url_name if match else "", {**(match.kwargs if match else {})}))
        response = not_modified(request, state)
        if response is not None:
            response[CACHE_HEADER] = "hit"
            return response
        key = _page_key(request, state)
        hit = _pages().get(key)
        if hit is not None:
            content, content_type, headers = hit
            response = HttpResponse(content, content_type=content_type)
            for name, value in headers:
                response[name] = value
            public_headers(response, state)
            response[CACHE_HEADER] = "hit"
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
            _pages().set(key, (response.content, response["Content-Type"], headers), PAGE_TIMEOUT)
            public_headers(response, state)
        response[CACHE_HEADER] = "miss"
        return response

    return wrapped
