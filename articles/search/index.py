"""The search index tables and the SQL that reads and writes them.

SQLite: the FTS5 table ``articles_search`` (tokenizer ``unicode61 remove_diacritics 0``),
one row per article with rowid = ``sort_key`` (issue date in the high bits, article id in
the low 32 bits, so rowid order is newest-issue order and the article id is read from the
index alone) and two columns, ``head`` (kicker, title,
subtitle) and ``body`` (body blocks, editor's note, reading tip, photo titles and
captions, byline and photo-credit names). Each column holds the article's pair tokens
separated by spaces (see :mod:`articles.search.text`), with a one-character token
between blocks so that no phrase spans two blocks. ``articles_searchkey`` maps article
id -> rowid so an article whose issue date changed can be found and replaced.

PostgreSQL: the table ``articles_searchdoc``, one row per article: ``head`` and ``body``
(the folded blocks joined by newlines), ``doc`` (a ``simple``-style tsvector written
directly as a literal — no parser, no locale — holding every pair once, *without
positions*, plus two *date bucket* lexemes, ``~y2020`` and ``~m202010``, for the issue's
year and month) with a GIN index, and ``sort_key`` with a b-tree index. A query asks GIN
for the rows holding every pair of every term (``'工会' & '马学' & '学礼'``): without
positions GIN answers that exactly and never reads the tsvector back. A two-character
term is one pair, so that is the whole answer; a longer term is then checked with
``strpos`` on the row's folded head and body (a folded term has no whitespace, so it
never matches across the newline between two blocks). The folded text is a quarter of the
size of a tsvector with positions and is read without detoasting it, so the check costs a
fraction of what the position check did.

Ranking work is capped: a query reads at most ``WINDOW`` matches, newest issue first.
SQLite: FTS5 walks its doclist backwards by rowid. PostgreSQL: GIN cannot return rows in
sort-key order, so the window is read in date slices, newest first: the query ANDs the
terms with the bucket lexemes of the slice (``… & ('~m202010' | '~m202009')``), so GIN
intersects the term's posting lists with one small bucket list and only that slice's
candidates are fetched and checked; each next slice is sized from the density of
matches seen so far. A term in 90 % of 1.5 million articles costs one or two slices;
a rare term ends with one slice over everything older. When more articles match, the
newest ``WINDOW`` of them are the results.

The tables are created by migrations (0002, 0003, 0010, 0012: plain SQL, no application code);
``FORMAT`` names the layout of the rows, and a ``post_migrate`` hook (articles/apps.py)
rebuilds the index when the stored format differs. Other database vendors have no index
and fall back to a slow scan.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable

from django.conf import settings
from django.db import connection

from .text import FOLD_TABLE, column_text, fold, interleave, pairs, token

SQLITE_TABLE = "articles_search"
SQLITE_KEYS = "articles_searchkey"
PG_TABLE = "articles_searchdoc"
BOUNDARY = chr(0x10FFFD)  # a one-character token: never equal to a pair token
MAX_TERM_CHARS = 50  # the longest searchable term
WINDOW = getattr(settings, "NEWSROOM_SEARCH_WINDOW", 2000)
_ID_BITS = 32
_ID_MASK = (1 << _ID_BITS) - 1
_EPOCH = 1_000_000  # days added so that every date has a positive key


def sort_key(article_id: int, issue_date) -> int:
    """Newest issue first when sorted descending; the article id is ``key & 0xFFFFFFFF``."""
    day = issue_date.toordinal() if issue_date else 0
    return ((day + _EPOCH) << _ID_BITS) | (article_id & _ID_MASK)


FORMAT = 3  # 1: pairs only; 2: PostgreSQL docs carry date bucket lexemes; 3: PostgreSQL rows
# hold the folded head and body texts and a tsvector of pairs without positions, one row an article
META_TABLE = "articles_searchformat"


def vendor(conn=None) -> str:
    return (conn or connection).vendor


def supported(conn=None) -> bool:
    return vendor(conn) in ("sqlite", "postgresql")


def stored_format(conn=None) -> int | None:
    """The row layout the index was last built with (None: never built, or no meta table)."""
    conn = conn or connection
    if META_TABLE not in conn.introspection.table_names():
        return None
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {META_TABLE}")
        row = cursor.fetchone()
    return row[0] if row else None


def set_format(version: int = FORMAT) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {META_TABLE}")
        cursor.execute(f"INSERT INTO {META_TABLE} (version) VALUES (%s)", [version])


# --- reading -----------------------------------------------------------------------------


def term_pairs(term: str) -> list[str]:
    return pairs(fold(term))


def window(terms: list[str], *, dates=(None, None)) -> list[tuple[int, int, int]]:
    """The newest ``WINDOW`` articles containing every term: ``(article id, head hits, sort key)``.

    Newest issue first; "head hits" is how many of the terms the article's head (kicker,
    title, subtitle) contains; the ``sort_key()`` holds the issue date. ``dates`` (first,
    last issue date, either may be None) narrows the window by the sort key, so older
    matches of a very common term are reachable by date.
    """
    lo = sort_key(0, dates[0]) if dates[0] else 0
    hi = sort_key(_ID_MASK, dates[1]) if dates[1] else (1 << 62)
    if vendor() == "sqlite":
        return _sqlite_window(terms, lo, hi)
    return _pg_window(terms, lo, hi)


def _sqlite_window(terms, lo, hi):
    expr = " AND ".join(_fts_phrase(t) for t in terms)
    limit = int(WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s "
            f"AND rowid BETWEEN %s AND %s ORDER BY rowid DESC LIMIT {limit}",
            [expr, lo, hi],
        )
        keys = [k for (k,) in cursor.fetchall()]
        if not keys:
            return []
        hits = dict.fromkeys(keys, 0)
        for term in terms:  # head hits, within the window's key range only
            cursor.execute(
                f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s AND rowid BETWEEN %s AND %s",
                [f"(head : {_fts_phrase(term)}) AND {expr}", keys[-1], keys[0]],
            )
            for (k,) in cursor.fetchall():
                if k in hits:
                    hits[k] += 1
    return [(k & _ID_MASK, n, k) for k, n in hits.items()]


MAX_BUCKET_MONTHS = 120  # a wider slice is read by sort-key range instead of bucket lexemes


def _pg_window(terms, lo, hi):
    """Read the window in date slices, newest first (see the module docstring)."""
    folded = [fold(t) for t in terms]
    lexemes = list(dict.fromkeys(p for f in folded for p in pairs(f)))
    query = " & ".join(_pg_quote(p) for p in lexemes)
    # GIN answers "has every pair" exactly and without reading the row's tsvector; a term of
    # three or more characters is then checked as a substring of the folded head and body.
    checks = "".join(" AND (strpos(head, %s) > 0 OR strpos(body, %s) > 0)" for f in folded if len(f) > 2)
    check_params = [x for f in folded if len(f) > 2 for x in (f, f)]
    heads = " + ".join("(strpos(head, %s) > 0)::int" for _ in folded)
    limit = int(WINDOW)
    out: dict[int, tuple[int, int, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT min(sort_key), max(sort_key) FROM {PG_TABLE} WHERE sort_key BETWEEN %s AND %s", [lo, hi]
        )
        first, last = cursor.fetchone()
        if first is None:
            return []
        bottom, top = _month(first), _month(last)
        newest_day = _day(min(hi, last))
        # The first slice is the newest month, and the one before while the newest holds
        # less than FIRST_SLICE_DAYS days of issues (early in a month): a density measured
        # on a day or two sizes the next slice by guesswork.
        newest_month_days = newest_day - _day(max(lo, _month_start_key(top))) + 1
        month, span = top, 1 if newest_month_days >= FIRST_SLICE_DAYS else 2
        while month >= bottom and len(out) < limit:
            start = max(bottom, month - span + 1)
            key_lo = max(lo, _month_start_key(start))
            key_hi = min(hi, _month_start_key(month + 1) - 1)
            if month - start + 1 <= MAX_BUCKET_MONTHS:
                where = "doc @@ (%s::tsquery && (%s)::tsquery)"
                params = [query, _bucket_query(start, month)]
            else:
                where, params = "doc @@ %s::tsquery", [query]
            cursor.execute(
                f"SELECT article_id, {heads}, sort_key FROM {PG_TABLE} WHERE {where} "
                f"AND sort_key BETWEEN %s AND %s{checks} ORDER BY sort_key DESC LIMIT %s",
                [*folded, *params, key_lo, key_hi, *check_params, limit - len(out)],
            )
            out.update((row[0], row) for row in cursor.fetchall())
            month = start - 1
            if month < bottom:
                break
            # Size the next slice from the density seen so far, per *day* of issues read (the
            # newest month may hold a single day): enough months for the rest, with a margin.
            # Every row of a slice is fetched before the newest are kept, so a slice larger
            # than needed costs in proportion; one too small costs a round trip. Until the
            # density rests on enough matches, the slices grow at least 2 times; never more
            # than 8 times.
            days_read = max(1, newest_day - _day(max(lo, _month_start_key(start))) + 1)
            per_day = len(out) / days_read
            wanted = (limit - len(out)) / per_day * SLICE_MARGIN / 30.4 if per_day else float("inf")
            least = 1 if len(out) >= SURE_DENSITY else 2 * span
            grown = max(math.ceil(wanted), least) if per_day else 8 * span
            span = int(min(grown, 8 * span, month - bottom + 1))
    return list(out.values())[:limit]


SLICE_MARGIN = 1.25  # read this much more than the density so far says is needed
SURE_DENSITY = 100  # matches enough to size the next slice by their density alone
FIRST_SLICE_DAYS = 28  # the first slice covers at least this many days of issues, if there are


def _day(key: int) -> int:
    return (key >> _ID_BITS) - _EPOCH


def _month(key: int) -> int:
    ordinal = (key >> _ID_BITS) - _EPOCH
    if ordinal < 1:  # an article without an issue date
        return 12
    day = datetime.date.fromordinal(ordinal)
    return day.year * 12 + day.month - 1


def _month_start_key(month: int) -> int:
    year, m = divmod(month, 12)
    if year > 9999:
        return 1 << 62
    if year <= 1:
        return 0
    return sort_key(0, datetime.date(year, m + 1, 1))


def _bucket_query(first: int, last: int) -> str:
    """A tsquery matching documents of issues in months ``first`` … ``last``: whole years
    as one year lexeme, the months around them one by one."""
    parts, month = [], first
    while month <= last:
        year, m = divmod(month, 12)
        if m == 0 and month + 11 <= last:
            parts.append(f"'~y{year}'")
            month += 12
        else:
            parts.append(f"'~m{year}{m + 1:02d}'")
            month += 1
    return " | ".join(parts)


def buckets(issue_date) -> str:
    """The date bucket lexemes of one document (tsvector literal)."""
    if not issue_date:
        return ""
    return f" '~y{issue_date.year}' '~m{issue_date.year}{issue_date.month:02d}'"


def _fts_phrase(term: str) -> str:
    return '"' + " ".join(token(p) for p in term_pairs(term)) + '"'


# --- writing -----------------------------------------------------------------------------


def write(docs: dict[int, tuple[object, list[str], list[str]]], stale_ids: Iterable[int]) -> None:
    """Replace the index rows of ``docs`` (id -> (issue date, head, body blocks)); drop ``stale_ids``."""
    ids = list(docs) + [i for i in stale_ids if i not in docs]
    if not ids:
        return
    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            for chunk in _chunks(ids, 500):
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(
                    f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN "
                    f"(SELECT sort_key FROM {SQLITE_KEYS} WHERE article_id IN ({marks}))",
                    chunk,
                )
                cursor.execute(f"DELETE FROM {SQLITE_KEYS} WHERE article_id IN ({marks})", chunk)
            keys = {pk: sort_key(pk, date) for pk, (date, _, _) in docs.items()}
            rows = [
                (keys[pk], _sqlite_text(head), _sqlite_text(body)) for pk, (_, head, body) in docs.items()
            ]
            if rows:
                cursor.executemany(
                    f"INSERT INTO {SQLITE_TABLE} (rowid, head, body) VALUES (%s, %s, %s)", rows
                )
                cursor.executemany(
                    f"INSERT INTO {SQLITE_KEYS} (article_id, sort_key) VALUES (%s, %s)", list(keys.items())
                )
        elif vendor() == "postgresql":
            cursor.execute(f"DELETE FROM {PG_TABLE} WHERE article_id = ANY(%s)", [ids])
            if docs:
                # COPY: one round trip for the whole batch, the tsvector literals parsed in C.
                columns = "article_id, sort_key, head, body, doc"
                with cursor.cursor.copy(f"COPY {PG_TABLE} ({columns}) FROM STDIN") as copy:
                    for pk, (date, head, body) in docs.items():
                        copy.write_row((pk, sort_key(pk, date), *_pg_row(head, body, date)))


def clear() -> None:
    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            cursor.execute(f"DELETE FROM {SQLITE_TABLE}")
            cursor.execute(f"DELETE FROM {SQLITE_KEYS}")
        elif vendor() == "postgresql":
            cursor.execute(f"TRUNCATE {PG_TABLE}")


def indexed_count() -> int:
    """How many articles have index rows."""
    with connection.cursor() as cursor:
        if vendor() == "sqlite":
            cursor.execute(f"SELECT count(*) FROM {SQLITE_KEYS}")
        elif vendor() == "postgresql":
            cursor.execute(f"SELECT count(*) FROM {PG_TABLE}")
        else:
            return 0
        return cursor.fetchone()[0]


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _sqlite_text(blocks: list[str]) -> str:
    """The FTS5 document of some blocks: their pair tokens, a one-character token between
    blocks (:func:`articles.search.text.column_text`)."""
    return column_text(blocks, BOUNDARY)


def _pg_quote(lexeme: str) -> str:
    if "'" in lexeme or "\\" in lexeme:
        lexeme = lexeme.replace("\\", "\\\\").replace("'", "''")
    return "'" + lexeme + "'"


def _pg_row(head: list[str], body: list[str], issue_date=None) -> tuple[str, str, str]:
    """One article's PostgreSQL row: folded head, folded body, doc tsvector literal.

    Head and body are the folded blocks (of two characters or more) joined by newlines; a
    folded term has no whitespace, so a substring match never spans two blocks. ``doc``
    holds every pair of every block once, without positions, and the date bucket lexemes.

    The pairs come from one interleave of the blocks joined by spaces (the pairs across a
    join hold a space and come out as single characters, which are dropped), and the
    literal is one join when no pair needs quoting.
    """
    texts = []
    seen: set[str] = set()
    for blocks in (head, body):
        folded = [f for f in (b.translate(FOLD_TABLE) for b in blocks if b) if len(f) > 1]
        if folded:
            seen.update(interleave(" ".join(folded)).split(" "))
            seen.difference_update([f[0] for f in folded], [f[-1] for f in folded])
        texts.append("\n".join(folded))
    seen.discard("")
    if not seen:
        lexemes = ""
    elif "'" in texts[0] or "'" in texts[1] or "\\" in texts[0] or "\\" in texts[1]:
        lexemes = " ".join(map(_pg_quote, seen))
    else:
        lexemes = "'" + "' '".join(seen) + "'"
    return texts[0], texts[1], lexemes + buckets(issue_date)
