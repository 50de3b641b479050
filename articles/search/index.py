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

PostgreSQL: the table ``articles_searchdoc`` with ``simple``-style tsvectors written
directly as literals (no parser, no locale): ``doc`` (head pairs weighted A, body pairs
weighted B) and ``head`` (head pairs only, on the first row), each with a GIN index, and
``sort_key`` with a b-tree index. A
tsvector keeps at most 256 positions per lexeme and positions up to 16383, so a very
long article is stored as several overlapping rows (``part`` 0, 1, …); every search
term is matched per article, so this changes nothing for the reader.

Ranking work is capped: a query reads at most ``WINDOW`` matches, newest issue first, from
the index alone (FTS5 walks its doclist backwards by rowid; PostgreSQL picks GIN or the
``sort_key`` index), so a term found in 180,000 articles costs as little as a rare one.
When more articles match, the newest ``WINDOW`` of them are the results.

The tables are created by migrations 0002/0003. Other database vendors have no index and
fall back to a slow scan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection

from .text import TOKEN_TABLE, block_tokens, fold, pairs, token

SQLITE_TABLE = "articles_search"
SQLITE_KEYS = "articles_searchkey"
PG_TABLE = "articles_searchdoc"
BOUNDARY = chr(0x10FFFD)  # a one-character token: never equal to a pair token
MAX_TERM_CHARS = 50  # the longest searchable term; long PostgreSQL documents overlap by this
PG_MAX_POS = 16383
PG_MAX_POSITIONS_PER_LEXEME = 256
WINDOW = getattr(settings, "NEWSROOM_SEARCH_WINDOW", 2000)
_ID_BITS = 32
_ID_MASK = (1 << _ID_BITS) - 1
_EPOCH = 1_000_000  # days added so that every date has a positive key


def sort_key(article_id: int, issue_date) -> int:
    """Newest issue first when sorted descending; the article id is ``key & 0xFFFFFFFF``."""
    day = issue_date.toordinal() if issue_date else 0
    return ((day + _EPOCH) << _ID_BITS) | (article_id & _ID_MASK)


SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5("
    "head, body, tokenize = 'unicode61 remove_diacritics 0')",
    f"CREATE TABLE IF NOT EXISTS {SQLITE_KEYS} (article_id INTEGER PRIMARY KEY, sort_key INTEGER NOT NULL)",
]
SQLITE_DROP = [f"DROP TABLE IF EXISTS {SQLITE_TABLE}", f"DROP TABLE IF EXISTS {SQLITE_KEYS}"]
PG_CREATE = [
    f"CREATE TABLE IF NOT EXISTS {PG_TABLE} ("
    " article_id bigint NOT NULL,"
    " part smallint NOT NULL DEFAULT 0,"
    " sort_key bigint NOT NULL,"
    " head tsvector,"
    " doc tsvector NOT NULL,"
    " PRIMARY KEY (article_id, part))",
    f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_doc_gin ON {PG_TABLE} USING gin (doc)",
    f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_sort_key ON {PG_TABLE} (sort_key)",
    f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_head_gin ON {PG_TABLE} USING gin (head) WHERE head IS NOT NULL",
]
PG_DROP = [f"DROP TABLE IF EXISTS {PG_TABLE}"]


def vendor(conn=None) -> str:
    return (conn or connection).vendor


def supported(conn=None) -> bool:
    return vendor(conn) in ("sqlite", "postgresql")


def create_tables(schema_editor) -> None:
    statements = {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def drop_tables(schema_editor) -> None:
    statements = {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


# --- reading -----------------------------------------------------------------------------


def term_pairs(term: str) -> list[str]:
    return pairs(fold(term))


def window_sql(terms: list[str], *, head_term: str | None = None, dates=(None, None)) -> tuple[str, list]:
    """SQL selecting the ids of the newest ``WINDOW`` articles containing every term.

    With ``head_term``: those of them whose head (kicker, title, subtitle) contains it.
    ``dates`` (first, last issue date, either may be None) narrows the window by the
    sort key, so older matches of a very common term are reachable by date.
    """
    lo = sort_key(0, dates[0]) if dates[0] else 0
    hi = sort_key(_ID_MASK, dates[1]) if dates[1] else (1 << 62)
    if vendor() == "sqlite":
        expr = " AND ".join(_fts_phrase(t) for t in terms)
        if head_term is not None:
            expr = f"(head : {_fts_phrase(head_term)}) AND {expr}"
        sql = (
            f"SELECT rowid & {_ID_MASK} FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s "
            f"AND rowid BETWEEN {lo} AND {hi} ORDER BY rowid DESC LIMIT {int(WINDOW)}"
        )
        return sql, [expr]
    query = " & ".join(f"({_pg_phrase(t)})" for t in terms)
    where, params = f"doc @@ %s::tsquery AND sort_key BETWEEN {lo} AND {hi}", [query]
    if head_term is not None:
        where, params = f"head @@ %s::tsquery AND {where}", [_pg_phrase(head_term), query]
    sql = f"SELECT article_id FROM {PG_TABLE} WHERE {where} ORDER BY sort_key DESC LIMIT {int(WINDOW)}"
    return sql, params


def _fts_phrase(term: str) -> str:
    return '"' + " ".join(token(p) for p in term_pairs(term)) + '"'


def _pg_phrase(term: str) -> str:
    return " <-> ".join(_pg_quote(p) for p in term_pairs(term))


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
            rows = []
            for pk, (date, head, body) in docs.items():
                key = sort_key(pk, date)
                rows.extend((pk, part, key, h, d) for part, (h, d) in enumerate(_pg_docs(head, body)))
            if rows:
                cursor.executemany(
                    f"INSERT INTO {PG_TABLE} (article_id, part, sort_key, head, doc) "
                    "VALUES (%s, %s, %s, %s::tsvector, %s::tsvector)",
                    rows,
                )


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
            cursor.execute(f"SELECT count(DISTINCT article_id) FROM {PG_TABLE}")
        else:
            return 0
        return cursor.fetchone()[0]


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _sqlite_text(blocks: list[str]) -> str:
    """The FTS5 document of some blocks: their pair tokens, a boundary token between blocks.

    Equal to joining ``block_tokens`` (each pair through ``token``) with spaces, computed a
    block at a time: most blocks map character for character, and then the pairs of the
    mapped block are the pair tokens.
    """
    parts = []
    for block in blocks:
        folded = fold(block or "")
        if len(folded) < 2:
            continue
        mapped = folded.translate(TOKEN_TABLE)
        if len(mapped) == len(folded):
            parts.append(" ".join(map(str.__add__, mapped, mapped[1:])))
        else:
            parts.append(" ".join(token(p) for p in pairs(folded)))
    return f" {BOUNDARY} ".join(parts)


def _pg_quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _pg_literal(positions: dict[str, list[str]]) -> str:
    return " ".join(f"{_pg_quote(lex)}:{','.join(pos)}" for lex, pos in positions.items())


def _pg_docs(head: list[str], body: list[str]) -> list[tuple[str | None, str]]:
    """(head tsvector, doc tsvector) literals for each row of one article."""
    head_stream = block_tokens(head)
    body_stream = block_tokens(body)
    stream = head_stream + ([None] if head_stream and body_stream else []) + body_stream
    n_head = len(head_stream)
    head_lit = _pg_literal(_positions(head_stream, 0, len(head_stream), ""))
    docs, start = [], 0
    while True:
        end = _fit(stream, start)
        weights = _positions(stream, start, end, "B", n_head)
        docs.append((head_lit if start == 0 else None, _pg_literal(weights)))
        if end >= len(stream):
            return docs
        start = max(end - MAX_TERM_CHARS, start + 1)


def _fit(stream: list, start: int) -> int:
    """The end of the longest slice from ``start`` that one tsvector can hold exactly."""
    end = min(len(stream), start + PG_MAX_POS)
    counts: dict[str, int] = defaultdict(int)
    for i in range(start, end):
        t = stream[i]
        if t is not None:
            counts[t] += 1
            if counts[t] > PG_MAX_POSITIONS_PER_LEXEME:
                return i
    return end


def _positions(stream, start, end, weight, n_head=0) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for offset, t in enumerate(stream[start:end], 1):
        if t is not None:
            w = "A" if start + offset - 1 < n_head else weight
            out.setdefault(t, []).append(f"{offset}{w}")
    return out
