"""Text side of search: folding, overlapping bigrams, highlighting.

Matching is substring matching on *folded* text: each character is NFKC-normalised and
lower-cased on its own (so ＰＴＡ, PTA and pta are the same, and （ is ( ), and
whitespace is dropped (OCR scatters stray spaces through Chinese text: 天 津 is 天津).
Text is kept in *blocks* (a title, a paragraph, a caption, a name); a match never spans
two blocks.

A folded block c1 c2 … cn is indexed as the overlapping pairs c1c2, c2c3, …, c(n-1)cn
in order, and a term of n ≥ 2 characters is searched as the phrase of its n-1 pairs.
A block contains the term exactly when its pair sequence contains the term's pairs
consecutively, so the index answers substring questions exactly — for Chinese, Latin,
digits and punctuation alike ("2020年", "PTA", "中国梦·劳动美").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


class _FoldTable(dict):
    """str.translate table: character -> folded form ('' for whitespace), filled lazily."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = "" if char.isspace() else "".join(unicodedata.normalize("NFKC", char).lower().split())
        self[code] = folded
        return folded


class _TokenTable(dict):
    """str.translate table making any character safe inside one SQLite unicode61 token.

    unicode61 splits tokens at characters that are not letters, digits or private-use
    (as of Unicode 6.1). Letters and digits already known to Unicode 3.2 are kept; every
    other character is moved to the supplementary private-use planes (one character for
    the basic plane, two beyond it), so a pair like 梦· stays one token and distinct
    characters stay distinct.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if unicodedata.ucd_3_2_0.category(char)[0] in "LN" and unicodedata.category(char)[0] in "LN":
            out = char
        elif code < 0x10000:
            out = chr(0xF0000 + code)
        else:
            out = chr(0x100000 + (code >> 16)) + chr(0xF0000 + (code & 0xFFFF))
        self[code] = out
        return out


class _FoldTokenTable(dict):
    """str.translate table: character -> the tokens of its folded form, one token character
    per folded character; NUL when a folded character needs two (the slow path, then)."""

    def __missing__(self, code: int) -> str:
        folded = chr(code).translate(_FOLD)
        out = folded.translate(_TOKEN)
        if len(out) != len(folded):
            out = "\x00"  # no character folds or maps to NUL, so it only ever means this
        self[code] = out
        return out


_FOLD = FOLD_TABLE = _FoldTable()
_TOKEN = TOKEN_TABLE = _TokenTable()
_FOLD_TOKEN = _FoldTokenTable()
_SPACES = b" " * 4096


def fold(text: str) -> str:
    """The searchable form of ``text``: per-character NFKC, lower case, no whitespace."""
    return text.translate(_FOLD)


def pairs(folded: str) -> list[str]:
    """The overlapping character pairs of an already folded string."""
    return [folded[i : i + 2] for i in range(len(folded) - 1)]


def token(pair: str) -> str:
    """A pair spelled so SQLite's unicode61 tokenizer keeps it as one token."""
    return pair.translate(_TOKEN)


def pair_text(block: str) -> str:
    """A block's pair tokens (``token`` of each pair of ``fold(block)``) joined by spaces, fast.

    One translate gives each folded character as one token character; the pairs are then
    interleaved in UTF-32 by slice assignment (no string per pair). The same as
    ``" ".join(token(p) for p in pairs(fold(block)))``.
    """
    mapped = block.translate(_FOLD_TOKEN)
    if "\x00" in mapped:  # a folded character with a two-character token
        return " ".join(token(p) for p in pairs(fold(block)))
    return interleave(mapped)


def column_text(blocks: Iterable[str], boundary: str) -> str:
    """The FTS5 text of several blocks (an article's head or body), fast: each block's pair
    tokens (``pair_text``), and between two blocks a token no pair equals, so that no phrase
    spans two blocks.

    The blocks' token characters are joined by a space and interleaved once: the pairs
    across a join (``x`` + space, space + ``y``) are then one-character tokens, which never
    equal a pair token, so they separate the blocks as ``boundary`` would. A block with a
    folded character that needs a two-character token takes the slow path, blocks joined
    by ``boundary``.
    """
    mapped = [m for m in (b.translate(_FOLD_TOKEN) for b in blocks if b) if len(m) > 1]
    if not mapped:
        return ""
    if any("\x00" in m for m in mapped):
        return f" {boundary} ".join(filter(None, map(pair_text, filter(None, blocks))))
    return interleave(" ".join(mapped))


def interleave(text: str) -> str:
    """``text``'s overlapping character pairs separated by spaces (UTF-32 slice assignment)."""
    n = len(text) - 1
    if n < 16:
        return " ".join(map(str.__add__, text, text[1:])) if n > 0 else ""
    first, second = text[:-1].encode("utf-32-le"), text[1:].encode("utf-32-le")
    out = bytearray(12 * n)  # per pair: first character, second character, a space (4 bytes each)
    for k in range(4):
        out[k::12] = first[k::4]
        out[4 + k :: 12] = second[k::4]
    out[8::12] = _SPACES[:n] if n <= len(_SPACES) else b" " * n
    return out[:-4].decode("utf-32-le")


def block_tokens(blocks: Iterable[str]) -> list[str | None]:
    """The pair stream of several blocks; ``None`` marks a block boundary."""
    stream: list[str | None] = []
    for block in blocks:
        folded = fold(block or "")
        if len(folded) < 2:
            continue
        if stream:
            stream.append(None)
        stream.extend(pairs(folded))
    return stream


# --- highlighting ------------------------------------------------------------------------


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each folded character the index of its source character."""
    out, origin = [], []
    for i, char in enumerate(text):
        folded = char.translate(_FOLD)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


def match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Merged ``(start, end)`` spans of ``text`` where any term matches (folded, substring)."""
    folded, origin = _folded_with_origin(text or "")
    spans = []
    for term in {fold(t) for t in terms}:
        if not term:
            continue
        for m in re.finditer(f"(?={re.escape(term)})", folded):
            start = m.start()
            spans.append((origin[start], origin[start + len(term) - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """``text`` as escaped HTML with every match of ``terms`` wrapped in ``<mark>``."""
    text = text or ""
    out, last = [], 0
    for start, end in match_spans(text, terms):
        out.append(escape(text[last:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def snippet(text: str, terms: Iterable[str], width: int = 80) -> SafeString:
    """About ``width`` characters of ``text`` around the first match, highlighted and escaped."""
    text = text or ""
    terms = list(terms)
    spans = match_spans(text, terms)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 4)
    end = start + width
    # Never cut a match in half at the right edge.
    for s, e in spans:
        if s < end < e:
            end = e
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + highlight(text[start:end], terms) + suffix)
