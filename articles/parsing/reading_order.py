"""Stage 3 — reading order: which open paragraph end a block of text continues.

The OCR cuts paragraphs at column edges and interleaves the pieces of neighbouring
columns.  A paragraph that ends without sentence-final punctuation is *open*; a later block
of text may continue it.  The words formed across the break (``words.break_scores``), lower
punctuation at the start of the block and the story being read decide which end it goes to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import LOWER_START, is_cjk, key
from .words import break_scores, crossing_word, head_is_word, tail_is_word, word_freq

WORD_JOIN = 2.0  # the break score of a word formed across the break
CURRENT_BONUS = 0.4  # the story being read is the likelier one to continue
COMMON_WORD = 500  # a join to another story's open end needs a word at least this frequent
SUBHEAD_MAX = 30
# characters that leave a clause hanging: a line ending with one is cut mid-sentence
DANGLING = frozenset("的该和与及对在把被将从向为以于是让使给由其这那各每并而或但")


@dataclass(slots=True)
class Continuation:
    """The open end a block continues (its position in the list of ends) and why, if unsure."""

    end: int
    warning: str = ""


def choose_continuation(ends: list[str], current: int | None, start: str) -> Continuation | None:
    """The open paragraph end (of ``ends``, in page order) that ``start`` continues, if any.

    ``current`` is the position in ``ends`` of the story being read (``None`` when its last
    paragraph is closed).  The story being read takes the text unless another end forms a
    better word across the break; another story's end takes it alone only when a common
    word crosses the break or the text opens with lower punctuation.
    """
    scores = break_scores(ends, start)
    ranked = sorted(
        range(len(ends)),
        key=lambda i: -(scores[i] + CURRENT_BONUS if i == current else scores[i]),
    )
    best = ranked[0]
    score, end = scores[best], ends[best]
    lower = start[:1] in LOWER_START
    confident = (
        best == current
        or lower
        or (current is not None and len(ends) > 1)
        or (score >= WORD_JOIN and word_freq(crossing_word(end, start)) >= COMMON_WORD)
    )
    if not confident:
        return None
    if len(ends) > 1 and best != current:
        return Continuation(best, f"按词表拼接：…{end[-4:]}|{start[:4]}…")
    if score == 0 and not lower:
        return Continuation(best, f"拼接存疑：…{end[-4:]}|{start[:4]}…")
    return Continuation(best)


_SPACED_PARTS = re.compile(r"\S[ \u3000]+\S")


def looks_unfinished(text: str, k: str | None = None) -> bool:
    """A short line that reads like a cut body line rather than a headline (``k``: its
    matching form when already known)."""
    if k is None:
        k = key(text)
    if not k or k.endswith("——"):
        return False
    if k[-1] in DANGLING:
        return True
    if not is_cjk(k[-1]):
        return False
    if len(k) >= 2 and k[-2].isdigit():
        return False
    if _SPACED_PARTS.search(text):  # parts set apart by spaces: a headline
        return False
    has_comma = "," in k or "，" in k or "、" in k
    return (has_comma or len(k) > SUBHEAD_MAX) and len(k) > 12 and not tail_is_word(k)


# characters that never open a sentence unless they begin a word (的确, 了解, 着手 do)
_NO_OPENING = frozenset("的了着们吗呢么吧啊")
# enumeration marks that may open a paragraph before 、 (一、 1、 (一)、)
_ENUM = re.compile(r"^[(（]?[一二三四五六七八九十百零〇\d]+[)）]?$")
_FIRST_CLAUSE = re.compile(r"^([^，,、；;：:。！？!?…“”\"]{1,4})[；;]")


def starts_mid_sentence(text: str) -> bool:
    """A paragraph that opens inside a sentence whose beginning is not on the page: a
    short clause cut off by a semicolon (``革新;智创未来…``) or a particle that cannot open
    a sentence (``的工作…``).  Lower punctuation is checked apart (``text.starts_lower``)."""
    m = _FIRST_CLAUSE.match(text)
    if m and not _ENUM.match(m.group(1)):
        return True
    return text[:1] in _NO_OPENING and not head_is_word(text)
