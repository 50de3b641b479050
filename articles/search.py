"""Chinese full-text search over articles.

Interface used by the site, the admin and the API (the search issue replaces the
engine behind it with an index; callers do not change):

- ``parse_query(q)`` -> list of terms (quoted phrases kept whole); raises
  ``SearchQueryError`` with a reader-facing message for a query that cannot be run.
- ``search_articles(queryset, q)`` -> the queryset narrowed to matches, best first.
- ``highlight(text, terms)`` / ``snippet(text, terms)`` -> escaped HTML with <mark>.
"""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MIN_TERM_CHARS = 2


class SearchQueryError(ValueError):
    """A query that cannot be searched; the message is shown to the user."""


_TOKEN = re.compile(r'"([^"]+)"|“([^”]+)”|(\S+)')


def parse_query(q: str) -> list[str]:
    terms = [next(t for t in m.groups() if t).strip() for m in _TOKEN.finditer(q or "")]
    terms = [t for t in terms if t]
    if not terms:
        raise SearchQueryError("请输入要搜索的词语。")
    short = [t for t in terms if len(t) < MIN_TERM_CHARS]
    if short:
        raise SearchQueryError(f"搜索词至少需要两个字：“{short[0]}”太短。")
    return terms


def search_articles(queryset: QuerySet, q: str) -> QuerySet:
    terms = parse_query(q)
    for term in terms:
        queryset = queryset.filter(
            Q(title__contains=term)
            | Q(kicker__contains=term)
            | Q(subtitle__contains=term)
            | Q(body__contains=term)
            | Q(bylines__person__name=term)
        )
    return queryset.distinct()


def highlight(text: str, terms: list[str]) -> SafeString:
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text: str, terms: list[str], width: int = 80) -> SafeString:
    first = min((i for i in (text.find(t) for t in terms) if i >= 0), default=0)
    start = max(0, first - width // 4)
    piece = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + highlight(piece, terms) + suffix)
