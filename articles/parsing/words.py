"""The Chinese word list (jieba's dict.txt) and the word score across a line break.

The list is read directly from the installed ``jieba`` package data, once, on first use;
jieba's segmenter is never imported.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .text import is_cjk

MAX_WORD = 4


@lru_cache(maxsize=1)
def word_list() -> dict[str, int]:
    """Words of two to four characters in jieba's dictionary with their counts (loaded once)."""
    try:
        data = (resources.files("jieba") / "dict.txt").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):  # pragma: no cover - env issue
        return {}
    words: dict[str, int] = {}
    for line in data.splitlines():
        parts = line.split(" ", 2)
        if 2 <= len(parts[0]) <= MAX_WORD:
            words[parts[0]] = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 1
    return words


def word_freq(word: str) -> int:
    """How common a word is in the list (0 when absent)."""
    return word_list().get(word, 0)


def _cjk_tail(text: str, limit: int = MAX_WORD - 1) -> str:
    tail = ""
    for ch in reversed(text.rstrip()):
        if not is_cjk(ch) or len(tail) >= limit:
            break
        tail = ch + tail
    return tail


def _cjk_head(text: str) -> str:
    head = ""
    for ch in text.lstrip():
        if not is_cjk(ch) or len(head) >= MAX_WORD - 1:
            break
        head += ch
    return head


def crossing_word(end: str, start: str) -> str:
    """A dictionary word formed by characters on both sides of a break, or ``""``."""
    tail, head = _cjk_tail(end), _cjk_head(start)
    if not tail or not head:
        return ""
    words = word_list()
    joined = tail + head
    cut = len(tail)
    best = ""
    for i in range(cut):
        for j in range(cut + 1, min(len(joined), i + MAX_WORD) + 1):
            w = joined[i:j]
            if w in words and len(w) > len(best):
                best = w
    return best


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


def break_score(end: str, start: str) -> float:
    """How well ``start`` continues ``end``: 2 if a word crosses the break, else 0..1
    for a clean word boundary on each side."""
    if crossing_word(end, start):
        return 2.0
    return 0.5 * tail_is_word(end) + 0.5 * head_is_word(start)
