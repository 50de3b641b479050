"""The Chinese word list (jieba's dict.txt) and the word score across a line break.

The list is read directly from the ``dict.txt`` file of the installed ``jieba`` package, once,
on first use: the package is only located (``find_spec``), never imported, so jieba's
segmenter is never loaded.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.util import find_spec
from itertools import pairwise
from math import log
from operator import itemgetter
from pathlib import Path

MAX_WORD = 4
SINGLE_WORD = 5000  # a character this common as a word of its own can end a clause (新, 该, 加)


@lru_cache(maxsize=1)
def word_list() -> dict[str, int]:
    """Words of one to four characters in jieba's dictionary with their counts (loaded once)."""
    spec = find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - env issue
        return {}
    try:
        data = (Path(spec.submodule_search_locations[0]) / "dict.txt").read_text(encoding="utf-8")
    except OSError:  # pragma: no cover - env issue
        return {}
    global _loaded, _pairs
    words = _loaded = _read_words(data)
    _pairs = _inner_pairs(words)
    return words


def _read_words(data: str) -> dict[str, int]:
    """The words of at most ``MAX_WORD`` characters in the text of a ``dict.txt`` (one
    ``word count tag`` line each) with their counts (1 where the count is not a number)."""
    fields = data.split()
    names, counts = fields[0::3], fields[1::3]
    if len(fields) == 3 * data.count("\n") and "\r" not in data and all(map(str.isdigit, counts)):
        # jieba's own layout, three fields on every line: read in bulk (a third less work)
        words = dict(zip(names, map(int, counts), strict=True))
        for word in [w for w in words if len(w) > MAX_WORD]:
            del words[word]
        return words
    words = {}
    for line in data.splitlines():
        parts = line.split(" ", 2)
        if len(parts[0]) <= MAX_WORD:
            words[parts[0]] = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
    return words


def _inner_pairs(words: dict[str, int]) -> set[str]:
    """Every two adjacent characters inside a word of ``words`` (words of at most four)."""
    longer = [w for w in words if len(w) >= 2]
    pairs = set(map(itemgetter(slice(0, 2)), longer))
    longer = [w for w in longer if len(w) >= 3]
    pairs.update(map(itemgetter(slice(1, 3)), longer))
    pairs.update(map(itemgetter(slice(2, 4)), [w for w in longer if len(w) >= 4]))
    return pairs


_loaded: dict[str, int] = {}  # the word list once read (``word_list``), for the hot paths
_pairs: set[str] = set()  # every two adjacent characters inside a word of the list


def word_pairs() -> set[str]:
    """Every two adjacent characters inside a word of the list (``may_cross`` asks it)."""
    if not _pairs:
        word_list()
    return _pairs


def may_cross(tail: str, head: str) -> bool:
    """Whether a word can cross the break between ``tail`` and ``head`` at all: the two
    characters either side of it occur side by side in some word (the cheap test first)."""
    if not _pairs:
        word_list()
    return bool(tail) and bool(head) and tail[-1] + head[0] in _pairs


def word_freq(word: str) -> int:
    """How common a word is in the list (0 when absent)."""
    return word_list().get(word, 0)


_CJK = "\u3400-\u9fff\uf900-\ufaff"
_TAIL_RE = re.compile(f"[{_CJK}]+$")
_HEAD_RE = re.compile(f"[{_CJK}]+")


def _cjk_tail(text: str, limit: int = MAX_WORD - 1) -> str:
    """The CJK characters (at most ``limit``) that end ``text``."""
    m = _TAIL_RE.search(text[-limit - 8 :].rstrip()[-limit:])
    return m.group() if m else ""


def _cjk_head(text: str) -> str:
    """The CJK characters (at most ``MAX_WORD - 1``) that open ``text``."""
    m = _HEAD_RE.match(text[:12].lstrip()[: MAX_WORD - 1])
    return m.group() if m else ""


def crossing_word(end: str, start: str) -> str:
    """A dictionary word formed by characters on both sides of a break, or ``""``."""
    tail = _cjk_tail(end)
    if not tail:
        return ""
    head = _cjk_head(start)
    if not head:
        return ""
    return _crossing(tail, head, word_list())


def _spans(cut: int, n: int) -> tuple[tuple[int, int], ...]:
    """Slices ``joined[i:j]`` that cross position ``cut`` (``i < cut < j``), at most
    ``MAX_WORD`` long, longest first and leftmost first among equals."""
    spans = [(i, j) for i in range(cut) for j in range(cut + 1, min(n, i + MAX_WORD) + 1)]
    spans.sort(key=lambda s: (s[0] - s[1], s[0]))
    return tuple(spans)


# every (tail length, head length) a break can have: both at most MAX_WORD - 1
_SPANS = {(t, h): _spans(t, t + h) for t in range(1, MAX_WORD) for h in range(1, MAX_WORD)}


def _crossing(tail: str, head: str, words: dict[str, int]) -> str:
    """``crossing_word`` on the CJK tail and head already cut from both sides."""
    joined = tail + head
    for i, j in _SPANS[len(tail), len(head)]:
        w = joined[i:j]
        if w in words:
            return w
    return ""


def tail_is_word(text: str) -> bool:
    """True when the text ends with a whole word of two or more characters."""
    tail = _cjk_tail(text, MAX_WORD)
    words = word_list()
    return any(tail[i:] in words for i in range(len(tail) - 1))


def head_is_word(text: str) -> bool:
    """True when the text starts with a whole word of two or more characters."""
    head = _cjk_head(text)
    words = word_list()
    return any(head[:j] in words for j in range(2, len(head) + 1))


def break_scores(ends: list[str], start: str) -> list[float]:
    """``break_score(end, start)`` for each of ``ends`` (the head of ``start`` is read once)."""
    words = word_list()
    m = _HEAD_RE.match(start[:12].lstrip()[: MAX_WORD - 1])
    head = m.group() if m else ""
    # a word of two or three characters opens ``start`` (head has at most three)
    head_word = 0.5 if len(head) >= 2 and (head[:2] in words or head in words) else 0.0
    out = []
    for end in ends:
        m = _TAIL_RE.search(end[-12:].rstrip()[-MAX_WORD:])
        if not m:
            out.append(head_word)
            continue
        tail4 = m.group()
        if head and _crossing(tail4[1 - MAX_WORD :], head, words):
            out.append(2.0)
            continue
        n = len(tail4)
        tail_word = any(tail4[i:] in words for i in range(n - 1)) if n >= 2 else False
        out.append(0.5 * tail_word + head_word)
    return out


def break_score(end: str, start: str) -> float:
    """How well ``start`` continues ``end``: 2 if a word crosses the break, else 0..1
    for a clean word boundary on each side."""
    if crossing_word(end, start):
        return 2.0
    return 0.5 * tail_is_word(end) + 0.5 * head_is_word(start)


def end_side(text: str) -> tuple[str, bool]:
    """What the end of ``text`` brings to a break: its last CJK characters (at most three)
    and whether it ends with a whole word (of two or more characters, or a common one-character
    word)."""
    m = _TAIL_RE.search(text[-12:].rstrip()[-MAX_WORD:])
    if not m:
        return "", False
    tail4 = m.group()
    words = word_list()
    word_end = any(tail4[i:] in words for i in range(len(tail4) - 1))
    return tail4[1 - MAX_WORD :], word_end or words.get(tail4[-1], 0) >= SINGLE_WORD


def start_side(text: str) -> tuple[str, bool]:
    """What the start of ``text`` brings to a break: its first CJK characters (at most three)
    and whether it starts with a whole word."""
    m = _HEAD_RE.match(text[:12].lstrip()[: MAX_WORD - 1])
    if not m:
        return "", False
    head = m.group()
    words = word_list()
    return head, len(head) >= 2 and (head[:2] in words or head in words)


def crossing(tail: str, head: str) -> int:
    """How common the word formed across a break between a ``tail`` and a ``head``
    (``end_side``, ``start_side``) is in the word list: 0 when no word crosses — or when
    the joined text reads better without one (``能马上|前年``: 马上 + 前年 beat 上前, the
    break falls between two words; ``要求加|强管理``: 加强 wins, the break is inside it)."""
    return crossing_span(tail, head)[0]


def crossing_span(tail: str, head: str) -> tuple[int, int]:
    """``crossing`` and the length of the word it found (``(0, 0)`` when none crosses)."""
    if not tail or not head or not may_cross(tail, head):
        return 0, 0
    words = _loaded or word_list()
    joined = tail + head
    best = length = 0
    for i, j in _SPANS[len(tail), len(head)]:
        n = words.get(joined[i:j], 0)
        if n > best:
            best, length = n, j - i
    # (only a whole word on either side of the break can read better than the crossing one)
    if best and (tail[-2:] in words or head[:2] in words) and not _segment_crosses(joined, len(tail), words):
        return 0, 0
    return best, length


_UNKNOWN = 0.5  # the count given to a character the word list does not hold


def _segment_crosses(joined: str, cut: int, words: dict[str, int]) -> bool:
    """Whether the likeliest segmentation of ``joined`` into words of the list (each word
    weighed by its count, a unigram model: the product of the counts over the total,
    fewer and commoner words win) has a word across position ``cut``."""
    n = len(joined)
    log_total = _log_total()
    # score[i], crosses[i]: the best segmentation of joined[:i] (log-probability), and
    # whether it has a word across the cut
    score = [0.0] * (n + 1)
    crosses = [False] * (n + 1)
    for i in range(1, n + 1):
        top, over = -1e18, False
        for j in range(i - 1, max(-1, i - MAX_WORD - 1), -1):
            count = words.get(joined[j:i], 0)
            if not count:
                if i - j > 1:
                    continue
                count = _UNKNOWN
            s = score[j] + log(count) - log_total
            if s > top:
                top, over = s, crosses[j] or j < cut < i
        score[i], crosses[i] = top, over
    return crosses[n]


@lru_cache(maxsize=1)
def _log_total() -> float:
    """The logarithm of the sum of the counts of the word list."""
    return log(float(sum((_loaded or word_list()).values())) or 1.0)


_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def char_pairs(text: str) -> set[int]:
    """The pairs of adjacent CJK characters in ``text``, each as one number: its two UTF-16
    code units read together (far cheaper to make, hash and compare than a two-character
    string each; only equality matters)."""
    runs = _CJK_RUN.findall(text)
    if not runs:
        return set()
    data = "\x00".join(runs).encode("utf-16-le")
    pairs = set(memoryview(data[: len(data) & ~3]).cast("I"))  # characters 0-1, 2-3, …
    pairs.update(memoryview(data[2 : 2 + ((len(data) - 2) & ~3)]).cast("I"))  # 1-2, 3-4, …
    for before, after in pairwise(runs):  # none across a separator
        pairs.discard(ord(before[-1]))
        pairs.discard(ord(after[0]) << 16)
    return pairs
