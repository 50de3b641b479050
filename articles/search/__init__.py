"""Chinese full-text search over articles.

Interface used by the site, the admin and the API:

- ``parse_query(q)`` -> list of terms (quoted phrases kept whole); raises
  ``SearchQueryError`` with a reader-facing message for a query that cannot be run.
- ``search_articles(queryset, q)`` -> the queryset narrowed to matches, best first
  (title/kicker/subtitle hits above body-only hits, then newest issue first).
- ``highlight(text, terms)`` / ``snippet(text, terms)`` -> escaped HTML with <mark>.
- ``reindex_articles(ids)`` / ``rebuild_index()`` keep the index in step with the data;
  signal handlers in :mod:`articles.search.signals` call the former on every edit.

How matching works (overlapping bigrams in FTS5 / tsvector) is described in
:mod:`articles.search.text`, :mod:`articles.search.index` and docs/search.md.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.query import ModelIterable
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property

from . import index
from .text import fold, highlight, snippet

__all__ = [
    "MAX_TERMS",
    "MAX_TERM_CHARS",
    "MIN_TERM_CHARS",
    "SearchQueryError",
    "article_blocks",
    "highlight",
    "parse_query",
    "rebuild_index",
    "reindex_articles",
    "search_articles",
    "snippet",
]

MIN_TERM_CHARS = 2
MAX_TERM_CHARS = index.MAX_TERM_CHARS
MAX_TERMS = 8


class SearchQueryError(ValueError):
    """A query that cannot be searched; the message is shown to the user."""


_QUERY_TOKEN = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)')


def parse_query(q: str) -> list[str]:
    """The query's terms: words separated by spaces, "quoted phrases" kept whole.

    Whitespace inside a phrase is ignored, like everywhere in search (OCR text has stray
    spaces). Every term needs at least two characters.
    """
    terms: list[str] = []
    for m in _QUERY_TOKEN.finditer((q or "").replace("\u3000", " ")):
        term = " ".join(next((g for g in m.groups() if g is not None), "").split())
        term = term.strip('"“”「」')
        if term and term not in terms:
            terms.append(term)
    if not terms:
        raise SearchQueryError("请输入要搜索的词语。")
    for term in terms:
        if len(fold(term)) < MIN_TERM_CHARS:
            raise SearchQueryError(f"搜索词至少需要两个字：“{term}”太短。")
        if len(fold(term)) > MAX_TERM_CHARS:
            raise SearchQueryError(f"搜索词最多 {MAX_TERM_CHARS} 个字：“{term[:10]}…”太长。")
    if len(terms) > MAX_TERMS:
        raise SearchQueryError(f"一次最多搜索 {MAX_TERMS} 个词，请减少搜索词。")
    return terms


def search_articles(queryset: QuerySet, q: str, *, date_after=None, date_before=None) -> QuerySet:
    """``queryset`` narrowed to articles containing every term of ``q``, best first.

    The index is read once, when this is called; the matches become one ``id IN (…)``
    condition, so the result composes with any further ``filter()``, with
    ``published()``, ``count()`` and slicing. The order is: how
    many terms hit the kicker/title/subtitle (more first), then newest issue, page and
    position. Ranking work is capped: at most ``index.WINDOW`` (2,000) matches, the
    newest, are considered — a term found in more articles yields the newest 2,000.
    Pass the search's issue-date range as ``date_after``/``date_before`` (inclusive) so
    the 2,000 are the newest *within the range* (callers still filter by date themselves).
    """
    terms = parse_query(q)
    if not index.supported():
        return _scan(queryset, terms)
    # The window is read once, here, from the index alone; the queryset then only joins
    # these (at most WINDOW) ids, so its count() and its slices cost no index work.
    matches = index.window(terms, dates=(date_after, date_before))
    queryset = _related_fetched_after_ranking(queryset).filter(
        IdIn([article_id for article_id, _, _ in matches])
    )
    if index.vendor() == "postgresql":
        # Head hits, looked up in one jsonb parameter that holds only the articles with some
        # (most of a window has none), then the article's own copy of its issue date: no
        # join to the issues, and no number per id to build, send and look up.
        hits = {article_id: n for article_id, n, _ in matches if n}
        order = [F("issue_date").desc(nulls_last=True), "page_number", "position", "pk"]
        queryset = queryset.annotate(search_head_hits=HeadHits(hits)).order_by("-search_head_hits", *order)
        return _rows_fetched_for_the_slice(queryset)
    by_hits: dict[int, list[int]] = defaultdict(list)
    for article_id, head_hits, _ in matches:
        by_hits[head_hits].append(article_id)
    ranked = [When(IdIn(ids), then=Value(n)) for n, ids in sorted(by_hits.items()) if n]
    order = ["-issue_date", "page_number", "position", "pk"]
    if not ranked:  # no head hits: a constant, which must not be an ORDER BY term ("ORDER BY 0")
        return queryset.annotate(search_head_hits=Value(0, output_field=IntegerField())).order_by(*order)
    rank = Case(*ranked, default=Value(0), output_field=IntegerField())
    return queryset.annotate(search_head_hits=rank).order_by("-search_head_hits", *order)


def _related_fetched_after_ranking(queryset: QuerySet) -> QuerySet:
    """``queryset`` with its ``select_related`` joins turned into prefetches.

    The window's 2,000 matches are ranked on the article's own columns. Joined, every one
    of them would first be joined to its page, issue and column (the planner cannot sort
    before the joins), which cost more than the ranking; prefetched, only the rows of the
    page asked for are looked up, in one query per relation of the article, which joins
    what lies beyond it (the page with its issue: one query, not two).
    """
    related = queryset.query.select_related
    if not isinstance(related, dict) or not related:
        return queryset

    def lookups(tree: dict, prefix: str = ""):
        for name, subtree in tree.items():
            if subtree:
                yield from lookups(subtree, f"{prefix}{name}__")
            else:
                yield f"{prefix}{name}"

    prefetches = []
    for name, subtree in related.items():
        if subtree:
            model = queryset.model._meta.get_field(name).related_model
            prefetches.append(Prefetch(name, queryset=model._base_manager.select_related(*lookups(subtree))))
        else:
            prefetches.append(name)
    return queryset.select_related(None).prefetch_related(*prefetches)


class _SlicedRows:
    """A PostgreSQL search result whose slice (a page of results) is found first by id,
    then fetched whole.

    Ranking the window reads its (up to 2,000) articles' rank columns, status and
    publication time, which the covering index ``article_search_rank_idx`` (migration
    0017) holds, so that part is an index-only scan; but asked for whole rows in one
    query, PostgreSQL fetches and sorts every candidate's full row (about 2.5 KB: three a
    table page) to keep 20. So a sliced result runs as ``pk IN (the slice's ids, ranked
    and cut in a sub-select)``, and only the slice's rows are fetched. Used when the query
    reads one table (no joins, no ``distinct()``, model rows): the search page's own
    filters (date, page, column) are columns of the article; anything else runs as it is.
    """

    def _fetch_all(self):
        if self._result_cache is None:
            rows = self._slice_by_id()
            if rows is not None:
                self._result_cache = list(rows._iterable_class(rows))
        super()._fetch_all()

    def _slice_by_id(self):
        query = self.query
        if query.low_mark == 0 and query.high_mark is None:
            return None
        if (
            self._iterable_class is not ModelIterable
            or query.distinct
            or query.combinator
            or query.group_by
            or query.extra
            or len(query.alias_map) != 1
            or not query.order_by
        ):
            return None
        ids = self.values_list("pk", flat=True)  # the same filters, order and slice: ids only
        rows = self._chain()
        rows.query.clear_limits()
        rows.query.where = WhereNode()
        return rows.filter(pk__in=ids)


_SLICED_CLASSES: dict[type, type] = {}


def _rows_fetched_for_the_slice(queryset: QuerySet) -> QuerySet:
    cls = type(queryset)
    if not issubclass(cls, _SlicedRows):
        if cls not in _SLICED_CLASSES:
            _SLICED_CLASSES[cls] = type(cls.__name__, (_SlicedRows, cls), {"__module__": cls.__module__})
        queryset = queryset._chain()
        queryset.__class__ = _SLICED_CLASSES[cls]
    return queryset


class HeadHits(Func):
    """PostgreSQL: how many terms the row's head holds, from ``hits`` (pk -> count, only
    those above 0) passed as one jsonb parameter (a jsonb object finds a key by binary
    search); 0 for every other row."""

    output_field = IntegerField()

    def __init__(self, hits: dict[int, int]):
        super().__init__(F("pk"))
        self.hits = json.dumps({str(k): int(v) for k, v in hits.items()})

    @cached_property
    def identity(self):  # Django's default hashes every constructor argument, item by item
        return (self.__class__, self.hits)

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"COALESCE((%s::jsonb ->> ({column})::text)::int, 0)", [self.hits, *params]


class IdIn(Func):
    """``pk IN (ids)``, spelled ``pk = ANY(%s)`` with one array parameter on PostgreSQL.

    A window of 2,000 ids as 2,000 placeholders (twice: the filter and the rank) costs the
    PostgreSQL planner more than running the query; one array costs it nothing.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, ids):
        super().__init__(F("pk"))
        self.ids = [int(i) for i in ids]
        self.array = "{" + ",".join(map(str, self.ids)) + "}"  # one string: the driver quotes it once

    @cached_property
    def identity(self):  # Django's default hashes every constructor argument, item by item
        return (self.__class__, self.array)

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        if not self.ids:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            # A sub-select hides the array from the planner: it neither estimates each of the
            # 2,000 elements (10 ms) nor, expecting that many rows, merge-joins all pages.
            return f"{column} = ANY((SELECT %s::bigint[])::bigint[])", [*params, self.array]
        return f"{column} IN ({', '.join(['%s'] * len(self.ids))})", [*params, *self.ids]


def _scan(queryset: QuerySet, terms: list[str]) -> QuerySet:
    """Fallback for databases without an index: a (slow, case-sensitive) substring scan."""
    for term in terms:
        queryset = queryset.filter(
            Q(title__contains=term)
            | Q(kicker__contains=term)
            | Q(subtitle__contains=term)
            | Q(body__contains=term)
            | Q(bylines__person__name__contains=term)
        )
    return queryset.distinct().order_by("-issue_date", "page_number", "position", "pk")


# --- keeping the index up to date -------------------------------------------------------------


def article_blocks(
    article_ids: Iterable[int], apps=global_apps
) -> dict[int, tuple[object, list[str], list[str]]]:
    """The indexed text of each existing article: (issue date, head blocks, body blocks).

    Head: kicker, title, subtitle. Body: body blocks, editor's note, reading tip, the
    titles and captions of the article's photos, byline and photo-credit names. ``apps``
    lets migrations pass their historical registry.
    """
    Article = apps.get_model("articles", "Article")
    Byline = apps.get_model("articles", "Byline")
    Photo = apps.get_model("articles", "Photo")
    PhotoCredit = apps.get_model("articles", "PhotoCredit")
    ids = list(article_ids)
    extra: dict[int, list[str]] = defaultdict(list)
    for article_id, name in (
        Byline.objects.filter(article_id__in=ids)
        .order_by("order", "pk")
        .values_list("article_id", "person__name")
    ):
        extra[article_id].append(name)
    for article_id, title, caption in (
        Photo.objects.filter(article_id__in=ids)
        .order_by("position", "pk")
        .values_list("article_id", "title", "caption")
    ):
        extra[article_id].extend((title, caption))
    for article_id, name in (
        PhotoCredit.objects.filter(photo__article_id__in=ids)
        .order_by("order", "pk")
        .values_list("photo__article_id", "person__name")
    ):
        extra[article_id].append(name)
    docs = {}
    rows = Article.objects.filter(pk__in=ids).values_list(
        "pk", "page__issue__date", "kicker", "title", "subtitle", "body", "editor_note", "reading_tip"
    )
    for pk, date, kicker, title, subtitle, body, editor_note, reading_tip in rows:
        docs[pk] = document(date, kicker, title, subtitle, body, editor_note, reading_tip, extra[pk])
    return docs


def document(date, kicker, title, subtitle, body, editor_note, reading_tip, extra) -> tuple:
    """One article's indexed text: (issue date, head blocks, body blocks).

    ``extra`` is the text gathered from related rows: byline names, then the titles and
    captions of the article's photos, then photo-credit names.
    """
    blocks = [b.get("text", "") for b in body or [] if isinstance(b, dict)]
    return (date, [kicker, title, subtitle], [*blocks, editor_note, reading_tip, *extra])


def reindex_articles(
    article_ids: Iterable[int], apps=global_apps, batch_size: int = 1000, documents: dict | None = None
) -> int:
    """Rewrite the index rows of these articles (dropping those of deleted ones).

    Runs in the caller's transaction; the change path calls it once per transaction.
    ``documents`` (article id -> ``document(...)``) is text the writer already holds:
    those articles are indexed from it, the others read from the database. Returns how
    many articles were indexed.
    """
    if not index.supported():
        return 0
    documents = documents or {}
    ids = sorted({int(i) for i in article_ids if i is not None})
    done = 0
    for i in range(0, len(ids), batch_size):
        chunk = ids[i : i + batch_size]
        missing = [pk for pk in chunk if pk not in documents]
        docs = article_blocks(missing, apps=apps) if missing else {}
        docs.update((pk, documents[pk]) for pk in chunk if pk in documents)
        index.write(docs, stale_ids=chunk)
        done += len(docs)
    return done


def rebuild_index(batch_size: int = 1000, apps=global_apps, progress=None) -> int:
    """Empty the index and index every article again; returns how many were indexed."""
    if not index.supported():
        return 0
    Article = apps.get_model("articles", "Article")
    index.clear()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for i in range(0, len(ids), batch_size):
        done += reindex_articles(ids[i : i + batch_size], apps=apps, batch_size=batch_size)
        if progress:
            progress(done, len(ids))
    return done
